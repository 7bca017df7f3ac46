import { LockOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Progress, Tag, Typography } from 'antd';

import type {
  GapView,
  InspectionGrading,
  ProcessGrading,
} from '../../../../shared/domain/inspection';
import {
  processGradeDisplay,
  UNGRADABLE_TEXT,
  visitGradeDisplay,
  type GradeDisplay,
} from '../../../../shared/grading/display';
import { JUDGED_LABEL } from '../../../../shared/grading/general';
import { factText, gradeText, requirementText } from '../../../../shared/grading/text';

export const UNVERIFIED_MARK = '指标待核实';

const DISPLAY_COLOR: Record<GradeDisplay['kind'], string> = {
  final: 'blue',
  provisional: 'gold',
  ungraded: 'default',
  ungradable: 'default',
};

/**
 * A grade as the one rule reads it (shared/grading/display.ts): 未评定, 暂评 B级（尚有 3 项未填）
 * or B级. Given only a grade (a plan's source), it is read as decided.
 */
export function GradeTag({
  grade = null,
  display,
  unverified,
  judged,
}: {
  grade?: string | null;
  display?: GradeDisplay;
  unverified?: boolean;
  /** Judged with the 通用帮扶检查表: 专家判定 B级, never as if computed. */
  judged?: boolean;
}) {
  const base: GradeDisplay =
    display ??
    (grade === null
      ? { kind: 'ungradable', grade: null, text: UNGRADABLE_TEXT }
      : { kind: 'final', grade, text: gradeText(grade) });
  const shown: GradeDisplay =
    judged && base.kind === 'final'
      ? { ...base, text: `${JUDGED_LABEL} ${base.text}` }
      : judged && base.kind === 'provisional'
        ? { ...base, text: base.text.replace(/^暂评 /, `暂评（${JUDGED_LABEL}） `) }
        : base;
  return (
    <span className="grade-tag">
      <Tag color={DISPLAY_COLOR[shown.kind]} className="grade-tag-value" data-kind={shown.kind}>
        {shown.text}
      </Tag>
      {unverified && shown.grade !== null && (
        <Tag color="warning" className="unverified-mark">
          {UNVERIFIED_MARK}
        </Tag>
      )}
    </span>
  );
}

function GapLink({
  gap,
  processId,
  judged,
  onShow,
}: {
  gap: GapView;
  processId: string;
  judged: boolean;
  onShow: (processId: string, indicatorId: string) => void;
}) {
  const actual =
    gap.status === 'unknown'
      ? judged
        ? '未判定'
        : '未填写'
      : judged && typeof gap.actual === 'string'
        ? `${JUDGED_LABEL} ${gap.actual}级`
        : factText(gap, gap.actual);
  return (
    <li className="gap-item">
      <Typography.Link onClick={() => onShow(processId, gap.indicatorId)}>
        {gap.title}
      </Typography.Link>
      <div className="gap-detail">
        <Typography.Text type="secondary">{gap.dimension}</Typography.Text>
        <span>
          要求 {requirementText(gap, gap.required)}，现为 {actual}
        </span>
      </div>
    </li>
  );
}

function ProcessCard({
  process,
  frozen,
  onShow,
}: {
  process: ProcessGrading;
  frozen: boolean;
  onShow: (processId: string, indicatorId: string) => void;
}) {
  const percent =
    process.indicators === 0 ? 0 : Math.round((process.answered / process.indicators) * 100);
  return (
    <div className="grading-process" data-process={process.processId}>
      <div className="grading-process-head">
        <Typography.Text strong>{process.label}</Typography.Text>
        <GradeTag
          display={processGradeDisplay(process, frozen)}
          unverified={process.unverified}
          judged={process.judged}
        />
      </div>
      <Progress
        percent={percent}
        size="small"
        format={() =>
          process.judged
            ? `已判定 ${process.answered}/${process.indicators} 个维度`
            : `已填 ${process.answered}/${process.indicators}`
        }
      />
      {process.factsGrade !== null && process.factsGrade !== process.grade && (
        <Typography.Text type="danger">
          因违法情形降至最低级；仅按现场指标可达 {process.factsGrade} 级
        </Typography.Text>
      )}
      {process.summary && (
        // What the grade can and cannot say, in the ruleset's 说明 for the team.
        <Typography.Paragraph type="secondary" className="grading-summary">
          {process.summary}
        </Typography.Paragraph>
      )}
      {process.problem && <Alert type="warning" showIcon title={process.problem} />}
      {process.targetGrade && (
        <div className="grading-target">
          目标 {process.targetGrade} 级：
          {process.reachesTarget === true ? (
            <Tag color="green">已达到</Tag>
          ) : process.reachesTarget === false ? (
            <Tag color="red">差 {process.gapsToTarget?.length ?? 0} 项</Tag>
          ) : (
            <Tag>无法比较</Tag>
          )}
        </div>
      )}
      {process.gapsToTarget && process.gapsToTarget.length > 0 && (
        <ul className="gap-list" aria-label={`${process.label} 差异化指标`}>
          {process.gapsToTarget.map((gap) => (
            <GapLink
              key={gap.indicatorId}
              gap={gap}
              processId={process.processId}
              judged={process.judged}
              onShow={onShow}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * The grade: the enterprise's, each process's, and the gaps to target linking to indicators; live
 * for a draft, as stored at finalization for a finalized visit (with any violation recorded
 * since named beside it, as the enterprise's current lock).
 */
export function GradingPanel({
  grading,
  onShow,
}: {
  grading: InspectionGrading;
  onShow: (processId: string, indicatorId: string) => void;
}) {
  return (
    <Card
      size="small"
      title={grading.frozen ? '评级结果（定稿时）' : '评级结果（实时）'}
      className="grading-panel"
      aria-label="评级结果"
    >
      <div className="grading-enterprise">
        <span>企业绩效等级</span>
        <GradeTag
          display={visitGradeDisplay(grading)}
          unverified={grading.unverified}
          judged={grading.processes.some((p) => p.judged)}
        />
      </div>
      {grading.lockedUntil && (
        <Alert
          type="error"
          showIcon
          icon={<LockOutlined />}
          title={`存在违法情形，${grading.lockedUntil} 前不得申请提级`}
        />
      )}
      {grading.laterViolation && (
        <Alert
          type="warning"
          showIcon
          icon={<LockOutlined />}
          className="later-violation"
          title={`违法记录（${grading.laterViolation.date}${grading.laterViolation.kind ? `，${grading.laterViolation.kind}` : ''}）：企业当前锁定至 ${grading.laterViolation.lockedUntil}`}
          description="该违法记录未计入本记录；本记录的评级为定稿时的结果，不因此改变。"
        />
      )}
      {grading.unverified && (
        <Typography.Paragraph type="warning" className="unverified-note">
          <WarningOutlined /> 所用分级指标为草稿（{UNVERIFIED_MARK}），结果仅供帮扶参考。
        </Typography.Paragraph>
      )}
      {grading.processes.length === 0 ? (
        <Empty description="没有检查的工序" />
      ) : (
        grading.processes.map((p) => (
          <ProcessCard
            key={p.inspectionProcessId}
            process={p}
            frozen={grading.frozen}
            onShow={onShow}
          />
        ))
      )}
    </Card>
  );
}
