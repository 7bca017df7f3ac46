import { Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';

import type { RulesetSummary } from '../../../shared/api/contract';
import { RulesetImportButtons } from '../components/RulesetImportButtons';
import { ORIGIN_LABEL, RulesetStatusTag } from '../components/RulesetStatusTag';
import { RulesetView, type RulesetRef } from '../components/RulesetView';
import { useRulesets } from '../queries';
import { LoadFailed } from '../components/LoadFailed';

const COLUMNS: TableColumnsType<RulesetSummary> = [
  { title: '行业', dataIndex: 'industry', key: 'industry', width: 140 },
  {
    title: '分支',
    key: 'branch',
    width: 220,
    ellipsis: true,
    render: (_, r) => r.branch ?? <Typography.Text type="secondary">全行业</Typography.Text>,
  },
  { title: '版本', dataIndex: 'edition', key: 'edition', width: 110 },
  {
    title: '状态',
    key: 'status',
    width: 110,
    render: (_, r) => <RulesetStatusTag status={r.status} />,
  },
  {
    title: '来源',
    key: 'source',
    ellipsis: { showTitle: false },
    render: (_, r) => (
      <Tooltip title={r.source} placement="topLeft">
        <span>{r.source}</span>
      </Tooltip>
    ),
  },
  {
    title: '指标数',
    key: 'indicatorCount',
    width: 120,
    render: (_, r) =>
      r.indicatorCount > 0 ? (
        r.indicatorCount
      ) : (
        <Typography.Text type="danger">缺少分级指标</Typography.Text>
      ),
  },
  {
    title: '入库方式',
    key: 'origin',
    width: 100,
    render: (_, r) => ORIGIN_LABEL[r.origin],
  },
];

/** 分级指标库: the rulesets the app grades with; import, template, and each one as its table. */
export function LibraryPage() {
  const { data, loading, error, reload } = useRulesets();
  const rulesets = data ?? [];
  const loaded = data !== undefined;
  const [open, setOpen] = useState<RulesetRef | null>(null);

  if (open) {
    return (
      <div className="page">
        <RulesetView
          key={`${open.id}@${open.edition}`}
          target={open}
          onBack={() => setOpen(null)}
        />
      </div>
    );
  }

  return (
    <div className="page">
      <div className="page-toolbar">
        <Typography.Text type="secondary">
          {loaded ? `共 ${rulesets.length} 套指标体系，点击一行查看分级指标` : ''}
        </Typography.Text>
        <RulesetImportButtons onImported={reload} />
      </div>
      {error && (
        <LoadFailed
          title="指标库加载失败"
          error={error}
          retry={() => void reload()}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<RulesetSummary>
        className="library-table"
        rowKey={(r) => `${r.id}@${r.edition}`}
        size="middle"
        columns={COLUMNS}
        dataSource={rulesets}
        loading={loading && !loaded}
        pagination={false}
        scroll={{ x: 1000 }}
        locale={{ emptyText: '暂无指标体系，可下载模板填写后导入' }}
        onRow={(r) => ({
          onClick: () => setOpen({ id: r.id, edition: r.edition }),
          className: 'clickable-row',
        })}
      />
    </div>
  );
}
