/**
 * 中心服务器 card of the sync page: the central store's address and this device's account there, shown
 * and changed.
 */
import { LogoutOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Space, Typography } from 'antd';
import { useState } from 'react';

import { cityName } from '../../../../shared/domain/regions';
import type { SyncStatus } from '../../../../shared/sync/status';
import { api } from '../../api';
import { errorText } from '../../errors';

export function ServerCard({
  status,
  onStatus,
}: {
  status: SyncStatus;
  onStatus: (s: SyncStatus) => void;
}) {
  const { message: toast } = App.useApp();
  const [server, setServer] = useState(status.server ?? '');
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ username: string; password: string }>();

  /** Runs a change and shows its result; true when it worked. */
  async function run(work: () => Promise<SyncStatus>, done: string): Promise<boolean> {
    setBusy(true);
    try {
      onStatus(await work());
      void toast.success(done);
      return true;
    } catch (e) {
      void toast.error(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card size="small" title="中心服务器与账号" className="sync-server">
      <Space.Compact style={{ width: '100%', maxWidth: 560 }}>
        <Input
          aria-label="中心服务器地址"
          placeholder="例如 http://192.168.1.10:4800"
          value={server}
          onChange={(e) => setServer(e.target.value)}
        />
        <Button
          loading={busy}
          disabled={!server.trim() || server.trim() === status.server}
          onClick={() =>
            void run(
              () => api.call('sync.configure', { server: server.trim() }),
              '已保存服务器地址',
            )
          }
        >
          保存地址
        </Button>
      </Space.Compact>
      {status.user ? (
        <Space className="sync-account" wrap>
          <span>
            已登录：{status.user.displayName || status.user.username}（{status.user.role}，
            {status.user.scope === 'region' ? '全区' : cityName(status.user.scope)}）
          </span>
          {status.credentialProtection && (
            <Typography.Text type="secondary">
              {status.credentialProtection === 'os'
                ? '登录凭据已由操作系统加密保存'
                : '登录凭据以明文保存（无可用的系统密钥库）'}
            </Typography.Text>
          )}
          <Button
            size="small"
            icon={<LogoutOutlined />}
            onClick={() =>
              void run(() => api.call('sync.logout', {}), '已退出登录；未同步的修改仍保存在本机')
            }
          >
            退出登录
          </Button>
        </Space>
      ) : (
        <Form
          form={form}
          layout="inline"
          className="sync-account"
          onFinish={(v) =>
            void run(() => api.call('sync.login', v), '登录成功').then(
              (ok) => ok && form.resetFields(),
            )
          }
        >
          <Form.Item name="username" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input aria-label="用户名" placeholder="用户名" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" rules={[{ required: true, message: '请填写密码' }]}>
            <Input.Password aria-label="密码" placeholder="密码" autoComplete="current-password" />
          </Form.Item>
          <Button htmlType="submit" loading={busy} disabled={!status.server}>
            登录
          </Button>
        </Form>
      )}
    </Card>
  );
}
