/**
 * 来源 of a plan: the visit it was drafted from (a link that opens it) and each process's grade
 * there against its target.
 */
import { Card, Descriptions, Typography } from 'antd';

import { type PlanDetail } from '../../../../shared/plan/api';
import { useNavigation } from '../../stores/navigation';
import { GradeTag } from '../visit/GradingPanel';

export function SourceCard({ detail }: { detail: PlanDetail }) {
  const openVisit = useNavigation((s) => s.openVisit);
  const { source } = detail;
  return (
    <Card size="small" title="依据的检查记录" className="plan-source">
      <Descriptions
        size="small"
        column={2}
        items={[
          {
            key: 'visit',
            label: '检查',
            children: (
              <Typography.Link onClick={() => openVisit(source.inspectionId)}>
                {source.date} {source.type}
                {source.number ? `（${source.number}）` : ''}
              </Typography.Link>
            ),
          },
          {
            key: 'grade',
            label: '现场评级',
            children: (
              <GradeTag
                grade={source.grade}
                unverified={detail.unverified}
                judged={source.processes.some((p) => p.judged)}
              />
            ),
          },
          {
            key: 'team',
            label: '检查组',
            children: source.members.map((m) => `${m.name}（${m.role}）`).join('、') || '—',
          },
          {
            key: 'target',
            label: '目标等级',
            children: `${detail.content.targetGrade} 级`,
          },
        ]}
      />
      {source.processes.map((p) => (
        <div key={p.inspectionProcessId} className="plan-source-process">
          <Typography.Text strong>{p.label}</Typography.Text>
          <GradeTag grade={p.grade} unverified={p.unverified} judged={p.judged} />
          <span>
            目标 {p.targetGrade ?? '—'} 级，差 {p.gapsToTarget?.length ?? 0} 项
          </span>
        </div>
      ))}
    </Card>
  );
}
