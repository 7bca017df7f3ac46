import { Alert, App, Input, Modal, Typography } from 'antd';
import { useState } from 'react';

import { RECORD_DELETERS } from '../../../../shared/sync/protocol';
import { api } from '../../api';
import { errorText } from '../../errors';

export interface FinalizedVisitDeleteModalProps {
  open: boolean;
  inspectionId: string;
  /** What the visit is, in words: 2026-11-20 核查. */
  label: string;
  onClose: () => void;
  onDeleted: () => void;
}

/**
 * 删除已定稿的检查记录: an official record, so the person says why, and only an account that may
 * delete official records can (the service, then the central store, refuse anyone else).
 */
export function FinalizedVisitDeleteModal({
  open,
  inspectionId,
  label,
  onClose,
  onDeleted,
}: FinalizedVisitDeleteModalProps) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  async function confirm(): Promise<void> {
    setBusy(true);
    try {
      await api.call('inspection.delete', { id: inspectionId, reason: reason.trim() });
      void message.success('已将检查记录移入回收站，30 天内可恢复');
      onDeleted();
    } catch (e) {
      void message.error(errorText(e, '删除失败：'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={`删除已定稿的检查记录（${label}）`}
      okText="删除并移入回收站"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: reason.trim() === '' || busy, loading: busy }}
      onOk={() => void confirm()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 12 }}
        title="这是签字确认的正式记录"
        description={`只有${RECORD_DELETERS.join('、')}账号可以删除；删除原因会随记录保存。删除后 30 天内可在“回收站”恢复。`}
      />
      <Typography.Text strong>删除原因（必填）</Typography.Text>
      <Input.TextArea
        aria-label="删除原因"
        rows={3}
        maxLength={500}
        value={reason}
        placeholder="例如：企业录错，已在正确的企业下重新记录"
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}
