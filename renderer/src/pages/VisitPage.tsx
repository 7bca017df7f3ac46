import { ArrowLeftOutlined, FilePdfOutlined, WarningOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Empty,
  Input,
  Modal,
  Popconfirm,
  Spin,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';

import { type EvidenceUse } from '../../../shared/domain/inspection';
import { processGradeDisplay } from '../../../shared/grading/display';
import { JUDGED_LABEL } from '../../../shared/grading/general';
import { api } from '../api';
import { PageHeader } from '../components/PageHeader';
import { RecordNumber } from '../components/RecordNumber';
import { ApplyDrawer } from '../components/review/ApplyDrawer';
import { FinalizedVisitDeleteModal } from '../components/visit/FinalizedVisitDeleteModal';
import { GradingPanel } from '../components/visit/GradingPanel';
import { ProcessChecklist } from '../components/visit/ProcessChecklist';
import { SaveStatus } from '../components/visit/SaveStatus';
import { TeamCard } from '../components/visit/TeamCard';
import { ViolationModal } from '../components/visit/ViolationModal';
import { VisitEvidenceCard } from '../components/visit/VisitEvidenceCard';
import { VisitHistory } from '../components/visit/VisitHistory';
import { VisitInfo } from '../components/visit/VisitInfo';
import { dateTimeText } from '../dates';
import { errorText } from '../errors';
import { downloadFile } from '../files';
import { useNavigation } from '../stores/navigation';
import { answerKey, useVisitStore } from '../stores/visit';

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
  const [applyOpen, setApplyOpen] = useState(false);
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
                <Button onClick={() => setApplyOpen(true)}>申报等级</Button>
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
          <VisitHistory detail={detail} />
        </aside>
      </div>
      <ApplyDrawer
        open={applyOpen}
        enterprise={{ id: inspection.enterpriseId, name: detail.enterpriseName }}
        visitId={inspection.id}
        onClose={() => setApplyOpen(false)}
      />
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
