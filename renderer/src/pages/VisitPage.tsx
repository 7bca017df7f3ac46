import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  CloudSyncOutlined,
  FilePdfOutlined,
  ExclamationCircleOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Spin,
  Tabs,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';

import {
  INSPECTION_TYPES,
  type EvidenceUse,
  type InspectionAnswer,
  type InspectionDetail,
  type InspectionProcess,
  type InspectionType,
  type ProcessGrading,
} from '../../../shared/domain/inspection';
import { processGradeDisplay } from '../../../shared/grading/display';
import { rulesetLabel, rulesetSummary } from '../../../shared/grading/field';
import { GENERAL_CHECKLIST_NAME, JUDGED_LABEL } from '../../../shared/grading/general';
import type { Ruleset } from '../../../shared/grading/types';
import { api } from '../api';
import { DateField } from '../components/DateField';
import { FoldCard } from '../components/FoldCard';
import { PageHeader } from '../components/PageHeader';
import { RecordNumber } from '../components/RecordNumber';
import { EvidenceList } from '../components/visit/EvidenceList';
import { FinalizedVisitDeleteModal } from '../components/visit/FinalizedVisitDeleteModal';
import { GradingPanel } from '../components/visit/GradingPanel';
import { DimensionCard } from '../components/visit/DimensionCard';
import { IndicatorCard, indicatorDomId } from '../components/visit/IndicatorCard';
import { TeamCard } from '../components/visit/TeamCard';
import { ViolationModal } from '../components/visit/ViolationModal';
import { dateTimeText } from '../dates';
import { downloadFile } from '../files';
import { groupByDimension } from '../ruleset-text';
import { useNavigation } from '../stores/navigation';
import { answerKey, useVisitStore, type SaveState } from '../stores/visit';
import { errorText } from '../errors';

/** How long an indicator a gap link pointed to stays highlighted. */
const HIGHLIGHT_MS = 2500;

