import { Radio, Table, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';

import type { PlanSummary } from '../../../shared/plan/api';
import { PLAN_STATUSES, type PlanStatus } from '../../../shared/plan/schema';
import { useNavigation } from '../stores/navigation';
import { usePlans } from '../queries';
import { PlanPage, PlanStatusTag } from './PlanPage';
import { LoadFailed } from '../components/LoadFailed';

/** 提升方案: every enterprise's plan, by status; a plan is drafted from a finalized visit. */
function PlanList() {
  const openPlan = useNavigation((s) => s.openPlan);
  const [status, setStatus] = useState<PlanStatus | 'all'>('all');
  const { data, error, loading } = usePlans(status);

  const columns: TableColumnsType<PlanSummary> = [
    {
      title: '企业 · 编号',
      dataIndex: 'enterpriseName',
      key: 'enterprise',
      render: (name: string, p) => (
        <div className="list-name-cell">
          <Typography.Link onClick={() => openPlan({ id: p.id })}>{name}</Typography.Link>
          <span className="record-number-cell">{p.number}</span>
        </div>
      ),
    },
    { title: '目标等级', dataIndex: 'targetGrade', key: 'target', width: 90 },
    {
      title: '状态',
      key: 'status',
      width: 100,
      render: (_, p) => <PlanStatusTag status={p.status} />,
    },
    {
      title: '版本',
      key: 'version',
      width: 190,
      render: (_, p) =>
        `第 ${p.currentVersion} 版${p.confirmed ? `（企业确认第 ${p.confirmed.version} 版）` : ''}`,
    },
    { title: '措施', dataIndex: 'measures', key: 'measures', width: 70 },
    {
      title: '预计投资（万元）',
      key: 'investment',
      width: 140,
      render: (_, p) => p.investment ?? '—',
    },
  ];

  return (
    <div className="page">
      <div className="list-toolbar">
        <Radio.Group
          optionType="button"
          value={status}
          onChange={(e) => setStatus(e.target.value as PlanStatus | 'all')}
          options={[
            { value: 'all', label: '全部' },
            ...PLAN_STATUSES.map((s) => ({ value: s, label: s })),
          ]}
        />
        <Typography.Text type="secondary">
          方案从定稿的现场检查记录起草：在检查记录页点击“起草提升方案”。
        </Typography.Text>
      </div>
      {error && <LoadFailed title="方案加载失败" error={error} />}
      <Table<PlanSummary>
        rowKey="id"
        size="middle"
        tableLayout="fixed"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        locale={{ emptyText: '暂无提升方案' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </div>
  );
}

/** The 提升方案 screen: the list, or one plan. */
export function PlansPage() {
  const plan = useNavigation((s) => s.plan);
  return plan ? <PlanPage key={JSON.stringify(plan)} target={plan} /> : <PlanList />;
}
