import {
  ArrowLeftOutlined,
  FilePdfOutlined,
  ReloadOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect, useState } from 'react';

import { type PlanEdit } from '../../../shared/plan/api';
import type { PlanStatus } from '../../../shared/plan/schema';
import { api, ApiError } from '../api';
import { PageHeader } from '../components/PageHeader';
import { BenefitsView } from '../components/plan/BenefitsView';
import { MeasuresEditor, totalInvestment } from '../components/plan/MeasuresEditor';
import { SourceCard } from '../components/plan/PlanSourceCard';
import { StampLine } from '../components/plan/PlanStampLine';
import { StampModal, type Stamp } from '../components/plan/PlanStampModal';
import { TaxEditor } from '../components/plan/TaxEditor';
import { RecordNumber } from '../components/RecordNumber';
import { isCancelled, useTaskRunner } from '../components/TaskProgress';
import { dateTimeText } from '../dates';
import { errorText } from '../errors';
import { downloadFile } from '../files';
import { useNavigation, type PlanTarget } from '../stores/navigation';
import { usePlanStore } from '../stores/plan';

const STATUS_COLOR: Record<PlanStatus, string> = {
  草稿: 'blue',
  专家审定: 'gold',
  企业确认: 'green',
};

export function PlanStatusTag({ status }: { status: PlanStatus }) {
  return <Tag color={STATUS_COLOR[status]}>{status}</Tag>;
}

