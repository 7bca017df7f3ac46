import { Alert, Descriptions, Spin, Typography, type DescriptionsProps } from 'antd';
import { useEffect } from 'react';

import type { AppInfo } from '../../../shared/api/contract';
import { TechnicalInfo } from '../components/TechnicalInfo';
import { useAppInfo } from '../stores/app-info';

const MODE_LABEL: Record<AppInfo['mode'], string> = {
  electron: '桌面窗口',
  browser: '浏览器模式',
  cli: '命令行',
};

function items(info: AppInfo): DescriptionsProps['items'] {
  return [
    { key: 'version', label: '版本', children: info.version },
    { key: 'mode', label: '运行方式', children: MODE_LABEL[info.mode] },
    { key: 'pendingOps', label: '待同步的修改', children: `${info.pendingOps} 条` },
    { key: 'enterpriseCount', label: '企业数量', children: `${info.enterpriseCount} 家` },
  ];
}

/** Paths and the device's id: for technical support, folded under the rest. */
function technicalItems(info: AppInfo): NonNullable<DescriptionsProps['items']> {
  const path = (text: string) => (
    <Typography.Text copyable code>
      {text}
    </Typography.Text>
  );
  return [
    { key: 'dataDir', label: '数据目录', children: path(info.dataDir) },
    { key: 'databaseFile', label: '数据文件', children: path(info.databaseFile) },
    { key: 'deviceId', label: '设备编号', children: path(info.deviceId) },
  ];
}

/** 设置: what this installation is and where it keeps its data. */
export function SettingsPage() {
  const info = useAppInfo((s) => s.info);
  const error = useAppInfo((s) => s.error);
  const refresh = useAppInfo((s) => s.refresh);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  return (
    <div className="page">
      {error && (
        <Alert
          type="error"
          showIcon
          title="无法读取应用信息"
          description={error}
          style={{ marginBottom: 16 }}
        />
      )}
      {info ? (
        <>
          <Descriptions title="应用信息" bordered column={1} items={items(info)} />
          <TechnicalInfo items={technicalItems(info)} />
        </>
      ) : (
        !error && <Spin />
      )}
    </div>
  );
}
