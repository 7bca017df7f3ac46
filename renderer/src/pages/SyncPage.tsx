import { CloudDownloadOutlined, CloudUploadOutlined, SyncOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  Upload,
  type TableColumnsType,
} from 'antd';
import { useEffect, useState } from 'react';

import type { ParkedOpInfo, SyncConflictInfo, SyncStatus } from '../../../shared/sync/status';
import {
  deferReasonText,
  syncFieldName,
  syncTableName,
  syncValueText,
} from '../../../shared/sync/wording';
import { api } from '../api';
import { DeferredDrawer, FieldName } from '../components/DeferredDrawer';
import { ServerCard } from '../components/sync/ServerCard';
import { STATE, statusLine, syncTimeText } from '../components/sync/status-text';
import { isCancelled, useTaskRunner } from '../components/TaskProgress';
import { TechnicalInfo } from '../components/TechnicalInfo';
import { errorText } from '../errors';
import { downloadFile, readFileBase64 } from '../files';

/** 同步: where sync stands, and running it by network or by file (a USB stick). */
export function SyncPage() {
  const { message: toast, modal } = App.useApp();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [parkedSelection, setParkedSelection] = useState<string[]>([]);
  const [deferredOpen, setDeferredOpen] = useState(false);
  const task = useTaskRunner();

  useEffect(() => {
    let live = true;
    api.call('sync.status', {}).then(
      (s) => live && setStatus(s),
      (e: unknown) => live && setError(errorText(e)),
    );
    const offStatus = api.on('sync.status', (s) => setStatus(s));
    const offData = api.on('data.changed', () => {
      void api.call('sync.status', {}).then((s) => live && setStatus(s));
    });
    return () => {
      live = false;
      offStatus();
      offData();
    };
  }, []);

  if (!status) {
    return (
      <div className="page">
        {error ? (
          <Alert type="error" showIcon title="同步状态读取失败" description={error} />
        ) : (
          '正在读取…'
        )}
      </div>
    );
  }

  async function syncNow(): Promise<void> {
    try {
      const summary = await task.run('正在同步', (taskId) => api.call('sync.run', { taskId }));
      setStatus(summary.status);
      void toast.success(
        `同步完成：上传 ${summary.pushed} 条、接收 ${summary.pulled} 条` +
          (summary.parked > 0 ? `，${summary.parked} 条被退回` : '') +
          (summary.conflicts > 0 ? `，${summary.conflicts} 处冲突待处理` : '') +
          (summary.removed > 0
            ? `；${summary.removed} 家企业已不在本账号的地市范围内，已从本机移除`
            : ''),
      );
    } catch (e) {
      if (isCancelled(e)) void toast.info('已取消同步；已完成的部分保留');
      else void toast.error(`同步未完成：${errorText(e)}`);
      setStatus(await api.call('sync.status', {}));
    }
  }

  async function exportBundle(): Promise<void> {
    try {
      const file = await api.call('sync.exportBundle', {});
      downloadFile(file);
      void toast.success(`已导出同步包：${file.ops} 条修改、${file.attachments} 个文件`);
    } catch (e) {
      void toast.error(`导出失败：${errorText(e)}`);
    }
  }

  async function importBundle(file: File): Promise<void> {
    try {
      const summary = await api.call('sync.importBundle', {
        fileName: file.name,
        dataBase64: await readFileBase64(file),
      });
      void modal.success({
        title: `已导入“${file.name}”`,
        content: (
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'from', label: '来自设备', children: summary.fromDevice },
              { key: 'created', label: '生成时间', children: syncTimeText(summary.created) },
              { key: 'applied', label: '新应用', children: `${summary.applied} 条修改` },
              { key: 'skipped', label: '此前已导入', children: `${summary.skipped} 条` },
              { key: 'conflicts', label: '冲突', children: `${summary.conflicts} 处` },
              { key: 'files', label: '文件', children: `${summary.attachments} 个` },
            ]}
          />
        ),
        okText: '知道了',
      });
    } catch (e) {
      void modal.error({ title: `“${file.name}”未导入`, content: errorText(e), okText: '知道了' });
    }
  }

  async function settle(work: () => Promise<SyncStatus>, done: string): Promise<void> {
    try {
      setStatus(await work());
      setParkedSelection([]);
      void toast.success(done);
    } catch (e) {
      void toast.error(errorText(e));
    }
  }

  const parkedColumns: TableColumnsType<ParkedOpInfo> = [
    { title: '序号', dataIndex: 'seq', key: 'seq', width: 80 },
    { title: '内容', key: 'table', width: 120, render: (_, p) => syncTableName(p.table) },
    {
      title: '修改的字段',
      key: 'values',
      ellipsis: true,
      render: (_, p) =>
        Object.entries(p.values)
          .map(([k, v]) => `${syncFieldName(p.table, k)}：${syncValueText(k, v)}`)
          .join('；'),
    },
    { title: '退回原因', dataIndex: 'reason', key: 'reason' },
    {
      title: '状态',
      key: 'status',
      width: 100,
      render: (_, p) =>
        p.status === 'retrying' ? <Tag color="blue">待重试</Tag> : <Tag color="orange">已退回</Tag>,
    },
  ];

  const conflictColumns: TableColumnsType<SyncConflictInfo> = [
    { title: '内容', key: 'table', width: 110, render: (_, c) => syncTableName(c.table) },
    {
      title: '字段',
      key: 'field',
      width: 130,
      render: (_, c) => <FieldName table={c.table} field={c.field} />,
    },
    {
      title: '本机的值',
      key: 'local',
      render: (_, c) => (
        <span className={c.winner === 'local' ? 'conflict-winner' : undefined}>
          {syncValueText(c.field, c.localValue)}
        </span>
      ),
    },
    {
      title: '中心的值',
      key: 'remote',
      render: (_, c) => (
        <span className={c.winner === 'remote' ? 'conflict-winner' : undefined}>
          {syncValueText(c.field, c.remoteValue)}
        </span>
      ),
    },
    {
      title: '当前采用',
      key: 'winner',
      width: 100,
      render: (_, c) => (c.winner === 'local' ? '本机（较新）' : '中心（较新）'),
    },
    {
      title: '处理',
      key: 'resolve',
      width: 190,
      render: (_, c) => (
        <Space size={0}>
          <Button
            type="link"
            size="small"
            onClick={() =>
              void settle(
                () => api.call('sync.resolveConflict', { id: c.id, choice: 'local' }),
                '已保留本机的值',
              )
            }
          >
            保留本机
          </Button>
          <Button
            type="link"
            size="small"
            onClick={() =>
              void settle(
                () => api.call('sync.resolveConflict', { id: c.id, choice: 'remote' }),
                '已采用中心的值',
              )
            }
          >
            采用中心
          </Button>
        </Space>
      ),
    },
  ];

  const state = STATE[status.state];
  const deferredTotal = Object.values(status.deferred).reduce((a, b) => a + b, 0);
  return (
    <div className="page sync-page">
      <Card size="small" title="同步状态" className="sync-status">
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Space wrap size={16}>
            <Badge status={state.status} text={state.text} />
            <Typography.Text
              strong
              className="sync-line"
              type={status.upToDate ? 'success' : 'warning'}
            >
              {statusLine(status)}
            </Typography.Text>
          </Space>
          <Typography.Text type="secondary">
            上次成功同步：{syncTimeText(status.lastSuccessAt)}；上次尝试：
            {syncTimeText(status.lastAttemptAt)}
          </Typography.Text>
          {status.lastError && <Alert type="error" showIcon title={status.lastError} />}
          {deferredTotal > 0 && (
            <Alert
              type="info"
              showIcon
              className="sync-deferred"
              title={`有 ${deferredTotal} 项收到的数据暂未应用，已保存在本机`}
              description={Object.entries(status.deferred)
                .map(([reason, n]) => `${deferReasonText(reason)}（${n} 项）`)
                .join('；')}
              action={
                <Button size="small" onClick={() => setDeferredOpen(true)}>
                  查看
                </Button>
              }
            />
          )}
          {status.relay.problems.length > 0 && (
            <Alert
              type="warning"
              showIcon
              className="sync-relay"
              title="其他设备的修改（来自同步包）未能全部转交中心，已保留在本机"
              description={
                <Space orientation="vertical" size={4}>
                  {status.relay.problems.map((p, i, all) => (
                    <Space key={`${p.deviceId}-${p.status}-${p.reason}`} wrap>
                      <span>
                        {`设备 ${p.deviceId.slice(0, 8)}… 的 ${p.ops} 条修改${p.status === 'parked' ? '被中心退回' : '暂未转交'}：${p.reason}`}
                      </span>
                      {/* One button per device and state, after its last reason: it acts on all. */}
                      {all
                        .slice(i + 1)
                        .some(
                          (q) => q.deviceId === p.deviceId && q.status === p.status,
                        ) ? null : p.status === 'blocked' ? (
                        <Button
                          size="small"
                          onClick={() =>
                            void settle(
                              () => api.call('sync.retryRelay', { deviceId: p.deviceId }),
                              '下次同步时重新转交',
                            )
                          }
                        >
                          重新转交
                        </Button>
                      ) : (
                        <Tooltip title="这些修改仍保存在原设备上；原设备下次同步时会看到被退回的原因，并可在那里重试或放弃">
                          <Button
                            size="small"
                            onClick={() =>
                              void settle(
                                () => api.call('sync.dismissRelay', { deviceId: p.deviceId }),
                                '已交由原设备处理',
                              )
                            }
                          >
                            交由原设备处理
                          </Button>
                        </Tooltip>
                      )}
                    </Space>
                  ))}
                </Space>
              }
            />
          )}
          <Space wrap>
            <Button
              type="primary"
              icon={<SyncOutlined />}
              disabled={!status.server || !status.user || status.state === 'syncing'}
              onClick={() => void syncNow()}
            >
              立即同步
            </Button>
            <Button icon={<CloudUploadOutlined />} onClick={() => void exportBundle()}>
              导出同步包（U 盘）
            </Button>
            <Upload
              accept=".uplift,.json,.bundle,application/octet-stream"
              showUploadList={false}
              beforeUpload={(file) => {
                void importBundle(file);
                return false;
              }}
            >
              <Button icon={<CloudDownloadOutlined />}>导入同步包</Button>
            </Upload>
          </Space>
          {(!status.server || !status.user) && (
            <Typography.Text type="secondary">
              填写中心服务器地址并登录后可联网同步；没有网络时，可用同步包经 U 盘交换。
            </Typography.Text>
          )}
          <TechnicalInfo
            items={[{ key: 'deviceId', label: '本机编号', children: status.deviceId }]}
          />
        </Space>
      </Card>
      <ServerCard status={status} onStatus={setStatus} />
      <Card
        size="small"
        title={`被中心退回的修改（${status.parked.length}）`}
        extra={
          status.parked.length > 0 && (
            <Space>
              <Button
                size="small"
                disabled={parkedSelection.length === 0}
                onClick={() =>
                  void settle(
                    () => api.call('sync.retryParked', { opIds: parkedSelection }),
                    '下次同步时重新发送',
                  )
                }
              >
                重试
              </Button>
              <Button
                size="small"
                danger
                disabled={parkedSelection.length === 0}
                onClick={() =>
                  void settle(
                    () => api.call('sync.discardParked', { opIds: parkedSelection }),
                    '已放弃；记录仍保存在本机',
                  )
                }
              >
                放弃
              </Button>
            </Space>
          )
        }
      >
        <Table<ParkedOpInfo>
          rowKey="opId"
          size="small"
          pagination={false}
          columns={parkedColumns}
          dataSource={status.parked}
          rowSelection={{
            selectedRowKeys: parkedSelection,
            onChange: (keys) => setParkedSelection(keys.map(String)),
          }}
          locale={{ emptyText: '没有被退回的修改' }}
        />
      </Card>
      <Card size="small" title={`冲突（${status.conflicts.length}）`}>
        <Typography.Paragraph type="secondary">
          同一字段在本机和中心都被修改时，较新的修改生效，另一方的值保留在这里，直到有人处理。
        </Typography.Paragraph>
        <Table<SyncConflictInfo>
          rowKey="id"
          size="small"
          pagination={false}
          columns={conflictColumns}
          dataSource={status.conflicts}
          locale={{ emptyText: '没有冲突' }}
        />
      </Card>
      <DeferredDrawer
        open={deferredOpen}
        onClose={() => setDeferredOpen(false)}
        version={JSON.stringify(status.deferred)}
      />
      {task.modal}
    </div>
  );
}
