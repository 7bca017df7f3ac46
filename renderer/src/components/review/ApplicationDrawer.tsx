import {
  Alert,
  Card,
  Col,
  Descriptions,
  Drawer,
  Empty,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Timeline,
  Typography,
} from 'antd';

import type {
  ApplicationDetail,
  ApplicationMaterials,
  ReviewStepView,
} from '../../../../shared/domain/review';
import { dateTimeText } from '../../dates';
import { useApplication, useReviewAccount } from '../../queries';
import { LoadFailed } from '../LoadFailed';
import { DecisionForm } from './DecisionForm';
import { EvidenceThumb } from './EvidenceThumb';
import { ResubmitForm } from './ResubmitForm';
import {
  ApplicationStatusTag,
  DECISION_COLORS,
  applicationContent,
  gradeName,
  nextStepText,
  personOf,
  routeName,
} from './reviewText';

type Visit = ApplicationMaterials['visits'][number];

/** The three grades side by side: the team's finding, what is applied for, the official one now. */
function Grades({ detail }: { detail: ApplicationDetail }) {
  const official = detail.official;
  return (
    <Row gutter={12} className="review-grades">
      <Col span={8}>
        <Card size="small">
          <Statistic title="核查等级（帮扶队核查）" value={detail.basisGrade ?? '未填写'} />
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small">
          <Statistic
            title="申报等级"
            value={detail.kind === '保障类' ? '保障类' : gradeName(detail.targetGrade)}
          />
        </Card>
      </Col>
      <Col span={8}>
        <Card size="small">
          <Statistic
            title={`认定等级（现行${official.since ? `，${official.since} 起` : ''}）`}
            value={official.grade === null ? '尚未认定' : gradeName(official.grade)}
          />
        </Card>
      </Col>
    </Row>
  );
}

function Materials({ detail }: { detail: ApplicationDetail }) {
  const { visits, plan, evidence } = detail.materials;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Grades detail={detail} />
      {detail.basisNote && (
        <Typography.Paragraph type="secondary">等级说明：{detail.basisNote}</Typography.Paragraph>
      )}
      <Table<Visit>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={visits}
        locale={{ emptyText: '未关联定稿的现场检查' }}
        columns={[
          { title: '编号', key: 'number', render: (_, v) => v.number ?? '—' },
          { title: '日期', dataIndex: 'date', key: 'date', width: 110 },
          { title: '类型', dataIndex: 'type', key: 'type', width: 100 },
          { title: '核查等级', key: 'grade', width: 90, render: (_, v) => gradeName(v.grade) },
          { title: '未达标项数', dataIndex: 'gaps', key: 'gaps', width: 100 },
          { title: '照片数', dataIndex: 'photos', key: 'photos', width: 80 },
        ]}
      />
      <Typography.Text>
        提升方案：
        {plan
          ? `${plan.number ?? '（无编号）'} · ${plan.status} · ${plan.measures} 项措施`
          : '未关联提升方案'}
      </Typography.Text>
      <div>
        <Typography.Text>证明材料：</Typography.Text>
        {evidence.length === 0 ? (
          <Typography.Text type="secondary">无</Typography.Text>
        ) : (
          <Space wrap size={12} style={{ marginTop: 8 }}>
            {evidence.map((file) => (
              <EvidenceThumb key={file.id} file={file} />
            ))}
          </Space>
        )}
      </div>
    </Space>
  );
}

function stepTitle(s: ReviewStepView): string {
  return s.step === '提交'
    ? s.round === 1
      ? '提交申报'
      : `第 ${s.round} 轮重新提交`
    : `${s.step}：${s.decision}`;
}

