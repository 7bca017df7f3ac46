import { LockOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Drawer,
  Empty,
  Input,
  Modal,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import type { EnterpriseListItem } from '../../../shared/domain/enterprise';
import type { InspectionSummary, Violation } from '../../../shared/domain/inspection';
import { addYears } from '../../../shared/grading/dates';
import { visitGradeDisplay } from '../../../shared/grading/display';
import { api } from '../api';
import { dateTimeText, todayText } from '../dates';
import { useEnterpriseVisits } from '../queries';
import { VisitStatusTag } from '../pages/InspectionsPage';
import { useNavigation } from '../stores/navigation';
import { GradeTag } from './visit/GradingPanel';
import { StartVisitModal } from './visit/StartVisitModal';
import { ViolationModal } from './visit/ViolationModal';
import { errorText } from '../errors';

/**
 * How the grade moved: the finalized visits oldest first, each one's grade (a correction stands
 * in for the visit it corrects).
 */
export function gradePath(visits: readonly InspectionSummary[]): InspectionSummary[] {
  return visits
    .filter(
      (v) =>
        v.status === 'finalized' && (v.revisedBy === null || v.revisedBy.status !== 'finalized'),
    )
    .sort((a, b) => (a.date === b.date ? a.createdAt - b.createdAt : a.date < b.date ? -1 : 1));
}

/** The lock with the violation that set it: 违法记录（2026-11-02，超标排放）：锁定至 2027-11-02. */
export function lockText(violations: readonly Violation[], lockedUntil: string): string {
  const by = violations
    .filter((v) => v.withdrawal === null && addYears(v.date, 1) === lockedUntil)
    .at(-1);
  return by
    ? `违法记录（${by.date}，${by.kind}）：锁定至 ${lockedUntil}，此前不得申请提级`
    : `存在违法情形，${lockedUntil} 前不得申请提级`;
}

/** 撤销: a violation recorded in error stops locking; it stays listed with who, when and why. */
function WithdrawViolationModal({
  violation,
  onClose,
}: {
  violation: Violation | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [by, setBy] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={violation !== null}
      title={violation ? `撤销违法记录：${violation.kind}（${violation.date}）` : '撤销违法记录'}
      okText="撤销"
      okButtonProps={{ danger: true, disabled: reason.trim().length < 2 || by.trim() === '' }}
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      afterClose={() => {
        setReason('');
        setBy('');
      }}
      onCancel={onClose}
      onOk={() => {
        if (!violation) return;
        setBusy(true);
        api
          .call('violation.withdraw', { id: violation.id, by, reason })
          .then(() => {
            void message.success('已撤销，提级锁定随之解除');
            onClose();
          })
          .catch((e: unknown) => void message.error(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      <Typography.Paragraph>
        仅用于撤销误录的记录。撤销后记录仍保留在列表中（划线显示），并写明撤销人、时间和原因。
      </Typography.Paragraph>
      <Input
        aria-label="撤销人"
        placeholder="撤销人姓名"
        value={by}
        maxLength={50}
        style={{ marginBottom: 8 }}
        onChange={(e) => setBy(e.target.value)}
      />
      <Input.TextArea
        aria-label="撤销原因"
        placeholder="撤销原因"
        value={reason}
        maxLength={500}
        autoSize={{ minRows: 2, maxRows: 5 }}
        onChange={(e) => setReason(e.target.value)}
      />
    </Modal>
  );
}

export interface EnterpriseVisitsDrawerProps {
  open: boolean;
  enterprise: EnterpriseListItem | null;
  onClose: () => void;
}

/** An enterprise's visits over time, how its grade moved, its violations and the lock. */
export function EnterpriseVisitsDrawer({ open, enterprise, onClose }: EnterpriseVisitsDrawerProps) {
  const openVisit = useNavigation((s) => s.openVisit);
  const openPlan = useNavigation((s) => s.openPlan);
  const [starting, setStarting] = useState(false);
  const [recording, setRecording] = useState(false);
  const [withdrawing, setWithdrawing] = useState<Violation | null>(null);
  const enterpriseId = open ? (enterprise?.id ?? null) : null;
  const { data, error } = useEnterpriseVisits(enterpriseId);
  const visits = data?.[0] ?? null;
  const violations = data?.[1] ?? null;

  const columns: TableColumnsType<InspectionSummary> = [
    {
      // The number a printed record carries on every page, to find the visit it belongs to.
      title: '编号',
      dataIndex: 'number',
      key: 'number',
      width: 175,
      render: (number: string) => (
        <span className="record-number-cell record-number-value">{number}</span>
      ),
    },
    { title: '日期', dataIndex: 'date', key: 'date', width: 105 },
    { title: '类型', dataIndex: 'type', key: 'type', width: 80 },
    { title: '状态', key: 'status', width: 170, render: (_, v) => <VisitStatusTag visit={v} /> },
    {
      title: '评级',
      key: 'grade',
      render: (_, v) => (
        <GradeTag display={visitGradeDisplay(v)} unverified={v.unverified} judged={v.judged} />
      ),
    },
    {
      title: '',
      key: 'open',
      width: 70,
      render: (_, v) => (
        <Button
          type="link"
          size="small"
          aria-label={`打开 ${v.number}`}
          onClick={() => openVisit(v.id)}
        >
          打开
        </Button>
      ),
    },
  ];

  const path = visits ? gradePath(visits) : [];

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={820}
      title={enterprise ? `检查记录 · ${enterprise.name}` : '检查记录'}
    >
      <div className="drawer-actions">
        <Space>
          <Button
            onClick={() => {
              if (!enterprise) return;
              onClose();
              openPlan({ enterpriseId: enterprise.id });
            }}
          >
            提升方案
          </Button>
          <Button danger icon={<WarningOutlined />} onClick={() => setRecording(true)}>
            记录违法情形
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setStarting(true)}>
            新建检查
          </Button>
        </Space>
      </div>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {violations?.lockedUntil && (
        <Alert
          type="error"
          showIcon
          icon={<LockOutlined />}
          className="violation-lock"
          title={lockText(violations.violations, violations.lockedUntil)}
          style={{ marginBottom: 12 }}
        />
      )}
      {visits === null ? (
        <Spin />
      ) : (
        <>
          <h3>绩效等级变化</h3>
          {path.length === 0 ? (
            <Typography.Paragraph type="secondary">尚无定稿的检查记录</Typography.Paragraph>
          ) : (
            <div className="grade-path" aria-label="绩效等级变化">
              {path.map((v, i) => (
                <span key={v.id} className="grade-path-step">
                  {i > 0 && <span className="grade-path-arrow">→</span>}
                  <span className="grade-path-date">{v.date}</span>
                  <GradeTag display={visitGradeDisplay(v)} unverified={v.unverified} />
                </span>
              ))}
            </div>
          )}
          <h3>检查记录</h3>
          <Table<InspectionSummary>
            rowKey="id"
            size="small"
            pagination={false}
            columns={columns}
            dataSource={visits}
            locale={{ emptyText: <Empty description="暂无检查记录" /> }}
          />
          <h3>违法情形</h3>
          {violations && violations.violations.length > 0 ? (
            <ul className="violation-list">
              {violations.violations.map((v) => (
                <li key={v.id} className={v.withdrawal ? 'violation-withdrawn' : undefined}>
                  <span className="violation-text">
                    <Tag color={v.withdrawal ? 'default' : 'red'}>{v.kind}</Tag> {v.date}
                    {v.note && <Typography.Text type="secondary"> {v.note}</Typography.Text>}
                    {v.evidence.length > 0 && (
                      <Typography.Text type="secondary">
                        （证据 {v.evidence.length} 份）
                      </Typography.Text>
                    )}
                  </span>
                  {v.withdrawal ? (
                    <div className="violation-withdrawal">
                      已撤销：{v.withdrawal.by}
                      {v.withdrawal.account ? `（同步账号 ${v.withdrawal.account}）` : ''}于{' '}
                      {dateTimeText(v.withdrawal.at)} 撤销，原因：{v.withdrawal.reason}
                    </div>
                  ) : (
                    <Button type="link" size="small" danger onClick={() => setWithdrawing(v)}>
                      撤销
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          ) : (
            <Typography.Paragraph type="secondary">无</Typography.Paragraph>
          )}
        </>
      )}
      <StartVisitModal
        open={starting}
        enterprise={enterprise}
        onClose={() => setStarting(false)}
        onStarted={(id) => {
          setStarting(false);
          onClose();
          openVisit(id);
        }}
      />
      <WithdrawViolationModal violation={withdrawing} onClose={() => setWithdrawing(null)} />
      {enterprise && (
        <ViolationModal
          open={recording}
          enterpriseId={enterprise.id}
          enterpriseName={enterprise.name}
          inspectionId={null}
          defaultDate={todayText()}
          onClose={() => setRecording(false)}
          onSaved={() => setRecording(false)}
        />
      )}
    </Drawer>
  );
}
