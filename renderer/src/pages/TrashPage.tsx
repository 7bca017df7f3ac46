import { App, Button, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';

import type { TrashItem, TrashKind } from '../../../shared/domain/trash';
import { TRASH_DAYS } from '../../../shared/domain/trash';
import { api } from '../api';
import { dateTimeText } from '../dates';
import { useTrash } from '../queries';
import { errorText } from '../errors';
import { LoadFailed } from '../components/LoadFailed';

const KIND_TEXT: Record<TrashKind, string> = {
  enterprise: '企业',
  visit: '检查记录',
  plan: '一企一策方案',
};

/** What the row is, in words: the enterprise, or the visit or plan of an enterprise. */
function describe(item: TrashItem): string {
  if (item.kind === 'enterprise') return item.enterpriseName;
  if (item.kind === 'visit') {
    const what = `${item.date ?? ''} ${item.visitType ?? ''}`.trim();
    return `${item.enterpriseName} · ${what}${item.finalized ? '（已定稿）' : '（草稿）'}`;
  }
  return `${item.enterpriseName} · 提升方案`;
}

function restoredText(item: TrashItem): string {
  if (item.kind === 'enterprise') return `已恢复“${item.enterpriseName}”及其检查、方案等记录`;
  return `已恢复${KIND_TEXT[item.kind]}（${item.enterpriseName}）`;
}

/**
 * 回收站: the enterprises, visits and plans deleted in the last 30 days, each restorable with
 * everything under it until its days run out.
 */
export function TrashPage() {
  const { message } = App.useApp();
  const { data, error, loading } = useTrash();
  const [restoring, setRestoring] = useState<string | null>(null);

  async function restore(item: TrashItem): Promise<void> {
    setRestoring(item.id);
    try {
      await api.call('trash.restore', { kind: item.kind, id: item.id });
      void message.success(restoredText(item));
    } catch (e) {
      void message.error(errorText(e, '恢复失败：'));
    } finally {
      setRestoring(null);
    }
  }

  const columns: TableColumnsType<TrashItem> = [
    {
      title: '类型',
      key: 'kind',
      width: 120,
      render: (_, item) => <Tag>{KIND_TEXT[item.kind]}</Tag>,
    },
    {
      title: '名称',
      key: 'name',
      render: (_, item) => (
        <div className="list-name-cell">
          <span className="trash-name">{describe(item)}</span>
          {item.number ? <span className="record-number-cell">{item.number}</span> : null}
        </div>
      ),
    },
    {
      title: '删除时间',
      key: 'deletedAt',
      width: 170,
      render: (_, item) => dateTimeText(item.deletedAt),
    },
    { title: '删除人', key: 'by', width: 200, render: (_, item) => item.deletedBy ?? '—' },
    {
      title: '删除原因',
      key: 'reason',
      ellipsis: true,
      render: (_, item) => item.deleteReason ?? '—',
    },
    {
      title: '剩余',
      key: 'days',
      width: 110,
      render: (_, item) => `还剩 ${item.daysLeft} 天`,
    },
    {
      title: '操作',
      key: 'actions',
      width: 100,
      render: (_, item) => (
        <Button
          type="link"
          size="small"
          loading={restoring === item.id}
          onClick={() => void restore(item)}
        >
          恢复
        </Button>
      ),
    },
  ];

  return (
    <div className="page">
      <Typography.Paragraph type="secondary">
        删除的企业、检查记录和提升方案在这里保留 {TRASH_DAYS}{' '}
        天。恢复企业时，它名下的检查、方案、照片和违法记录一并恢复； 超过 {TRASH_DAYS}{' '}
        天的记录在下次打开本软件时从这台电脑上彻底清除。
      </Typography.Paragraph>
      {error && <LoadFailed title="回收站加载失败" error={error} />}
      <Table<TrashItem>
        rowKey="id"
        size="middle"
        tableLayout="fixed"
        className="trash-table"
        loading={loading}
        columns={columns}
        dataSource={data ?? []}
        locale={{ emptyText: '回收站是空的' }}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
      />
    </div>
  );
}
