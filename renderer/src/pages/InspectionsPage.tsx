import { PlusOutlined } from '@ant-design/icons';
import { Button, Radio, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useEffect, useState } from 'react';

import type { InspectionStatus, InspectionSummary } from '../../../shared/domain/inspection';
import { useVisits } from '../queries';
import { visitGradeDisplay } from '../../../shared/grading/display';
import { GradeTag } from '../components/visit/GradingPanel';
import { StartVisitModal } from '../components/visit/StartVisitModal';
import { useNavigation } from '../stores/navigation';
import { installAutosaveFlush } from '../stores/visit';
import { VisitPage } from './VisitPage';
import { LoadFailed } from '../components/LoadFailed';

export function VisitStatusTag({
  visit,
}: {
  visit: Pick<InspectionSummary, 'status' | 'revisedBy' | 'revisionOf'>;
}) {
  return (
    <Space size={[0, 4]} wrap>
      <Tag color={visit.status === 'draft' ? 'blue' : 'green'}>
        {visit.status === 'draft' ? '草稿' : '已定稿'}
      </Tag>
      {visit.revisionOf && <Tag color="purple">修订版本</Tag>}
      {visit.revisedBy && <Tag>已被更正</Tag>}
    </Space>
  );
}

/** 现场检查: every visit on this device, drafts first to continue, and starting a new one. */
function InspectionList() {
  const openVisit = useNavigation((s) => s.openVisit);
  const [status, setStatus] = useState<InspectionStatus | 'all'>('all');
  const [starting, setStarting] = useState(false);
  const { data, error, loading } = useVisits(status);
  const items = data ?? [];

  // Fixed widths that add up under a 1280 px window: names and teams wrap, nothing is cut off.
  const columns: TableColumnsType<InspectionSummary> = [
    {
      title: '企业 · 编号',
      dataIndex: 'enterpriseName',
      key: 'enterprise',
      width: 230,
      render: (name: string, v) => (
        <div className="list-name-cell">
          <Typography.Link onClick={() => openVisit(v.id)}>{name}</Typography.Link>
          <span className="record-number-cell">{v.number}</span>
        </div>
      ),
    },
    { title: '日期', dataIndex: 'date', key: 'date', width: 104, className: 'visit-date-cell' },
    { title: '类型', dataIndex: 'type', key: 'type', width: 84 },
    { title: '状态', key: 'status', width: 100, render: (_, v) => <VisitStatusTag visit={v} /> },
    {
      title: '评级',
      key: 'grade',
      width: 190,
      render: (_, v) => (
        <Space size={4} wrap>
          <GradeTag display={visitGradeDisplay(v)} unverified={v.unverified} judged={v.judged} />
          {v.lockedUntil && <Tag color="red">锁定至 {v.lockedUntil}</Tag>}
        </Space>
      ),
    },
    {
      title: '检查组',
      key: 'members',
      render: (_, v) => v.members.join('、') || '—',
    },
    {
      title: '进度',
      key: 'progress',
      width: 116,
      render: (_, v) => `${v.processCount} 个工序，已填 ${v.answered} 项`,
    },
  ];

  return (
    <div className="page">
      <div className="list-toolbar">
        <Radio.Group
          optionType="button"
          value={status}
          onChange={(e) => setStatus(e.target.value as InspectionStatus | 'all')}
          options={[
            { value: 'all', label: '全部' },
            { value: 'draft', label: '草稿' },
            { value: 'finalized', label: '已定稿' },
          ]}
        />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setStarting(true)}>
          新建检查
        </Button>
      </div>
      {error && <LoadFailed title="检查记录加载失败" error={error} style={{ marginBottom: 16 }} />}
      <Table<InspectionSummary>
        rowKey="id"
        size="middle"
        tableLayout="fixed"
        loading={loading}
        columns={columns}
        dataSource={items}
        onRow={(v) => ({ onDoubleClick: () => openVisit(v.id) })}
        locale={{ emptyText: '暂无检查记录，点击“新建检查”开始' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
      <StartVisitModal
        open={starting}
        enterprise={null}
        onClose={() => setStarting(false)}
        onStarted={(id) => {
          setStarting(false);
          openVisit(id);
        }}
      />
    </div>
  );
}

/** The 现场检查 screen: the list, or one visit. */
export function InspectionsPage() {
  const visitId = useNavigation((s) => s.visitId);
  useEffect(() => installAutosaveFlush(), []);
  return visitId ? <VisitPage key={visitId} id={visitId} /> : <InspectionList />;
}