/** 一企一策提升方案: drafted from the gaps, edited by the expert, versioned, approved, printed. */
export function PlanPage({ target }: { target: PlanTarget }) {
  const { message: toast, modal } = App.useApp();
  const openPlan = useNavigation((s) => s.openPlan);
  const detail = usePlanStore((s) => s.detail);
  const edit = usePlanStore((s) => s.edit);
  const loading = usePlanStore((s) => s.loading);
  const missing = usePlanStore((s) => s.missing);
  const error = usePlanStore((s) => s.error);
  const recovered = usePlanStore((s) => s.recovered);
  const superseded = usePlanStore((s) => s.superseded);
  const open = usePlanStore((s) => s.open);
  const setEdit = usePlanStore((s) => s.setEdit);
  const discard = usePlanStore((s) => s.discard);
  const show = usePlanStore((s) => s.show);
  const task = useTaskRunner();
  const [stamp, setStamp] = useState<PlanStatus | null>(null);
  const [comment, setComment] = useState('');
  const [saving, setSaving] = useState(false);

  const targetKey = JSON.stringify(target);
  useEffect(() => {
    void open(JSON.parse(targetKey) as PlanTarget);
  }, [targetKey, open]);

  async function draft(enterpriseId: string, inspectionId?: string): Promise<void> {
    try {
      show(
        await api.call('plan.draft', { enterpriseId, ...(inspectionId ? { inspectionId } : {}) }),
      );
      void toast.success('已根据最新定稿的检查记录起草方案');
    } catch (e) {
      void toast.error(errorText(e));
    }
  }

  if (!detail) {
    const enterpriseId = 'enterpriseId' in target ? target.enterpriseId : null;
    return (
      <div className="page">
        <Button icon={<ArrowLeftOutlined />} onClick={() => openPlan(null)}>
          返回方案列表
        </Button>
        {loading ? (
          <Spin>
            <div style={{ height: 200 }} />
          </Spin>
        ) : error ? (
          <Alert type="error" showIcon title="方案打开失败" description={error} />
        ) : missing && enterpriseId ? (
          <Alert
            type="info"
            showIcon
            className="plan-missing"
            title="该企业还没有提升方案"
            description="方案根据最新定稿的现场检查记录起草：每项未达到目标等级的指标一条措施。"
            action={
              <Button type="primary" onClick={() => void draft(enterpriseId)}>
                起草方案
              </Button>
            }
          />
        ) : (
          <Alert type="warning" showIcon title="方案不存在或已删除" />
        )}
      </div>
    );
  }

  const { plan } = detail;
  const current = detail.version === plan.currentVersion;
  const readOnly = !current;
  const content: PlanEdit = edit ?? detail.content;
  const dirty = edit !== null;

  function change(fields: Partial<PlanEdit>): void {
    setEdit({ ...content, ...fields });
  }

  async function save(): Promise<void> {
    setSaving(true);
    try {
      const saved = await api.call('plan.save', {
        id: plan.id,
        baseVersion: plan.currentVersion,
        content,
        comment: comment.trim() || null,
      });
      show(saved);
      setComment('');
      void toast.success(`已保存为第 ${saved.plan.currentVersion} 版`);
    } catch (e) {
      if (e instanceof ApiError && e.issues.length > 0) {
        modal.error({
          title: '方案未保存',
          width: 640,
          content: (
            <ul>
              {e.issues.map((i, n) => (
                <li key={n}>{i.message}</li>
              ))}
            </ul>
          ),
          okText: '知道了',
        });
      } else {
        void toast.error(`方案未保存：${errorText(e)}`);
      }
    } finally {
      setSaving(false);
    }
  }

  async function setStatus(status: PlanStatus, given: Stamp): Promise<void> {
    try {
      show(
        await api.call('plan.setStatus', {
          id: plan.id,
          version: plan.currentVersion,
          status,
          ...given,
        }),
      );
      setStamp(null);
      void toast.success(status === '企业确认' ? '企业已确认，台账已更新' : `已${status}`);
    } catch (e) {
      void toast.error(errorText(e));
    }
  }

  async function exportPdf(): Promise<void> {
    try {
      const file = await task.run(
        '正在生成方案 PDF',
        (taskId) => api.call('plan.exportPdf', { id: plan.id, version: detail!.version, taskId }),
        { discardIfCancelled: true },
      );
      downloadFile(file);
      void toast.success(`已导出 ${file.pages} 页：${file.fileName}`);
    } catch (e) {
      if (isCancelled(e)) void toast.info('已取消，未生成文件');
      else void toast.error(`导出失败：${errorText(e)}`);
    }
  }

  function confirmRemove(): void {
    void modal.confirm({
      title: '删除这份提升方案？',
      content: '方案连同它的各个版本移入回收站，30 天内可在“回收站”恢复。',
      okText: '删除并移入回收站',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await api.call('plan.delete', { id: plan.id });
          void toast.success('已将方案移入回收站，30 天内可恢复');
          openPlan(null);
        } catch (e) {
          void toast.error(errorText(e));
        }
      },
    });
  }

  const total = totalInvestment(content.measures);
  return (
    <div className="page plan-page">
      <PageHeader
        onBack={() => openPlan(null)}
        title={`一企一策提升方案 · ${detail.enterpriseName}`}
        titleClassName="plan-title"
        meta={
          <>
            <RecordNumber number={plan.number} />
            <PlanStatusTag status={plan.status} />
            <Select<number>
              aria-label="版本"
              size="small"
              value={detail.version}
              style={{ width: 230 }}
              onChange={(version) =>
                void open(
                  version === plan.currentVersion ? { id: plan.id } : { id: plan.id, version },
                )
              }
              options={[...detail.versions].reverse().map((v) => ({
                value: v.version,
                label: `第 ${v.version} 版${v.version === plan.currentVersion ? '（当前）' : ''}${
                  plan.confirmed?.version === v.version ? ' · 企业确认' : ''
                }`,
              }))}
            />
            {detail.unverified && (
              <Tag color="warning" className="unverified-mark">
                指标待核实
              </Tag>
            )}
          </>
        }
        actions={
          <>
            {current && (
              <>
                <Button
                  icon={<ReloadOutlined />}
                  onClick={() => {
                    void modal.confirm({
                      title: '重新起草方案？',
                      content:
                        '将根据最新定稿的检查记录生成新版本：已填写的责任人、期限、投资和措施文字保留，手工添加的措施保留。',
                      okText: '重新起草',
                      cancelText: '取消',
                      onOk: () => {
                        void draft(plan.enterpriseId);
                      },
                    });
                  }}
                  disabled={dirty}
                >
                  重新起草
                </Button>
                {plan.status === '草稿' && (
                  <Button disabled={dirty} onClick={() => setStamp('专家审定')}>
                    专家审定
                  </Button>
                )}
                {plan.status === '专家审定' && (
                  <Button disabled={dirty} onClick={() => setStamp('企业确认')}>
                    企业确认
                  </Button>
                )}
              </>
            )}
            <Button icon={<FilePdfOutlined />} onClick={() => void exportPdf()} disabled={dirty}>
              导出 PDF
            </Button>
            <Button danger type="text" disabled={dirty} onClick={confirmRemove}>
              删除方案
            </Button>
          </>
        }
      />
      {superseded && (
        <Alert
          type="warning"
          showIcon
          closable
          className="visit-banner"
          title="上次未保存的修改没有恢复：方案之后已保存了新的版本（可能来自其他设备），请在当前版本上重新修改"
        />
      )}
      {recovered > 0 && dirty && (
        <Alert
          type="info"
          showIcon
          className="visit-banner restore-notice"
          title={`已恢复上次未保存的 ${recovered} 处输入（还需点“保存为新版本”）`}
          action={
            <Button size="small" onClick={discard}>
              放弃这些修改
            </Button>
          }
        />
      )}
      {!current && (
        <Alert
          type="info"
          showIcon
          className="visit-banner"
          title={`正在查看第 ${detail.version} 版（只读）；当前为第 ${plan.currentVersion} 版`}
        />
      )}
      {current && (
        <div className="plan-savebar">
          <Input
            aria-label="修改说明"
            placeholder="修改说明（可选）"
            value={comment}
            maxLength={500}
            onChange={(e) => setComment(e.target.value)}
            style={{ maxWidth: 280 }}
          />
          <Button
            type="primary"
            icon={<SaveOutlined />}
            disabled={!dirty}
            loading={saving}
            onClick={() => void save()}
          >
            保存为新版本
          </Button>
          {dirty && (
            <Button type="text" onClick={discard}>
              放弃修改
            </Button>
          )}
          <Typography.Text type={dirty ? 'warning' : 'secondary'}>
            {dirty
              ? '未保存（已暂存在本机，点“保存为新版本”保存）'
              : `已保存（第 ${plan.currentVersion} 版）`}
          </Typography.Text>
          <span className="visit-toolbar-spacer" />
          <Typography.Text>
            共 {content.measures.length} 条措施，预计投资 {total ?? '—'} 万元
          </Typography.Text>
        </div>
      )}
      {detail.problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          className="visit-banner"
          title="起草时发现的问题"
          description={
            <ul>
              {detail.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      <div className="plan-cards">
        <SourceCard detail={detail} />
        <Card size="small" title="版本与审定" className="plan-versions">
          <Timeline
            items={[...detail.versions].reverse().map((v) => ({
              color: plan.confirmed?.version === v.version ? 'green' : 'blue',
              content: (
                <div>
                  <Space size={4} wrap>
                    <Typography.Text strong>第 {v.version} 版</Typography.Text>
                    {plan.reviewed?.version === v.version && (
                      <Tag color="gold">专家审定 · {plan.reviewed.by}</Tag>
                    )}
                    {plan.confirmed?.version === v.version && (
                      <Tag color="green">
                        企业确认 · {plan.confirmed.by}
                        {plan.confirmed.method ? `（${plan.confirmed.method}）` : ''}
                      </Tag>
                    )}
                  </Space>
                  {plan.reviewed?.version === v.version && (
                    <div className="plan-stamp">
                      <div>审定意见：{plan.reviewed.opinion || '（未填写）'}</div>
                      <StampLine stamp={plan.reviewed} />
                    </div>
                  )}
                  {plan.confirmed?.version === v.version && (
                    <div className="plan-stamp">
                      <StampLine stamp={plan.confirmed} />
                    </div>
                  )}
                  <div className="plan-version-meta">
                    {dateTimeText(v.savedAt)} · {v.measures} 条措施
                    {v.comment ? ` · ${v.comment}` : ''}
                  </div>
                </div>
              ),
            }))}
          />
        </Card>
      </div>
      <div className="plan-main">
        <Tabs
          items={[
            {
              key: 'measures',
              label: '差距与整改措施',
              children: (
                <MeasuresEditor
                  measures={content.measures}
                  readOnly={readOnly}
                  onChange={(measures) => change({ measures })}
                />
              ),
            },
            {
              key: 'benefits',
              label: '提级收益',
              children: <BenefitsView detail={detail} />,
            },
            {
              key: 'tax',
              label: '环保税减免测算',
              children: (
                <TaxEditor
                  limits={content.taxLimits}
                  readings={content.taxReadings}
                  readOnly={readOnly}
                  onChange={(taxLimits, taxReadings) => change({ taxLimits, taxReadings })}
                />
              ),
            },
          ]}
        />
        <Card size="small" title="备注">
          <Input.TextArea
            aria-label="方案备注"
            value={content.notes ?? ''}
            disabled={readOnly}
            autoSize={{ minRows: 2, maxRows: 8 }}
            maxLength={5000}
            onChange={(e) => change({ notes: e.target.value || null })}
          />
        </Card>
      </div>
      <StampModal
        status={stamp}
        onClose={() => setStamp(null)}
        onDone={(given) => setStatus(stamp!, given)}
      />
      {task.modal}
    </div>
  );
}
