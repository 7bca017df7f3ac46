import { LockOutlined, WarningOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Progress, Tag, Typography } from 'antd';

import type {
  GapView,
  InspectionGrading,
  ProcessGrading,
} from '../../../../shared/domain/inspection';
import { JUDGED_LABEL } from '../../../../shared/grading/general';
import { factText, requirementText } from '../../../../shared/grading/text';

export const UNVERIFIED_MARK = '指标待核实';

export function GradeTag({
  grade,
  unverified,
  judged,
}: {
  grade: string | null;
  unverified?: boolean;
  /** Judged with the 通用帮扶检查表: 专家判定 B级, never as if computed. */
  judged?: boolean;
}) {
  return (
    <span className="grade-tag">
      <Tag color={grade === null ? 'default' : 'blue'} className="grade-tag-value">
        {grade === null ? '无法评定' : `${judged ? `${JUDGED_LABEL} ` : ''}${grade}级`}
      </Tag>
      {unverified && grade !== null && (
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
  onShow,
}: {
  process: ProcessGrading;
  onShow: (processId: string, indicatorId: string) => void;
}) {
  const percent =
    process.indicators === 0 ? 0 : Math.round((process.answered / process.indicators) * 100);
  return (
    <div className="grading-process" data-process={process.processId}>
      <div className="grading-process-head">
        <Typography.Text strong>{process.label}</Typography.Text>
        <GradeTag grade={process.grade} unverified={process.unverified} judged={process.judged} />
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

/** The live grade: the enterprise's, each process's, and the gaps to target linking to indicators. */
export function GradingPanel({
  grading,
  onShow,
}: {
  grading: InspectionGrading;
  onShow: (processId: string, indicatorId: string) => void;
}) {
  return (
    <Card size="small" title="评级结果（实时）" className="grading-panel" aria-label="评级结果">
      <div className="grading-enterprise">
        <span>企业绩效等级</span>
        <GradeTag
          grade={grading.grade}
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
      {grading.unverified && (
        <Typography.Paragraph type="warning" className="unverified-note">
          <WarningOutlined /> 所用分级指标为草稿（{UNVERIFIED_MARK}），结果仅供帮扶参考。
        </Typography.Paragraph>
      )}
      {grading.processes.length === 0 ? (
        <Empty description="没有检查的工序" />
      ) : (
        grading.processes.map((p) => (
          <ProcessCard key={p.inspectionProcessId} process={p} onShow={onShow} />
        ))
      )}
    </Card>
  );
}
