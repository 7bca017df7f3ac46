import { CheckCircleTwoTone, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import {
  MEMBER_ROLES,
  type InspectionDetail,
  type InspectionMember,
  type MemberRole,
} from '../../../../shared/domain/inspection';
import { api, ApiError } from '../../api';
import { dateTimeText } from '../../dates';
import { FoldCard } from '../FoldCard';
import { useVisitStore } from '../../stores/visit';

/** 检查组: members and their roles, each member's confirmation, and 定稿 once all confirmed. */
export function TeamCard({ detail }: { detail: InspectionDetail }) {
  const { message } = App.useApp();
  const apply = useVisitStore((s) => s.apply);
  const [name, setName] = useState('');
  const [role, setRole] = useState<MemberRole>('执法');
  const draft = detail.inspection.status === 'draft';
  /** A team already there when the visit opened is folded; one being entered stays open. */
  const [teamAtOpen] = useState(detail.members.length > 0);
  const inspectionId = detail.inspection.id;

  async function run(action: () => Promise<InspectionDetail>, done?: string): Promise<boolean> {
    try {
      await apply(action);
      if (done) void message.success(done);
      return true;
    } catch (e) {
      void message.error(e instanceof ApiError ? e.message : String(e));
      return false;
    }
  }

  async function add(): Promise<void> {
    const ok = await run(() =>
      api.call('inspection.saveMember', { inspectionId, name: name.trim(), role }),
    );
    if (ok) setName('');
  }

  const columns: TableColumnsType<InspectionMember> = [
    { title: '姓名', dataIndex: 'name', key: 'name' },
    { title: '角色', dataIndex: 'role', key: 'role', width: 80 },
    {
      title: '确认',
      key: 'confirmed',
      width: 200,
      render: (_, m) =>
        m.confirmedAt !== null ? (
          <Space size={4}>
            <CheckCircleTwoTone twoToneColor="#52c41a" />
            已确认 {dateTimeText(m.confirmedAt)}
          </Space>
        ) : draft ? (
          <Button
            size="small"
            onClick={() =>
              void run(
                () => api.call('inspection.confirm', { inspectionId, memberId: m.id }),
                `${m.name}已确认`,
              )
            }
          >
            {m.name}确认
          </Button>
        ) : (
          <Tag>未确认</Tag>
        ),
    },
    ...(draft
      ? [
          {
            title: '',
            key: 'remove',
            width: 48,
            render: (_: unknown, m: InspectionMember) => (
              <Popconfirm
                title={`移除成员 ${m.name}？`}
                okText="移除"
                cancelText="取消"
                onConfirm={() =>
                  void run(() =>
                    api.call('inspection.removeMember', { inspectionId, memberId: m.id }),
                  )
                }
              >
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`移除 ${m.name}`}
                />
              </Popconfirm>
            ),
          },
        ]
      : []),
  ];

  const waiting = detail.members.filter((m) => m.confirmedAt === null);
  const summary = [
    detail.members.map((m) => `${m.name}（${m.role}）`).join('、'),
    draft
      ? waiting.length > 0
        ? `待确认：${waiting.map((m) => m.name).join('、')}`
        : '均已确认，可定稿'
      : null,
  ]
    .filter(Boolean)
    .join(' · ');
  // The team is set when the visit starts: folded to one line, the checklist comes up.
  return (
    <FoldCard
      title="检查组"
      className="team-card"
      summaryClassName="team-summary"
      summary={<span title={summary}>{summary}</span>}
      defaultFolded={!draft || teamAtOpen}
      extra={
        draft && (
          <Popconfirm
            title="定稿后此记录不可再修改"
            description="如需更正，只能在其基础上创建修订版本。确定定稿？"
            okText="定稿"
            cancelText="取消"
            disabled={detail.members.length === 0 || waiting.length > 0}
            onConfirm={() =>
              void run(() => api.call('inspection.finalize', { id: inspectionId }), '已定稿')
            }
          >
            <Button
              type="primary"
              size="small"
              disabled={detail.members.length === 0 || waiting.length > 0}
              title={
                detail.members.length === 0
                  ? '请先添加成员'
                  : waiting.length > 0
                    ? `待确认：${waiting.map((m) => m.name).join('、')}`
                    : undefined
              }
            >
              定稿
            </Button>
          </Popconfirm>
        )
      }
    >
      <Table<InspectionMember>
        rowKey="id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={detail.members}
        locale={{ emptyText: '尚未添加成员' }}
      />
      {draft && (
        <Space.Compact className="member-add">
          <Input
            aria-label="成员姓名"
            placeholder="成员姓名"
            value={name}
            maxLength={50}
            onChange={(e) => setName(e.target.value)}
            onPressEnter={() => name.trim() && void add()}
          />
          <Select<MemberRole>
            aria-label="成员角色"
            value={role}
            onChange={setRole}
            options={MEMBER_ROLES.map((r) => ({ value: r, label: r }))}
            style={{ width: 96 }}
          />
          <Button icon={<PlusOutlined />} disabled={!name.trim()} onClick={() => void add()}>
            添加成员
          </Button>
        </Space.Compact>
      )}
      {draft && detail.members.length > 0 && (
        <p className="team-hint">每位成员确认后方可定稿；确认后再修改任何内容，需重新确认。</p>
      )}
    </FoldCard>
  );
}
