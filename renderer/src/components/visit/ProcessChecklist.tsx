/**
 * One visited process's checklist on the visit page: its indicators grouped by dimension, each
 * answered in place, with the grade each answer reaches and the highlight a gap link leaves on its
 * indicator.
 */
import { Alert, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';

import {
  type EvidenceUse,
  type InspectionAnswer,
  type InspectionDetail,
  type InspectionProcess,
  type ProcessGrading,
} from '../../../../shared/domain/inspection';
import { rulesetLabel, rulesetSummary } from '../../../../shared/grading/field';
import { GENERAL_CHECKLIST_NAME } from '../../../../shared/grading/general';
import type { Ruleset } from '../../../../shared/grading/types';
import { groupByDimension } from '../../ruleset-text';
import { answerKey, useVisitStore } from '../../stores/visit';
import { DimensionCard } from './DimensionCard';
import { IndicatorCard, indicatorDomId } from './IndicatorCard';

/** How long an indicator a gap link pointed to stays highlighted. */
const HIGHLIGHT_MS = 2500;

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
export function ProcessChecklist({
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
            // What both kinds of card are given.
            const card = {
              inspectionId: detail.inspection.id,
              processId: process.processId,
              ruleset,
              indicator,
              note: answer?.note ?? null,
              evidence: evidenceByKey.get(key) ?? NO_EVIDENCE,
              targetGrade: process.targetGrade,
              gap: gapByIndicator.get(indicator.id) ?? null,
              error: answerErrors[key] ?? null,
              disabled,
              highlighted: highlighted === indicator.id,
              onChange: change,
              onEvidenceChanged,
            };
            if (process.ruleset.general) {
              return (
                <DimensionCard
                  key={indicator.id}
                  {...card}
                  fact={typeof answer?.fact === 'string' ? answer.fact : null}
                  problems={answer?.problems ?? NO_LIST}
                  readings={answer?.readings ?? NO_LIST}
                />
              );
            }
            return (
              <IndicatorCard
                key={indicator.id}
                {...card}
                fact={answer?.fact ?? null}
                reached={answer?.fact != null ? reachedGrade(ruleset, grading, indicator.id) : null}
              />
            );
          })}
        </section>
      ))}
    </div>
  );
}
