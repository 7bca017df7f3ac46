import {
  Alert,
  App,
  Button,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import type { DowngradeProposal, ReviewAccount } from '../../../shared/api/methods/reviews';
import type { EnterpriseListItem } from '../../../shared/domain/enterprise';
import {
  isOfficialGrade,
  OFFICIAL_GRADES,
  ranksWorse,
  type OfficialGrade,
  type GradeChange,
  type GradeEvent,
  type OfficialGradeNow,
} from '../../../shared/domain/review';
import { gradeText } from '../../../shared/grading/text';
import { api } from '../api';
import { todayText } from '../dates';
import { errorText } from '../errors';
import { useGradeHistory, useReviewAccount } from '../queries';
import { DateField } from './DateField';

/** What the official grade reads as: B级, 引领性, or 未认定 when there is none (or it was revoked). */
export function officialGradeText(grade: string | null): string {
  return grade === null ? '未认定' : gradeText(grade);
}

/** The registry's 认定等级 cell: the grade with its date, a 保障类 tag, 未认定 when none. */
export function OfficialGradeCell({
  official,
  guarantee,
}: {
  official: OfficialGradeNow;
  guarantee: boolean;
}) {
  return (
    <Space size={4} wrap className="official-grade">
      {official.grade === null ? (
        <Typography.Text type="secondary">未认定</Typography.Text>
      ) : (
        <span title={`${official.since ?? ''} 起认定（${official.cause ?? ''}）`}>
          <Tag color="blue">{officialGradeText(official.grade)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {official.since}
          </Typography.Text>
        </span>
      )}
      {guarantee && <Tag color="gold">保障类</Tag>}
    </Space>
  );
}

const CHANGE_COLORS: Record<GradeChange, string> = {
  认定: 'blue',
  升级: 'green',
  降级: 'red',
  撤销: 'default',
};

type ChangeCause = '复核降级' | 'A+认定' | '撤销等级';

/** The change a reviewer is about to make, and what it starts from. */
interface Pending {
  cause: ChangeCause;
  processId: string | null;
  grade: string | null;
  inspectionId: string | null;
}

interface ChangeForm {
  subject: string;
  grade?: OfficialGrade;
  effectiveDate: string | null;
  reason: string;
  documentNo?: string;
  decidedBy: string;
}

const WHOLE = 'whole';

const TITLES: Record<ChangeCause, string> = {
  复核降级: '确认降级',
  'A+认定': '认定A+',
  撤销等级: '撤销等级',
};

/** The form of 确认降级 / 认定A+ / 撤销等级; grade.change checks the rules again. */
function GradeChangeModal({
  enterprise,
  pending,
  subjects,
  onClose,
}: {
  enterprise: EnterpriseListItem;
  pending: Pending | null;
  subjects: { value: string; label: string; grade: string | null }[];
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ChangeForm>();
  const [busy, setBusy] = useState(false);
  const subject = Form.useWatch('subject', form) ?? WHOLE;
  const now = subjects.find((s) => s.value === subject)?.grade ?? null;
  const worse = now === null ? [] : OFFICIAL_GRADES.filter((g) => ranksWorse(g, now));

  async function submit(values: ChangeForm) {
    if (!pending) return;
    setBusy(true);
    try {
      await api.call('grade.change', {
        enterpriseId: enterprise.id,
        processId: values.subject === WHOLE ? null : values.subject,
        cause: pending.cause,
        grade: pending.cause === '复核降级' ? (values.grade ?? null) : null,
        reason: values.reason,
        documentNo: values.documentNo ?? null,
        effectiveDate: values.effectiveDate ?? '',
        inspectionId: pending.inspectionId,
        decidedBy: values.decidedBy,
      });
      void message.success(`已${TITLES[pending.cause]}`);
      onClose();
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={pending !== null}
      title={pending ? `${TITLES[pending.cause]}：${enterprise.name}` : ''}
      okText={pending ? TITLES[pending.cause] : '确定'}
      okButtonProps={{ danger: pending?.cause !== 'A+认定' }}
      cancelText="取消"
      confirmLoading={busy}
      destroyOnHidden
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      {pending && (
        <Form<ChangeForm>
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={{
            subject: pending.processId ?? WHOLE,
            grade: isOfficialGrade(pending.grade) ? pending.grade : undefined,
            effectiveDate: todayText(),
          }}
          onFinish={(v) => void submit(v)}
        >
          <Form.Item name="subject" label="认定对象">
            <Select
              aria-label="认定对象"
              options={subjects.map((s) => ({
                value: s.value,
                label: `${s.label}（现为${officialGradeText(s.grade)}）`,
              }))}
            />
          </Form.Item>
          {pending.cause === '复核降级' && (
            <Form.Item
              name="grade"
              label="降级后的等级"
              rules={[{ required: true, message: '请选择降级后的等级' }]}
            >
              <Select
                aria-label="降级后的等级"
                options={worse.map((g) => ({ value: g, label: gradeText(g) }))}
              />
            </Form.Item>
          )}
          <Form.Item
            name="effectiveDate"
            label="生效日期"
            rules={[{ required: true, message: '请选择生效日期' }]}
          >
            <DateField aria-label="生效日期" style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="reason"
            label="原因"
            rules={[{ required: true, min: 2, message: '请填写原因（至少2个字）' }]}
          >
            <Input.TextArea aria-label="原因" maxLength={2000} autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item name="documentNo" label="文号（如有）">
            <Input aria-label="文号" maxLength={100} />
          </Form.Item>
          <Form.Item
            name="decidedBy"
            label="决定人"
            rules={[{ required: true, message: '请填写决定人姓名' }]}
          >
            <Input aria-label="决定人" maxLength={50} />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

function proposalText(p: DowngradeProposal): string {
  const number = p.inspectionNumber ? `（${p.inspectionNumber}）` : '';
  return `${p.inspectionDate} 的检查${number}核查为${gradeText(p.found)}，低于认定等级${gradeText(p.official)}，建议降级`;
}

/** Why an account may not change grades, for the line under the buttons. */
function accountNote(account: ReviewAccount | undefined): string | null {
  if (!account) return null;
  if (account.mayChangeGrade || account.mayRecordAPlus) return null;
  return account.why ?? '当前账号不能变更认定等级（须市级审核或自治区复审账号）';
}

export interface EnterpriseGradeDrawerProps {
  open: boolean;
  enterprise: EnterpriseListItem | null;
  onClose: () => void;
}

/**
 * 等级认定: an enterprise's official grade (认定等级, distinct from the teams' 核查等级), its 保障类
 * mark, every change, the 降级 its later visits point to, and (for the accounts allowed) 确认降级,
 * 认定A+ and 撤销等级.
 */
export function EnterpriseGradeDrawer({ open, enterprise, onClose }: EnterpriseGradeDrawerProps) {
  const history = useGradeHistory(open && enterprise ? enterprise.id : null);
  const account = useReviewAccount(open);
  const [pending, setPending] = useState<Pending | null>(null);
  const data = history.data;
  const may = account.data;

  const subjects = data
    ? [
        { value: WHOLE, label: '企业整体', grade: data.official.grade },
        ...data.processes.map((p) => ({
          value: p.processId,
          label: p.industry,
          grade: p.official.grade,
        })),
      ]
    : [];
  const processName = (id: string | null) =>
    id === null
      ? '企业整体'
      : (data?.processes.find((p) => p.processId === id)?.industry ?? '工序');

  const columns: TableColumnsType<GradeEvent> = [
    { title: '日期', dataIndex: 'effectiveDate', key: 'date', width: 110 },
    {
      title: '变更',
      key: 'change',
      width: 80,
      render: (_, e) => <Tag color={CHANGE_COLORS[e.change]}>{e.change}</Tag>,
    },
    {
      title: '等级',
      key: 'grade',
      width: 190,
      render: (_, e) => (
        <span>
          {officialGradeText(e.previousGrade)} → {officialGradeText(e.grade)}
          {data && data.processes.length > 0 && (
            <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
              {processName(e.processId)}
            </Typography.Text>
          )}
        </span>
      ),
    },
    {
      title: '原因',
      key: 'reason',
      render: (_, e) => (e.reason ? `${e.cause}：${e.reason}` : e.cause),
    },
    { title: '文号', key: 'documentNo', width: 150, render: (_, e) => e.documentNo ?? '—' },
    {
      title: '决定人',
      key: 'decidedBy',
      width: 140,
      render: (_, e) =>
        e.account && e.account !== e.decidedBy ? `${e.decidedBy}（经 ${e.account}）` : e.decidedBy,
    },
  ];

  const official = data?.official.grade ?? null;
  return (
    <Drawer
      open={open}
      size={960}
      title={enterprise ? `等级认定：${enterprise.name}` : '等级认定'}
      onClose={onClose}
      destroyOnHidden
    >
      {history.error && <Alert type="error" showIcon title={history.error} />}
      {!data && !history.error && <Spin />}
      {data && enterprise && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="认定等级（企业整体）">
              <OfficialGradeCell official={data.official} guarantee={data.guarantee !== null} />
              {data.official.cause && (
                <Typography.Text type="secondary"> {data.official.cause}</Typography.Text>
              )}
            </Descriptions.Item>
            {data.processes.map((p) => (
              <Descriptions.Item key={p.processId} label={`认定等级（${p.industry}）`}>
                <OfficialGradeCell official={p.official} guarantee={false} />
              </Descriptions.Item>
            ))}
            {data.guarantee && (
              <Descriptions.Item label="保障类企业">
                {data.guarantee.since ? `${data.guarantee.since} 起` : '是'}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Text type="secondary">
            认定等级由市级、自治区审核认定；帮扶队现场检查得出的是核查等级，二者不同。
          </Typography.Text>

          {data.proposals.map((p) => (
            <Alert
              key={p.inspectionId}
              type="warning"
              showIcon
              title={proposalText(p)}
              action={
                may?.mayChangeGrade ? (
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      setPending({
                        cause: '复核降级',
                        processId: p.processId,
                        grade: p.found,
                        inspectionId: p.inspectionId,
                      })
                    }
                  >
                    确认降级
                  </Button>
                ) : undefined
              }
            />
          ))}

          <Space wrap>
            {may?.mayChangeGrade && (
              <Button
                disabled={official === null && data.processes.length === 0}
                onClick={() =>
                  setPending({
                    cause: '复核降级',
                    processId: null,
                    grade: null,
                    inspectionId: null,
                  })
                }
              >
                确认降级
              </Button>
            )}
            {may?.mayRecordAPlus && (
              <Button
                disabled={official !== 'A' && !data.processes.some((p) => p.official.grade === 'A')}
                title="只有认定等级为A级的企业才能认定为A+"
                onClick={() =>
                  setPending({ cause: 'A+认定', processId: null, grade: null, inspectionId: null })
                }
              >
                认定A+
              </Button>
            )}
            {may?.mayChangeGrade && (
              <Button
                danger
                disabled={official === null && data.processes.length === 0}
                onClick={() =>
                  setPending({
                    cause: '撤销等级',
                    processId: null,
                    grade: null,
                    inspectionId: null,
                  })
                }
              >
                撤销等级
              </Button>
            )}
            {accountNote(may) && (
              <Typography.Text type="secondary">{accountNote(may)}</Typography.Text>
            )}
          </Space>

          <Table<GradeEvent>
            rowKey="id"
            size="small"
            columns={columns}
            dataSource={data.events}
            pagination={false}
            locale={{ emptyText: <Empty description="尚无等级认定记录" /> }}
          />
          <GradeChangeModal
            enterprise={enterprise}
            pending={pending}
            subjects={subjects}
            onClose={() => setPending(null)}
          />
        </Space>
      )}
    </Drawer>
  );
}
