import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';

import {
  ASSISTANCE_DIRECTIONS,
  type AssistanceDirection,
} from '../../../../shared/plan/directions';
import type { PlanMeasure } from '../../../../shared/plan/schema';
import { DateField } from '../DateField';

export interface MeasuresEditorProps {
  measures: readonly PlanMeasure[];
  readOnly: boolean;
  onChange: (measures: PlanMeasure[]) => void;
}

/** A new measure the expert adds by hand (not answering a gap). */
export function blankMeasure(direction: AssistanceDirection = '环境管理'): PlanMeasure {
  const id = `manual:${typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : Date.now()}`;
  return {
    id,
    direction,
    indicatorId: null,
    processId: null,
    processLabel: null,
    title: '',
    current: '',
    required: '',
    measure: '',
    responsible: '',
    deadline: null,
    investment: null,
    gapStatus: null,
    libraryId: null,
  };
}

/** Sum of the estimated investments (万元), or null when none is estimated. */
export function totalInvestment(measures: readonly PlanMeasure[]): number | null {
  const values = measures.map((m) => m.investment).filter((v): v is number => v !== null);
  if (values.length === 0) return null;
  return Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100;
}

/** The measures, one row each, every cell editable; ordered by direction as the plan prints. */
export function MeasuresEditor({ measures, readOnly, onChange }: MeasuresEditorProps) {
  function update(id: string, fields: Partial<PlanMeasure>): void {
    onChange(measures.map((m) => (m.id === id ? { ...m, ...fields } : m)));
  }

  const order = (m: PlanMeasure) => ASSISTANCE_DIRECTIONS.indexOf(m.direction);
  const rows = [...measures].sort((a, b) => order(a) - order(b));

  // Four columns fit a laptop's 1280 px without scrolling sideways: the direction stacked over the
  // problem, the measure taking the rest, and who, by when and how much stacked in one column.
  const columns: TableColumnsType<PlanMeasure> = [
    {
      title: '帮扶方向 · 差异化指标或问题',
      key: 'title',
      width: 230,
      render: (_, m) => (
        <div className="measure-stack">
          {readOnly ? (
            <Typography.Text type="secondary" className="measure-direction">
              {m.direction}
            </Typography.Text>
          ) : (
            <Select<AssistanceDirection>
              aria-label="帮扶方向"
              size="small"
              value={m.direction}
              style={{ width: '100%' }}
              onChange={(direction) => update(m.id, { direction })}
              options={ASSISTANCE_DIRECTIONS.map((d) => ({ value: d, label: d }))}
            />
          )}
          {readOnly || m.indicatorId ? (
            <Typography.Text>{m.title}</Typography.Text>
          ) : (
            <Input.TextArea
              aria-label="问题"
              size="small"
              autoSize
              value={m.title}
              placeholder="问题"
              onChange={(e) => update(m.id, { title: e.target.value })}
            />
          )}
          {m.processLabel && (
            <Typography.Text type="secondary" className="measure-process">
              {m.processLabel}
            </Typography.Text>
          )}
          {m.gapStatus === 'unknown' && (
            <span>
              <Tag color="warning">未核实</Tag>
            </span>
          )}
        </div>
      ),
    },
    {
      title: '现状 → 目标要求',
      key: 'values',
      width: 150,
      render: (_, m) =>
        readOnly || m.indicatorId ? (
          <span className="measure-values">
            {m.current || '—'} → <strong>{m.required || '—'}</strong>
          </span>
        ) : (
          <div className="measure-stack">
            <Input
              aria-label="现状"
              size="small"
              value={m.current}
              placeholder="现状"
              onChange={(e) => update(m.id, { current: e.target.value })}
            />
            <Input
              aria-label="目标要求"
              size="small"
              value={m.required}
              placeholder="目标要求"
              onChange={(e) => update(m.id, { required: e.target.value })}
            />
          </div>
        ),
    },
    {
      title: '整改措施',
      key: 'measure',
      render: (_, m) =>
        readOnly ? (
          <span className="preserve-lines">{m.measure}</span>
        ) : (
          <Input.TextArea
            aria-label={`${m.title} 整改措施`}
            size="small"
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={2000}
            value={m.measure}
            status={m.measure.trim() ? undefined : 'warning'}
            placeholder="请填写整改措施"
            onChange={(e) => update(m.id, { measure: e.target.value })}
          />
        ),
    },
    {
      title: '责任人 · 期限 · 投资',
      key: 'who',
      width: 190,
      render: (_, m) =>
        readOnly ? (
          <dl className="measure-facts">
            <dt>责任人</dt>
            <dd>{m.responsible || '—'}</dd>
            <dt>期限</dt>
            <dd>{m.deadline ?? '—'}</dd>
            <dt>投资</dt>
            <dd>{m.investment === null ? '—' : `${m.investment} 万元`}</dd>
          </dl>
        ) : (
          <div className="measure-stack">
            <Input
              aria-label={`${m.title} 责任人`}
              size="small"
              prefix={<span className="measure-field-label">责任人</span>}
              maxLength={100}
              value={m.responsible}
              onChange={(e) => update(m.id, { responsible: e.target.value })}
            />
            <DateField
              aria-label={`${m.title} 完成期限`}
              size="small"
              prefix={<span className="measure-field-label">期限</span>}
              value={m.deadline}
              onChange={(deadline) => update(m.id, { deadline })}
              style={{ width: '100%' }}
            />
            <InputNumber
              aria-label={`${m.title} 预计投资`}
              size="small"
              prefix={<span className="measure-field-label">投资</span>}
              suffix="万元"
              min={0}
              value={m.investment}
              onChange={(v) => update(m.id, { investment: typeof v === 'number' ? v : null })}
              style={{ width: '100%' }}
            />
          </div>
        ),
    },
    ...(readOnly
      ? []
      : [
          {
            title: '',
            key: 'remove',
            width: 40,
            render: (_: unknown, m: PlanMeasure) => (
              <Popconfirm
                title="删除这条措施？"
                okText="删除"
                cancelText="取消"
                onConfirm={() => onChange(measures.filter((x) => x.id !== m.id))}
              >
                <Button
                  type="text"
                  size="small"
                  danger
                  icon={<DeleteOutlined />}
                  aria-label={`删除措施 ${m.title}`}
                />
              </Popconfirm>
            ),
          },
        ]),
  ];

  const total = totalInvestment(measures);
  return (
    <>
      <Table<PlanMeasure>
        rowKey="id"
        size="small"
        className="measures-table"
        pagination={false}
        columns={columns}
        dataSource={rows}
        tableLayout="fixed"
        locale={{ emptyText: '没有整改措施：所检查的工序已达到目标等级' }}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={3}>
              共 {measures.length} 条措施
            </Table.Summary.Cell>
            <Table.Summary.Cell index={3} colSpan={readOnly ? 1 : 2}>
              合计 {total ?? '—'} 万元
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />
      {!readOnly && (
        <Button
          type="dashed"
          icon={<PlusOutlined />}
          className="measure-add"
          onClick={() => onChange([...measures, blankMeasure()])}
        >
          添加措施
        </Button>
      )}
    </>
  );
}
