import { CheckCircleTwoTone, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import {
  MEMBER_ROLES,
  REPRESENTATIVE_ROLE,
  type InspectionDetail,
  type InspectionMember,
  type MemberRole,
} from '../../../../shared/domain/inspection';
import { api } from '../../api';
import { dateTimeText } from '../../dates';
import { FoldCard } from '../FoldCard';
import { SignatureImage, SignaturePadModal } from '../SignaturePadModal';
import { useVisitStore } from '../../stores/visit';
import { errorText } from '../../errors';

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
  /** Who is signing now: a member, the enterprise's representative, or nobody. */
  const [signing, setSigning] = useState<InspectionMember | 'representative' | null>(null);
  const signatureOf = (memberId: string) =>
    detail.signatures.filter((s) => s.memberId === memberId).at(-1) ?? null;
  const representatives = detail.signatures.filter((s) => s.signerRole === REPRESENTATIVE_ROLE);

  async function run(action: () => Promise<InspectionDetail>, done?: string): Promise<boolean> {
    try {
      await apply(action);
      if (done) void message.success(done);
      return true;
    } catch (e) {
      void message.error(errorText(e));
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
      title: '签名',
      key: 'signature',
      width: 150,
      render: (_, m) => {
        const signature = signatureOf(m.id);
        return signature ? (
          <SignatureImage id={signature.id} sha256={signature.sha256} name={m.name} />
        ) : (
          <Typography.Text type="secondary">未签名</Typography.Text>
        );
      },
    },
    {
      title: '确认',
      key: 'confirmed',
      width: 220,
      render: (_, m) =>
        m.confirmedAt !== null ? (
          <Space size={4}>
            <CheckCircleTwoTone twoToneColor="#52c41a" />
            已确认 {dateTimeText(m.confirmedAt)}
          </Space>
        ) : draft ? (
          <Space size={4}>
            <Button size="small" icon={<EditOutlined />} onClick={() => setSigning(m)}>
              {m.name}签名
            </Button>
            <Button
              size="small"
              type="link"
              onClick={() =>
                void run(
                  () => api.call('inspection.confirm', { inspectionId, memberId: m.id }),
                  `${m.name}已确认`,
                )
              }
            >
              {m.name}确认
            </Button>
          </Space>
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
        <p className="team-hint">
          每位成员确认后方可定稿；确认后再修改任何内容，需重新确认、重新签名。
        </p>
      )}
      <div className="representative-signatures">
        <Typography.Text strong>企业陪同人员：</Typography.Text>
        {representatives.length === 0 && (
          <Typography.Text type="secondary">{draft ? '尚未签名' : '未签名'}</Typography.Text>
        )}
        {representatives.map((s) => (
          <span key={s.id} className="representative-signature">
            {s.signerName}
            <SignatureImage id={s.id} sha256={s.sha256} name={s.signerName} />
          </span>
        ))}
        {draft && (
          <Button size="small" icon={<EditOutlined />} onClick={() => setSigning('representative')}>
            企业陪同人员签名
          </Button>
        )}
      </div>
      <SignaturePadModal
        open={signing !== null}
        title={
          signing === 'representative'
            ? '企业陪同人员签名'
            : signing
              ? `请${signing.name}（${signing.role}）签名`
              : '签名'
        }
        hint={
          signing === 'representative'
            ? '请企业陪同人员写下姓名并签名，表示已陪同检查并知悉记录内容。'
            : '签名即确认此记录现有内容；之后若再修改，需重新签名。'
        }
        askName={signing === 'representative'}
        onCancel={() => setSigning(null)}
        onSave={async ({ image, name: signer }) => {
          const who = signing;
          if (!who) return;
          const ok = await run(
            () =>
              api.call(
                'inspection.sign',
                who === 'representative'
                  ? { inspectionId, representative: signer, image }
                  : { inspectionId, memberId: who.id, image },
              ),
            who === 'representative' ? `${signer}已签名` : `${who.name}已签名确认`,
          );
          if (ok) setSigning(null);
          else throw new Error('not saved');
        }}
      />
    </FoldCard>
  );
}
