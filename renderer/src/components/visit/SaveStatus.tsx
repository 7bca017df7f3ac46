/**
 * The save status in the visit page's header: saving, saved at a time, or not saved and why.
 */
import {
  CheckCircleOutlined,
  CloudSyncOutlined,
  ExclamationCircleOutlined,
} from '@ant-design/icons';
import { Typography } from 'antd';

import { timeText } from '../../dates';
import { type SaveState } from '../../stores/visit';

export function SaveStatus({ save }: { save: SaveState }) {
  switch (save.kind) {
    case 'unsaved':
      return (
        <Typography.Text type="warning" className="save-status" title={save.reason}>
          <ExclamationCircleOutlined /> 未保存（已暂存在本机）
          {save.reason ? '：暂时连不上 Uplift，稍后自动重试' : ''}
        </Typography.Text>
      );
    case 'saving':
      return (
        <Typography.Text type="secondary" className="save-status">
          <CloudSyncOutlined /> 保存中…
        </Typography.Text>
      );
    case 'saved':
      return (
        <Typography.Text type="success" className="save-status">
          <CheckCircleOutlined /> 已保存 {timeText(save.at)}
        </Typography.Text>
      );
    case 'failed':
      return (
        <Typography.Text type="danger" className="save-status">
          <ExclamationCircleOutlined /> 未保存：{save.message}
        </Typography.Text>
      );
    default:
      return null;
  }
}
