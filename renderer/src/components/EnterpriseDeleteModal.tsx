import { Alert, App, Input, Modal, Spin, Typography } from 'antd';
import { useState } from 'react';

import type { EnterpriseListItem } from '../../../shared/domain/enterprise';
import type { DeletionSummary } from '../../../shared/domain/trash';
import { api } from '../api';
import { useDeletionSummary } from '../queries';
import { errorText } from '../errors';

export interface EnterpriseDeleteModalProps {
  /** The enterprise to delete; null: closed. */
  enterprise: EnterpriseListItem | null;
  /** Reads the list again once the enterprise is gone. */
  onDeleted: () => Promise<void>;
  onClose: () => void;
}

/** The records that go with the enterprise, as a person counts them. */
export function deletionLines(s: DeletionSummary): string[] {
  const lines: string[] = [];
  if (s.visits > 0) {
    lines.push(
      s.finalizedVisits > 0
        ? `${s.visits} 次检查，其中 ${s.finalizedVisits} 次已定稿（签字确认的正式记录）`
        : `${s.visits} 次检查（均为草稿）`,
    );
  }
  if (s.plans > 0) lines.push(`一企一策方案 ${s.plans} 份`);
  if (s.photos > 0) lines.push(`照片和扫描件 ${s.photos} 张`);
  if (s.violations > 0) lines.push(`违法记录 ${s.violations} 条`);
  if (s.processes > 0) lines.push(`行业与工序 ${s.processes} 项`);
  return lines;
}

/**
 * 删除企业: says what goes with it, asks for a reason where finalized visits go too, and deletes
 * only once the person has typed the enterprise's full name. Everything goes to the 回收站.
 * Give it a `key` of the enterprise's id, so what was typed for one is never kept for another.
 */
export function EnterpriseDeleteModal({
  enterprise,
  onDeleted,
  onClose,
}: EnterpriseDeleteModalProps) {
  const { message } = App.useApp();
  const id = enterprise?.id ?? null;
  const { data, error: failed } = useDeletionSummary(id);
  const summary = id === null ? null : (data ?? null);
  const [typed, setTyped] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);

  const nameMatches = summary !== null && typed.trim() === summary.name;
  const reasonOk = summary !== null && (!summary.reasonRequired || reason.trim() !== '');
  const canDelete = nameMatches && reasonOk && summary?.refusal === null && !busy;

  async function confirm(): Promise<void> {
    if (!enterprise || !summary) return;
    setBusy(true);
    try {
      // Moves it to the 回收站: the person typed its name; a reason where finalized visits go too.
      const why = reason.trim();
      await api.call('enterprise.delete', {
        id: enterprise.id,
        confirmName: typed,
        ...(why !== '' ? { reason: why } : {}),
      });
      await onDeleted();
      void message.success(`已将“${summary.name}”移入回收站，${summary.trashDays} 天内可恢复`);
      onClose();
    } catch (e) {
      void message.error(errorText(e, '删除失败：'));
    } finally {
      setBusy(false);
    }
  }

  const lines = summary ? deletionLines(summary) : [];
  return (
    <Modal
      open={enterprise !== null}
      title={enterprise ? `删除企业：${enterprise.name}` : '删除企业'}
      okText="删除并移入回收站"
      cancelText="取消"
      okButtonProps={{ danger: true, disabled: !canDelete, loading: busy }}
      onOk={() => void confirm()}
      onCancel={onClose}
      destroyOnHidden
      className="enterprise-delete-modal"
    >
      {failed ? <Alert type="error" showIcon title={failed} /> : null}
      {!summary && !failed ? <Spin /> : null}
      {summary ? (
        <>
          <Typography.Paragraph>
            {lines.length > 0
              ? '该企业的以下记录将一并删除：'
              : '该企业名下没有检查、方案或其他记录。'}
          </Typography.Paragraph>
          {lines.length > 0 ? (
            <ul className="deletion-lines">
              {lines.map((l) => (
                <li key={l}>{l}</li>
              ))}
            </ul>
          ) : null}
          <Typography.Paragraph type="secondary">
            删除后可在“回收站”中找到，{summary.trashDays} 天内可连同以上记录一起恢复；超过{' '}
            {summary.trashDays} 天将被彻底清除。
          </Typography.Paragraph>
          {summary.refusal ? (
            <Alert type="warning" showIcon title={summary.refusal} style={{ marginBottom: 12 }} />
          ) : null}
          {summary.reasonRequired && !summary.refusal ? (
            <div style={{ marginBottom: 12 }}>
              <Typography.Text strong>删除原因（必填）</Typography.Text>
              <Input.TextArea
                aria-label="删除原因"
                rows={2}
                maxLength={500}
                value={reason}
                placeholder="例如：重复录入，已在另一条企业记录中登记"
                onChange={(e) => setReason(e.target.value)}
              />
            </div>
          ) : null}
          <Typography.Text strong>请输入企业全称以确认删除：</Typography.Text>
          <Typography.Paragraph style={{ margin: '4px 0' }}>
            <Typography.Text code>{summary.name}</Typography.Text>
          </Typography.Paragraph>
          <Input
            aria-label="输入企业全称确认"
            value={typed}
            disabled={summary.refusal !== null}
            status={typed !== '' && !nameMatches ? 'error' : ''}
            placeholder="企业全称"
            onChange={(e) => setTyped(e.target.value)}
            onPressEnter={() => {
              if (canDelete) void confirm();
            }}
          />
          {typed !== '' && !nameMatches ? (
            <Typography.Text type="danger">与企业全称不一致</Typography.Text>
          ) : null}
        </>
      ) : null}
    </Modal>
  );
}
