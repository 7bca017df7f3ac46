/**
 * The dialog that stamps a plan 专家审定 or 企业确认: who approves or confirms, the opinion or the way of
 * confirming, and a signature drawn on screen.
 */
import { Button, Input, Modal, Radio, Typography } from 'antd';
import { useState } from 'react';

import { CONFIRM_METHODS, type ConfirmMethod } from '../../../../shared/plan/api';
import type { PlanStatus } from '../../../../shared/plan/schema';
import { SignaturePadModal } from '../SignaturePadModal';

/** What the approver or the enterprise gives with 专家审定 or 企业确认. */
export interface Stamp {
  by: string;
  opinion?: string;
  method?: ConfirmMethod;
  signature?: string;
}

/**
 * Asks who approves (专家审定, with the 审定意见 it requires) or confirms for the enterprise
 * (企业确认: how — 现场签字, 电话确认 or 书面回执 — and who), with a signature drawn on screen
 * (required for 现场签字, optional otherwise).
 */
export function StampModal({
  status,
  onClose,
  onDone,
}: {
  status: PlanStatus | null;
  onClose: () => void;
  onDone: (stamp: Stamp) => Promise<void>;
}) {
  const [by, setBy] = useState('');
  const [opinion, setOpinion] = useState('');
  const [method, setMethod] = useState<ConfirmMethod | null>(null);
  const [signature, setSignature] = useState<string | null>(null);
  const [signing, setSigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirming = status === '企业确认';
  const ready =
    by.trim() !== '' &&
    (confirming
      ? method !== null && (method !== '现场签字' || signature !== null)
      : opinion.trim() !== '');
  return (
    <Modal
      open={status !== null}
      title={confirming ? '企业确认方案' : '专家审定方案'}
      okText="确定"
      cancelText="取消"
      okButtonProps={{ disabled: !ready }}
      confirmLoading={busy}
      destroyOnHidden
      afterClose={() => {
        setBy('');
        setOpinion('');
        setMethod(null);
        setSignature(null);
      }}
      onCancel={onClose}
      onOk={() => {
        setBusy(true);
        void onDone({
          by: by.trim(),
          ...(confirming ? { method: method ?? undefined } : { opinion: opinion.trim() }),
          ...(signature ? { signature } : {}),
        }).finally(() => setBusy(false));
      }}
    >
      <Typography.Paragraph>
        {confirming
          ? '确认的版本将填入企业台账的差异化指标、存在问题、改进措施和拟完成时间。'
          : '审定当前版本；之后再修改将生成新版本并回到草稿。'}
      </Typography.Paragraph>
      {confirming && (
        <div className="stamp-field">
          <Typography.Text>确认方式：</Typography.Text>
          <Radio.Group
            aria-label="确认方式"
            value={method}
            onChange={(e) => setMethod(e.target.value as ConfirmMethod)}
            options={CONFIRM_METHODS.map((m) => ({ value: m, label: m }))}
          />
        </div>
      )}
      <Input
        className="stamp-field"
        aria-label={confirming ? '企业确认人' : '审定专家'}
        placeholder={confirming ? '企业确认人姓名' : '审定专家姓名'}
        value={by}
        maxLength={50}
        onChange={(e) => setBy(e.target.value)}
      />
      {!confirming && (
        <Input.TextArea
          className="stamp-field"
          aria-label="审定意见"
          placeholder="审定意见（必填），例如：措施可行，同意按此方案实施"
          value={opinion}
          maxLength={1000}
          autoSize={{ minRows: 3, maxRows: 8 }}
          onChange={(e) => setOpinion(e.target.value)}
        />
      )}
      <div className="stamp-field stamp-signature">
        {signature ? (
          <img
            className="signature-image"
            src={`data:image/png;base64,${signature}`}
            alt={`${by || '签名人'}的签名`}
            style={{ height: 48 }}
          />
        ) : (
          <Typography.Text type="secondary">
            {confirming && method === '现场签字' ? '现场签字须当场签名' : '签名（可选）'}
          </Typography.Text>
        )}
        <Button size="small" onClick={() => setSigning(true)}>
          {signature ? '重新签名' : '手写签名'}
        </Button>
      </div>
      <SignaturePadModal
        open={signing}
        title={confirming ? '企业确认人签名' : '审定专家签名'}
        hint="签名将随方案保存，并打印在方案的签字栏中；签下后不能更换。"
        onCancel={() => setSigning(false)}
        onSave={({ image }) => {
          setSignature(image);
          setSigning(false);
          return Promise.resolve();
        }}
      />
    </Modal>
  );
}
