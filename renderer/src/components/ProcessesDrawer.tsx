import { PlusOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Descriptions,
  Drawer,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useState } from 'react';

import type { RulesetSummary } from '../../../shared/api/contract';
import { findIndustry } from '../../../shared/domain/catalog';
import type { Enterprise } from '../../../shared/domain/enterprise';
import { rulesetName } from '../../../shared/grading/field';
import type { Process, ProcessDraft } from '../../../shared/domain/process';
import { api } from '../api';
import { useCatalog, useProcesses, useRulesets } from '../queries';
import { latestEditions } from '../ruleset-choices';
import { ProcessDrawer } from './ProcessDrawer';
import { errorText } from '../errors';
import { LoadFailed } from './LoadFailed';

/** The form's state; the process stays while it closes so its title does not flip. */
interface Editing {
  open: boolean;
  process: Process | null;
}

/** The long texts of a process, shown when its row is expanded. */
function ProcessDetails({ process }: { process: Process }) {
  const items = [
    { key: 'differentiators', label: '差异化指标', children: process.differentiators },
    { key: 'problems', label: '存在问题', children: process.problems },
    { key: 'improvements', label: '改进措施', children: process.improvements },
    { key: 'remark', label: '备注', children: process.remark },
  ].filter((i) => i.children !== null);
  return (
    <Descriptions
      size="small"
      column={1}
      items={items.map((i) => ({
        ...i,
        children: <span className="preserve-lines">{i.children}</span>,
      }))}
    />
  );
}

function hasDetails(p: Process): boolean {
  return [p.differentiators, p.problems, p.improvements, p.remark].some((v) => v !== null);
}

/** A process's ruleset as the team reads it; one this device does not hold yet, as such. */
function rulesetNameOf(summary: RulesetSummary | undefined): string {
  return summary ? rulesetName(summary) : '分级指标（本机暂无，同步后显示）';
}

export interface ProcessesDrawerProps {
  open: boolean;
  enterprise: Enterprise | null;
  onClose: () => void;
}

/** 行业与工序: an enterprise's key industries and processes, with their grades and plans. */
export function ProcessesDrawer({ open, enterprise, onClose }: ProcessesDrawerProps) {
  const { message } = App.useApp();
  const enterpriseId = enterprise?.id ?? null;
  // The catalogue and the ruleset list, read once the drawer has opened (its enterprise stays
  // while it closes, and so do they); the process form takes them from here.
  const catalogQuery = useCatalog(enterpriseId !== null);
  const rulesetsQuery = useRulesets(enterpriseId !== null);
  const catalog = catalogQuery.data ?? null;
  const rulesets = rulesetsQuery.data ?? [];
  const libraryLoaded = catalogQuery.data !== undefined && rulesetsQuery.data !== undefined;
  const libraryError = catalogQuery.error ?? rulesetsQuery.error;
  const [editing, setEditing] = useState<Editing>({ open: false, process: null });

  // Asked for once the drawer opens; the enterprise stays while it closes, and so do its rows.
  const { data, loading, error, reload } = useProcesses(enterpriseId);

  const latest = new Map(latestEditions(rulesets).map((r) => [r.id, r]));
  const rows = data ?? [];

  /** Creates (id null) or updates a process, then refetches. Throws ApiError. */
  async function save(id: string | null, draft: ProcessDraft): Promise<Process> {
    const saved =
      id === null
        ? await api.call('process.create', draft)
        : await api.call('process.update', { id, draft });
    await reload();
    return saved;
  }

  async function confirmDelete(process: Process): Promise<void> {
    try {
      await api.call('process.delete', { id: process.id });
      await reload();
      void message.success('已删除');
    } catch (e) {
      void message.error(errorText(e, '删除失败：'));
    }
  }

  const columns: TableColumnsType<Process> = [
    {
      title: '重点行业类型',
      key: 'industry',
      width: 130,
      render: (_, p) => (catalog && findIndustry(catalog, p.industryCode)?.name) ?? p.industryCode,
    },
    { title: '分支', dataIndex: 'branch', key: 'branch', width: 180, ellipsis: true },
    { title: '工序名称', dataIndex: 'name', key: 'name', width: 120, ellipsis: true },
    {
      title: '指标体系',
      key: 'rulesetId',
      width: 220,
      render: (_, p) =>
        p.rulesetId === null ? (
          <Typography.Text type="secondary">未选（按通用帮扶检查表检查）</Typography.Text>
        ) : (
          <Space size={4} wrap>
            {/* In words: the id is for the experts of 分级指标库. */}
            <span>{rulesetNameOf(latest.get(p.rulesetId))}</span>
            {latest.get(p.rulesetId)?.status === 'draft' && <Tag color="orange">指标待核实</Tag>}
          </Space>
        ),
    },
    { title: '绩效现状', dataIndex: 'currentGrade', key: 'currentGrade', width: 90 },
    { title: '绩效提升目标', dataIndex: 'targetGrade', key: 'targetGrade', width: 110 },
    { title: '拟完成时间', dataIndex: 'dueDate', key: 'dueDate', width: 110 },
    {
      title: '操作',
      key: 'actions',
      width: 120,
      fixed: 'right',
      render: (_, p) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, process: p })}>
            编辑
          </Button>
          <Popconfirm
            title="确定删除该行业/工序？"
            okText="删除"
            cancelText="取消"
            okButtonProps={{ danger: true }}
            onConfirm={() => void confirmDelete(p)}
          >
            <Button type="link" size="small" danger>
              删除
            </Button>
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Drawer
      title={enterprise ? `行业与工序 — ${enterprise.name}` : '行业与工序'}
      open={open}
      onClose={onClose}
      size={1080}
    >
      <div className="process-section-toolbar">
        <Typography.Text type="secondary">
          登记企业涉及的重点行业及工序、绩效现状和提升目标
        </Typography.Text>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          disabled={enterpriseId === null}
          onClick={() => setEditing({ open: true, process: null })}
        >
          新增行业/工序
        </Button>
      </div>
      {error && (
        <LoadFailed
          title="行业与工序加载失败"
          error={error}
          retry={() => void reload()}
          style={{ marginBottom: 16 }}
        />
      )}
      {libraryError && (
        <LoadFailed
          title="行业目录或指标库加载失败，行业名称和指标体系可能显示不全"
          error={libraryError}
          warning
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<Process>
        className="process-table"
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        scroll={{ x: 1080 }}
        locale={{ emptyText: '暂无行业或工序，点击“新增行业/工序”添加' }}
        expandable={{
          rowExpandable: hasDetails,
          expandedRowRender: (p) => <ProcessDetails process={p} />,
        }}
      />
      {enterpriseId !== null && (
        <ProcessDrawer
          open={editing.open}
          enterpriseId={enterpriseId}
          process={editing.process}
          catalog={catalog}
          rulesets={rulesets}
          libraryLoaded={libraryLoaded}
          onClose={() => setEditing((e) => ({ open: false, process: e.process }))}
          onSave={(draft: ProcessDraft) => save(editing.process?.id ?? null, draft)}
        />
      )}
    </Drawer>
  );
}
