import { CloudSyncOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';

import { useAppInfo } from '../stores/app-info';

/** "待同步 N 条修改": local changes the central store has not acknowledged yet. */
export function PendingIndicator() {
  const info = useAppInfo((s) => s.info);
  const error = useAppInfo((s) => s.error);
  if (!info) {
    return error ? (
      <Tooltip title={error}>
        <Tag color="error">无法读取同步状态</Tag>
      </Tooltip>
    ) : null;
  }
  return (
    <Tag icon={<CloudSyncOutlined />} color={info.pendingOps > 0 ? 'orange' : 'default'}>
      待同步 {info.pendingOps} 条修改
    </Tag>
  );
}