function SaveStatus({ save }: { save: SaveState }) {
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
          <CheckCircleOutlined /> 已保存 {new Date(save.at).toLocaleTimeString('zh-CN')}
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

/**
 * The best grade an answer meets: the best grade whose gaps do not name the indicator (grades at
 * or below the process's grade have no gaps and are met). Null when unanswered or ungraded.
 */
export function reachedGrade(
  ruleset: Ruleset,
  grading: ProcessGrading | undefined,
  indicatorId: string,
): string | null {
  if (!grading || grading.grade === null) return null;
  for (const { grade } of ruleset.grades) {
    if (!(grading.gaps[grade] ?? []).some((g) => g.indicatorId === indicatorId)) return grade;
  }
  return null;
}

const NO_EVIDENCE: readonly EvidenceUse[] = [];
const NO_LIST: readonly never[] = [];

/** One visited process: its checklist by dimension. */
function ProcessChecklist({
  detail,
  process,
  grading,
  evidenceByKey,
}: {
  detail: InspectionDetail;
  process: InspectionProcess;
  grading: ProcessGrading | undefined;
  evidenceByKey: Map<string, EvidenceUse[]>;
}) {
  const change = useVisitStore((s) => s.change);
  const reload = useVisitStore((s) => s.reload);
  const onEvidenceChanged = useCallback(() => void reload(), [reload]);
  const answerErrors = useVisitStore((s) => s.answerErrors);
  const focus = useVisitStore((s) => s.focus);
  /** The focus whose highlight has run its time. */
  const [expired, setExpired] = useState<number | null>(null);
  const ruleset = process.ruleset.ruleset;
  const disabled = detail.inspection.status !== 'draft';

  const answers = useMemo(() => {
    const map = new Map<string, InspectionAnswer>();
    for (const a of detail.answers)
      if (a.processId === process.processId) map.set(a.indicatorId, a);
    return map;
  }, [detail.answers, process.processId]);

  const gapByIndicator = useMemo(
    () => new Map((grading?.gapsToTarget ?? []).map((g) => [g.indicatorId, g])),
    [grading],
  );

  const highlighted =
    focus && focus.processId === process.processId && focus.at !== expired
      ? focus.indicatorId
      : null;

  useEffect(() => {
    if (!focus || focus.processId !== process.processId) return;
    const el = document.getElementById(indicatorDomId(focus.processId, focus.indicatorId));
    el?.scrollIntoView({ behavior: 'smooth', block: 'center' });
    const timer = setTimeout(() => setExpired(focus.at), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [focus, process.processId]);

  if (!ruleset) {
    return (
      <Alert
        type="error"
        showIcon
        title={`本机没有此次检查所用的分级指标（${process.ruleset.edition} 版），无法显示检查表；同步后再打开`}
      />
    );
  }

  return (
    <div className="checklist">
      {process.ruleset.general && (
        <Alert
          type="info"
          showIcon
          className="general-checklist-note"
          title={`${GENERAL_CHECKLIST_NAME}：本工序所属行业尚无分级指标`}
          description={
            // One line until asked: the checklist comes up on a laptop's screen.
            <Typography.Paragraph
              className="general-checklist-help"
              ellipsis={{
                rows: 1,
                expandable: 'collapsible',
                symbol: (expanded: boolean) => (expanded ? '收起' : '展开说明'),
              }}
            >
              逐个维度查看现场，记录现状、实测读数、存在问题和照片，由帮扶组判定各维度达到的等级（专家判定）；工序等级取最差的维度（短板原则）。存在问题和未达目标的维度将列入一企一策。
            </Typography.Paragraph>
          }
        />
      )}
      {!process.ruleset.general && (
        // The table in words and its 说明 for the team; its 来源与缺项 stays in the library.
        <Alert
          type={ruleset.status === 'draft' ? 'warning' : 'info'}
          showIcon
          className="ruleset-summary"
          title={rulesetLabel(ruleset)}
          description={rulesetSummary(ruleset) ?? undefined}
        />
      )}
      {groupByDimension(ruleset.indicators).map(({ dimension, indicators }) => (
        <section key={dimension} className="dimension-section" aria-label={dimension}>
          {/* The 通用帮扶检查表 has one card per dimension, which names it. */}
          {!process.ruleset.general && <h3 className="dimension-title">{dimension}</h3>}
          {indicators.map((indicator) => {
            const answer = answers.get(indicator.id);
            const key = answerKey(process.processId, indicator.id);
            if (process.ruleset.general) {
              return (
                <DimensionCard
                  key={indicator.id}
                  inspectionId={detail.inspection.id}
                  processId={process.processId}
                  ruleset={ruleset}
                  indicator={indicator}
                  fact={typeof answer?.fact === 'string' ? answer.fact : null}
                  note={answer?.note ?? null}
                  problems={answer?.problems ?? NO_LIST}
                  readings={answer?.readings ?? NO_LIST}
                  evidence={evidenceByKey.get(key) ?? NO_EVIDENCE}
                  targetGrade={process.targetGrade}
                  gap={gapByIndicator.get(indicator.id) ?? null}
                  error={answerErrors[key] ?? null}
                  disabled={disabled}
                  highlighted={highlighted === indicator.id}
                  onChange={change}
                  onEvidenceChanged={onEvidenceChanged}
                />
              );
            }
            return (
              <IndicatorCard
                key={indicator.id}
                inspectionId={detail.inspection.id}
                processId={process.processId}
                ruleset={ruleset}
                indicator={indicator}
                fact={answer?.fact ?? null}
                note={answer?.note ?? null}
                evidence={evidenceByKey.get(key) ?? NO_EVIDENCE}
                reached={answer?.fact != null ? reachedGrade(ruleset, grading, indicator.id) : null}
                targetGrade={process.targetGrade}
                gap={gapByIndicator.get(indicator.id) ?? null}
                error={answerErrors[key] ?? null}
                disabled={disabled}
                highlighted={highlighted === indicator.id}
                onChange={change}
                onEvidenceChanged={onEvidenceChanged}
              />
            );
          })}
        </section>
      ))}
    </div>
  );
}

/** Date, type and note of the visit; editable while it is a draft. */
function VisitInfo({ detail }: { detail: InspectionDetail }) {
  const { message } = App.useApp();
  const apply = useVisitStore((s) => s.apply);
  const typeNote = useVisitStore((s) => s.typeNote);
  const { inspection } = detail;
  const disabled = inspection.status !== 'draft';
  const [note, setNote] = useState(inspection.note ?? '');
  const noteFocused = useRef(false);
  // A note from elsewhere (restored from drafts, reloaded) shows unless the box is being typed in.
  useEffect(() => {
    if (!noteFocused.current) setNote(inspection.note ?? '');
  }, [inspection.note]);

  async function update(fields: { date?: string; type?: InspectionType; note?: string | null }) {
    try {
      await apply(() => api.call('inspection.update', { id: inspection.id, ...fields }));
    } catch (e) {
      void message.error(errorText(e));
    }
  }

  const summary = [
    inspection.date,
    inspection.type,
    inspection.note ? `备注：${inspection.note}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // A finalized visit's date and type are in its header: folded to one line.
  return (
    <FoldCard
      title="检查信息"
      className="visit-info"
      summary={<span title={summary}>{summary}</span>}
      defaultFolded={disabled}
    >
      <Space wrap size={16}>
        <label>
          检查日期{' '}
          <DateField
            aria-label="检查日期"
            value={inspection.date}
            disabled={disabled}
            allowClear={false}
            onChange={(date) => date && date !== inspection.date && void update({ date })}
            style={{ width: 140 }}
          />
        </label>
        <Radio.Group
          aria-label="检查类型"
          optionType="button"
          value={inspection.type}
          disabled={disabled}
          onChange={(e) => void update({ type: e.target.value as InspectionType })}
          options={INSPECTION_TYPES.map((t) => ({ value: t, label: t }))}
        />
      </Space>
      <Input.TextArea
        aria-label="检查备注"
        className="visit-note"
        placeholder="备注（自动保存）"
        value={note}
        disabled={disabled}
        autoSize={{ minRows: 1, maxRows: 4 }}
        maxLength={2000}
        onFocus={() => (noteFocused.current = true)}
        onBlur={() => (noteFocused.current = false)}
        onChange={(e) => {
          setNote(e.target.value);
          typeNote(e.target.value);
        }}
      />
    </FoldCard>
  );
}

/** 现场照片与文件 of the whole visit: folded when there were some already, or once finalized. */
function VisitEvidenceCard({
  inspectionId,
  evidence,
  draft,
  onChanged,
}: {
  inspectionId: string;
  evidence: readonly EvidenceUse[];
  draft: boolean;
  onChanged: () => void;
}) {
  const [filesAtOpen] = useState(evidence.length > 0);
  return (
    <FoldCard
      title="现场照片与文件"
      className="visit-evidence"
      summary={
        evidence.length > 0
          ? `${evidence.length} 个文件：${evidence.map((e) => e.fileName).join('、')}`
          : '无'
      }
      defaultFolded={!draft || filesAtOpen}
    >
      <EvidenceList
        evidence={evidence}
        disabled={!draft}
        target={{ inspectionId }}
        onChanged={onChanged}
      />
    </FoldCard>
  );
}

function History({ detail }: { detail: InspectionDetail }) {
  const openVisit = useNavigation((s) => s.openVisit);
  if (detail.history.length <= 1 && !detail.revisedBy) return null;
  return (
    <Card size="small" title="修订历史" className="visit-history">
      <Timeline
        items={detail.history.map((h, i) => ({
          color: h.status === 'finalized' ? 'green' : 'blue',
          content: (
            <Space size={4} wrap>
              {h.id === detail.inspection.id ? (
                <Typography.Text strong>
                  {i === 0 ? '原始记录' : `修订 ${i}`}（当前）
                </Typography.Text>
              ) : (
                <Typography.Link onClick={() => openVisit(h.id)}>
                  {i === 0 ? '原始记录' : `修订 ${i}`}
                </Typography.Link>
              )}
              <span>{h.date}</span>
              <RecordNumber number={h.number} label="" />
              <Tag color={h.status === 'finalized' ? 'green' : 'blue'}>
                {h.status === 'finalized' ? '已定稿' : '草稿'}
              </Tag>
              {h.revisionOf && <Typography.Text type="secondary">更正上一版本</Typography.Text>}
            </Space>
          ),
        }))}
      />
    </Card>
  );
}

/** 现场检查: one visit, answered indicator by indicator, with its live grade and gaps. */
export function VisitPage({ id }: { id: string }) {
  const { message } = App.useApp();
  const openVisit = useNavigation((s) => s.openVisit);
  const detail = useVisitStore((s) => (s.id === id ? s.detail : null));
  const loading = useVisitStore((s) => s.loading);
  const error = useVisitStore((s) => s.error);
  const save = useVisitStore((s) => s.save);
  const open = useVisitStore((s) => s.open);
  const reload = useVisitStore((s) => s.reload);
  const apply = useVisitStore((s) => s.apply);
  const showIndicator = useVisitStore((s) => s.showIndicator);
  const focus = useVisitStore((s) => s.focus);
  const restore = useVisitStore((s) => s.restore);
  const dismissRestore = useVisitStore((s) => s.dismissRestore);
  /** The tab a person chose, and when: a later gap link (focus) takes over. */
  const [tab, setTab] = useState<{ key: string; at: number } | undefined>(undefined);
  const [violationOpen, setViolationOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [reviseOpen, setReviseOpen] = useState(false);
  const [reviseReason, setReviseReason] = useState('');
  const [revising, setRevising] = useState(false);
  const openPlan = useNavigation((s) => s.openPlan);
  const resumed = useRef<string | null>(null);

  useEffect(() => {
    void open(id);
  }, [id, open]);

  useEffect(() => {
    return api.on('data.changed', ({ tables }) => {
      if (
        tables.length === 0 ||
        tables.some((t) => t === 'violations' || t === 'inspection_members')
      ) {
        void reload();
      }
    });
  }, [reload]);

  // A reopened draft continues where it was left: the last answered indicator.
  useEffect(() => {
    if (!detail || resumed.current === detail.inspection.id) return;
    resumed.current = detail.inspection.id;
    const last = detail.lastAnswer;
    if (!last || detail.inspection.status !== 'draft') return;
    const timer = setTimeout(() => showIndicator(last.processId, last.indicatorId), 0);
    return () => clearTimeout(timer);
  }, [detail, showIndicator]);

  const evidenceByKey = useMemo(() => {
    const map = new Map<string, EvidenceUse[]>();
    for (const e of detail?.evidence ?? []) {
      if (e.processId === null || e.indicatorId === null) continue;
      const key = answerKey(e.processId, e.indicatorId);
      map.set(key, [...(map.get(key) ?? []), e]);
    }
    return map;
  }, [detail?.evidence]);

  if (!detail) {
    return (
      <div className="page">
        <Button icon={<ArrowLeftOutlined />} onClick={() => openVisit(null)}>
          返回检查列表
        </Button>
        {error ? (
          <Alert type="error" showIcon title="检查记录打开失败" description={error} />
        ) : (
          <Spin spinning={loading}>
            <div style={{ height: 200 }} />
          </Spin>
        )}
      </div>
    );
  }

  const { inspection } = detail;
  const draft = inspection.status === 'draft';
  const visitEvidence = detail.evidence.filter((e) => e.indicatorId === null);
  const gradingOf = new Map(detail.grading.processes.map((p) => [p.processId, p]));

  async function revise(): Promise<void> {
    setRevising(true);
    try {
      const revision = await api.call('inspection.revise', {
        id: inspection.id,
        reason: reviseReason.trim(),
      });
      void message.success('已创建修订版本，可在其中更正');
      setReviseOpen(false);
      setReviseReason('');
      openVisit(revision.inspection.id);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setRevising(false);
    }
  }

  async function exportPdf(): Promise<void> {
    setExporting(true);
    try {
      await useVisitStore.getState().flush();
      const file = await api.call('inspection.exportPdf', { id: inspection.id });
      downloadFile(file);
      void message.success(`已导出 ${file.pages} 页：${file.fileName}`);
    } catch (e) {
      void message.error(`导出失败：${errorText(e)}`);
    } finally {
      setExporting(false);
    }
  }

  async function draftPlan(): Promise<void> {
    try {
      const plan = await api.call('plan.draft', {
        enterpriseId: inspection.enterpriseId,
        inspectionId: inspection.id,
      });
      void message.success(`已起草提升方案第 ${plan.plan.currentVersion} 版`);
      openPlan({ id: plan.plan.id });
    } catch (e) {
      void message.error(errorText(e));
    }
  }

  async function remove(): Promise<void> {
    try {
      await apply(async () => {
        await api.call('inspection.delete', { id: inspection.id });
        return detail!;
      });
      void message.success('已将草稿移入回收站，30 天内可恢复');
      openVisit(null);
    } catch (e) {
      void message.error(errorText(e));
    }
  }

  return (
    <div className="page visit-page">
      <PageHeader
        onBack={() => openVisit(null)}
        titleClassName="visit-title"
        title={detail.enterpriseName}
        meta={
          <>
            <span className="visit-when">
              {inspection.date} {inspection.type}
            </span>
            <RecordNumber number={inspection.number} />
            <Tag color={draft ? 'blue' : 'green'} className="visit-status">
              {draft ? '草稿' : '已定稿'}
            </Tag>
            {inspection.revisionOf && <Tag color="purple">修订版本</Tag>}
            {draft && <SaveStatus save={save} />}
          </>
        }
        actions={
          <>
            <Button danger icon={<WarningOutlined />} onClick={() => setViolationOpen(true)}>
              记录违法情形
            </Button>
            <Button icon={<FilePdfOutlined />} loading={exporting} onClick={() => void exportPdf()}>
              导出记录 PDF
            </Button>
            {!draft && !detail.revisedBy && (
              <>
                <Button onClick={() => void draftPlan()}>起草提升方案</Button>
                <Button type="primary" onClick={() => setReviseOpen(true)}>
                  更正（创建修订）
                </Button>
              </>
            )}
            {!draft && (
              <Button danger type="text" onClick={() => setDeleteOpen(true)}>
                删除记录
              </Button>
            )}
            {draft && (
              <Popconfirm
                title="删除此检查草稿？"
                description="已填写的内容将一并删除。"
                okText="删除"
                cancelText="取消"
                okButtonProps={{ danger: true }}
                onConfirm={() => void remove()}
              >
                <Button danger type="text">
                  删除草稿
                </Button>
              </Popconfirm>
            )}
          </>
        }
      />
      {restore && (
        <Alert
          type={restore.skipped.length > 0 ? 'warning' : 'info'}
          showIcon
          closable={{ onClose: dismissRestore }}
          className="visit-banner restore-notice"
          title={
            restore.restored > 0
              ? `已恢复上次未保存的 ${restore.restored} 处输入，并已重新保存`
              : '上次未保存的输入没有恢复'
          }
          description={
            restore.skipped.length > 0 && (
              <>
                另有 {restore.skipped.length}{' '}
                处输入没有恢复，因为这些内容后来在其他设备上改过（已同步过来）。需要的话请复制后重新填写：
                <ul>
                  {restore.skipped.map((t, i) => (
                    <li key={i}>{t}</li>
                  ))}
                </ul>
              </>
            )
          }
        />
      )}
      {!draft && (
        <FinalizedVisitDeleteModal
          open={deleteOpen}
          inspectionId={inspection.id}
          label={`${inspection.date} ${inspection.type}`}
          onClose={() => setDeleteOpen(false)}
          onDeleted={() => {
            setDeleteOpen(false);
            openVisit(null);
          }}
        />
      )}
      {!draft && (
        <Alert
          type="success"
          showIcon
          className="visit-banner"
          title={`此记录已于 ${dateTimeText(inspection.finalizedAt ?? 0)} 定稿，不可修改${
            detail.revisedBy
              ? ''
              : '；如需更正，请点击“更正（创建修订）”，在修订版本中修改，原记录保留'
          }`}
          action={
            detail.revisedBy && (
              <Button size="small" onClick={() => openVisit(detail.revisedBy!.id)}>
                查看修订版本（{detail.revisedBy.status === 'finalized' ? '已定稿' : '草稿'}）
              </Button>
            )
          }
        />
      )}
      {inspection.revisionOf && inspection.correctionReason && (
        <Alert
          type="info"
          showIcon
          className="correction-reason"
          title={`更正原因：${inspection.correctionReason}`}
        />
      )}
      {!draft && detail.revisedBy?.reason && (
        <Alert
          type="warning"
          showIcon
          className="correction-reason"
          title={`此记录已被更正（更正记录编号 ${detail.revisedBy.number}），更正原因：${detail.revisedBy.reason}`}
        />
      )}
      <Modal
        open={reviseOpen}
        title="更正此记录"
        okText="创建修订版本"
        cancelText="取消"
        confirmLoading={revising}
        okButtonProps={{ disabled: reviseReason.trim().length < 2 }}
        onCancel={() => setReviseOpen(false)}
        onOk={() => void revise()}
      >
        <Typography.Paragraph>
          原记录保留不变；更正在新建的修订版本中进行，修订版本需重新确认、签名后定稿。请写明更正原因，它会显示在原记录和修订版本上，并打印在记录上。
        </Typography.Paragraph>
        <Input.TextArea
          aria-label="更正原因"
          placeholder="更正原因（例如：氮氧化物读数抄录有误，应为 85 mg/m³）"
          value={reviseReason}
          maxLength={500}
          autoSize={{ minRows: 2, maxRows: 5 }}
          onChange={(e) => setReviseReason(e.target.value)}
        />
      </Modal>
      <div className="visit-layout">
        <div className="visit-main">
          <VisitInfo key={inspection.id} detail={detail} />
          <TeamCard detail={detail} />
          <VisitEvidenceCard
            inspectionId={inspection.id}
            evidence={visitEvidence}
            draft={draft}
            onChanged={() => void reload()}
          />
          {detail.processes.length === 0 ? (
            <Empty description="此次检查没有工序" />
          ) : (
            <Tabs
              className="visit-tabs"
              activeKey={
                (focus && (tab === undefined || focus.at > tab.at) ? focus.processId : tab?.key) ??
                detail.processes[0]?.processId
              }
              onChange={(key) => setTab({ key, at: Date.now() })}
              items={detail.processes.map((p) => {
                const g = gradingOf.get(p.processId);
                const shown = g ? processGradeDisplay(g, detail.grading.frozen) : null;
                return {
                  key: p.processId,
                  label: (
                    <span>
                      {p.label}
                      {shown && (
                        <Tag
                          className="tab-grade"
                          color={shown.kind === 'final' ? 'blue' : 'default'}
                          title={shown.text}
                        >
                          {g?.judged && shown.grade ? `${JUDGED_LABEL} ` : ''}
                          {shown.kind === 'provisional'
                            ? `暂评 ${shown.grade}`
                            : shown.kind === 'final'
                              ? shown.grade
                              : shown.kind === 'ungraded'
                                ? shown.text
                                : '—'}
                        </Tag>
                      )}
                    </span>
                  ),
                  children: (
                    <ProcessChecklist
                      detail={detail}
                      process={p}
                      grading={g}
                      evidenceByKey={evidenceByKey}
                    />
                  ),
                };
              })}
            />
          )}
        </div>
        <aside className="visit-side">
          <GradingPanel grading={detail.grading} onShow={showIndicator} />
          <History detail={detail} />
        </aside>
      </div>
      <ViolationModal
        open={violationOpen}
        enterpriseId={inspection.enterpriseId}
        enterpriseName={detail.enterpriseName}
        inspectionId={inspection.id}
        defaultDate={inspection.date}
        onClose={() => setViolationOpen(false)}
        onSaved={() => {
          setViolationOpen(false);
          void reload();
        }}
      />
    </div>
  );
}