/** Every step of the application, a parked one struck through with the store's reason. */
function History({ steps }: { steps: ReviewStepView[] }) {
  if (steps.length === 0) return <Empty description="尚无审核记录" />;
  return (
    <Timeline
      className="review-history"
      items={steps.map((s) => ({
        key: s.id,
        color: s.parked ? 'red' : DECISION_COLORS[s.decision],
        title: (
          <span style={s.parked ? { textDecoration: 'line-through' } : undefined}>
            {stepTitle(s)}
          </span>
        ),
        content: (
          <div className={s.parked ? 'review-step-parked' : undefined}>
            <div>
              <Typography.Text type="secondary">
                {s.decidedBy}
                {s.account && s.account !== s.decidedBy ? `（登录账号：${s.account}）` : ''} ·{' '}
                {dateTimeText(s.decidedAt)}
              </Typography.Text>
              {s.requestVisit && (
                <Tag color="purple" style={{ marginLeft: 8 }}>
                  要求现场核查
                </Tag>
              )}
            </div>
            {s.opinion && (
              <div style={s.parked ? { textDecoration: 'line-through' } : undefined}>
                {s.step === '提交' ? '说明' : '意见'}：{s.opinion}
              </div>
            )}
            {s.parked && (
              <Typography.Text type="danger">未被中心库采纳：{s.parked}</Typography.Text>
            )}
          </div>
        ),
      }))}
    />
  );
}

/** What this account may do now: the allowed steps' forms, and why the others are closed. */
function Actions({
  detail,
  reviewer,
  onDone,
}: {
  detail: ApplicationDetail;
  reviewer: string;
  onDone: () => void;
}) {
  const decisions = detail.actions.filter((a) => a.step !== '提交');
  const submit = detail.actions.find((a) => a.step === '提交');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {decisions.map((a) =>
        a.allowed && a.step !== '提交' ? (
          <DecisionForm
            key={a.step}
            detail={detail}
            step={a.step}
            reviewer={reviewer}
            onDone={onDone}
          />
        ) : (
          <Alert
            key={a.step}
            type="warning"
            showIcon
            title={`不能进行${a.step}`}
            description={a.why ?? '当前账号不能进行这一步'}
          />
        ),
      )}
      {detail.status === '退回补充' &&
        submit &&
        (submit.allowed ? (
          <ResubmitForm detail={detail} applicant={reviewer} onDone={onDone} />
        ) : (
          <Alert
            type="warning"
            showIcon
            title="不能重新提交"
            description={submit.why ?? '当前账号不能重新提交'}
          />
        ))}
    </Space>
  );
}

/** One application: what it asks for, its materials side by side, its history and the actions. */
export function ApplicationDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { data, error, reload } = useApplication(id);
  const account = useReviewAccount(id !== null);
  const person = personOf(account.data?.account ?? null);
  const detail = data ?? null;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      size={960}
      title={
        detail ? (
          <Space>
            {detail.enterpriseName}
            <span>{applicationContent(detail)}</span>
            <ApplicationStatusTag status={detail.status} />
          </Space>
        ) : (
          '申报详情'
        )
      }
    >
      {error && <LoadFailed title="申报读取失败" error={error} />}
      {!detail && !error && <Typography.Text type="secondary">正在读取…</Typography.Text>}
      {detail && (
        <Space orientation="vertical" size={20} style={{ width: '100%' }}>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'industries', label: '行业', children: detail.industries || '—' },
              { key: 'route', label: '审核流程', children: routeName(detail.route) },
              { key: 'next', label: '下一步', children: nextStepText(detail.next) },
              { key: 'round', label: '轮次', children: `第 ${detail.round} 轮` },
              { key: 'applicant', label: '申报人', children: detail.applicant },
              { key: 'created', label: '申报时间', children: dateTimeText(detail.createdAt) },
              ...(detail.reason
                ? [
                    {
                      key: 'reason',
                      label: detail.kind === '保障类' ? '保障类理由' : '申报说明',
                      span: 2,
                      children: detail.reason,
                    },
                  ]
                : []),
            ]}
          />
          <section>
            <Typography.Title level={5}>材料</Typography.Title>
            <Materials detail={detail} />
          </section>
          <section>
            <Typography.Title level={5}>审核记录</Typography.Title>
            <History steps={detail.steps} />
          </section>
          <section>
            <Typography.Title level={5}>审核操作</Typography.Title>
            {detail.actions.length === 0 ? (
              <Typography.Text type="secondary">该申报已审核完毕，无需再操作。</Typography.Text>
            ) : (
              <Actions detail={detail} reviewer={person} onDone={() => void reload()} />
            )}
          </section>
        </Space>
      )}
    </Drawer>
  );
}
