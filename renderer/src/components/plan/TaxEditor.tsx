import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';

import type { TaxLimit, TaxReading } from '../../../../shared/plan/schema';
import {
  estimateTaxRelief,
  TAX_TIER_LABELS,
  type TaxReliefLine,
} from '../../../../shared/plan/tax';

export interface TaxEditorProps {
  limits: readonly TaxLimit[];
  readings: readonly TaxReading[];
  readOnly: boolean;
  onChange: (limits: TaxLimit[], readings: TaxReading[]) => void;
}

type Keyed<T> = T & { key: number };

function keyed<T>(rows: readonly T[]): Keyed<T>[] {
  return rows.map((r, key) => ({ ...r, key }));
}

/** The column of delete buttons of an editable list; none when it is read-only. */
function removeColumn<T extends object>(
  readOnly: boolean,
  label: string,
  onRemove: (key: number) => void,
): TableColumnsType<Keyed<T>> {
  return readOnly
    ? []
    : [
        {
          title: '',
          key: 'remove',
          width: 44,
          render: (_: unknown, row: Keyed<T>) => (
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={label}
              onClick={() => onRemove(row.key)}
            />
          ),
        },
      ];
}

/** An editable list: its table, and below it (unless read-only) the button that adds a row. */
function EditableRows<T extends object>({
  rows,
  columns,
  emptyText,
  readOnly,
  addLabel,
  onAdd,
}: {
  rows: readonly T[];
  columns: TableColumnsType<Keyed<T>>;
  emptyText: string;
  readOnly: boolean;
  addLabel: string;
  onAdd: () => void;
}) {
  return (
    <>
      <Table<Keyed<T>>
        rowKey="key"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={keyed(rows)}
        locale={{ emptyText }}
      />
      {!readOnly && (
        <Button
          type="dashed"
          size="small"
          icon={<PlusOutlined />}
          className="measure-add"
          onClick={onAdd}
        >
          {addLabel}
        </Button>
      )}
    </>
  );
}

/**
 * 环保税减免测算: the limits the expert enters per outlet and pollutant (never guessed), the
 * measured concentrations, and the estimate worked out as they type.
 */
export function TaxEditor({ limits, readings, readOnly, onChange }: TaxEditorProps) {
  // Rows still being typed (no outlet, no pollutant, no limit) are left out of the estimate.
  const estimate = estimateTaxRelief(
    limits.filter((l) => l.outletId.trim() && l.pollutant.trim() && l.limit > 0 && l.unit.trim()),
    readings.filter((r) => r.outletId.trim() && r.pollutant.trim()),
  );

  function setLimit(i: number, fields: Partial<TaxLimit>) {
    onChange(
      limits.map((l, j) => (j === i ? { ...l, ...fields } : l)),
      [...readings],
    );
  }
  function setReading(i: number, fields: Partial<TaxReading>) {
    onChange(
      [...limits],
      readings.map((r, j) => (j === i ? { ...r, ...fields } : r)),
    );
  }

  const text = (
    label: string,
    value: string | null,
    onText: (v: string) => void,
    width?: number,
  ) =>
    readOnly ? (
      (value ?? '—')
    ) : (
      <Input
        aria-label={label}
        size="small"
        value={value ?? ''}
        style={width ? { width } : undefined}
        onChange={(e) => onText(e.target.value)}
      />
    );

  const amount = (label: string, value: number, onValue: (v: number) => void) =>
    readOnly ? (
      value
    ) : (
      <InputNumber
        aria-label={label}
        size="small"
        min={0}
        value={value}
        onChange={(v) => onValue(typeof v === 'number' ? v : 0)}
      />
    );

  const limitColumns: TableColumnsType<Keyed<TaxLimit>> = [
    {
      title: '排放口编号',
      key: 'outletId',
      width: 110,
      render: (_, l) => text('排放口编号', l.outletId, (v) => setLimit(l.key, { outletId: v })),
    },
    {
      title: '排放口名称',
      key: 'outletName',
      width: 140,
      render: (_, l) =>
        text('排放口名称', l.outletName, (v) => setLimit(l.key, { outletName: v || null })),
    },
    {
      title: '污染物',
      key: 'pollutant',
      width: 110,
      render: (_, l) => text('污染物', l.pollutant, (v) => setLimit(l.key, { pollutant: v })),
    },
    {
      title: '排放限值',
      key: 'limit',
      width: 110,
      render: (_, l) => amount('排放限值', l.limit, (v) => setLimit(l.key, { limit: v })),
    },
    {
      title: '单位',
      key: 'unit',
      width: 90,
      render: (_, l) => text('限值单位', l.unit, (v) => setLimit(l.key, { unit: v })),
    },
    {
      title: '执行标准',
      key: 'standard',
      render: (_, l) => text('执行标准', l.standard, (v) => setLimit(l.key, { standard: v })),
    },
    ...removeColumn<TaxLimit>(readOnly, '删除限值', (key) =>
      onChange(
        limits.filter((_, j) => j !== key),
        [...readings],
      ),
    ),
  ];

  const readingColumns: TableColumnsType<Keyed<TaxReading>> = [
    {
      title: '排放口编号',
      key: 'outletId',
      width: 110,
      render: (_, r) => text('读数排放口', r.outletId, (v) => setReading(r.key, { outletId: v })),
    },
    {
      title: '污染物',
      key: 'pollutant',
      width: 110,
      render: (_, r) => text('读数污染物', r.pollutant, (v) => setReading(r.key, { pollutant: v })),
    },
    {
      title: '监测浓度',
      key: 'value',
      width: 120,
      render: (_, r) => amount('监测浓度', r.value, (v) => setReading(r.key, { value: v })),
    },
    {
      title: '单位（空则同限值）',
      key: 'unit',
      width: 140,
      render: (_, r) => text('读数单位', r.unit, (v) => setReading(r.key, { unit: v || null })),
    },
    ...removeColumn<TaxReading>(readOnly, '删除读数', (key) =>
      onChange(
        [...limits],
        readings.filter((_, j) => j !== key),
      ),
    ),
  ];

  const resultColumns: TableColumnsType<TaxReliefLine> = [
    {
      title: '排放口',
      key: 'outlet',
      width: 120,
      render: (_, l) => (l.outletName ? `${l.outletId} ${l.outletName}` : l.outletId),
    },
    { title: '污染物', dataIndex: 'pollutant', key: 'pollutant', width: 90 },
    {
      title: '限值',
      key: 'limit',
      width: 110,
      render: (_, l) => (l.limit === null ? '未录入' : `${l.limit} ${l.unit}`),
    },
    {
      title: '均值 / 最高',
      key: 'mean',
      width: 100,
      render: (_, l) => (l.mean === null ? '—' : `${l.mean} / ${l.max ?? '—'}`),
    },
    {
      title: '低于限值',
      key: 'below',
      width: 90,
      render: (_, l) => (l.percentBelow === null ? '—' : `${l.percentBelow}%`),
    },
    {
      title: '测算结果',
      key: 'tier',
      width: 190,
      render: (_, l) =>
        l.tier === null ? (
          <Tag>无法测算</Tag>
        ) : l.tier === 'none' ? (
          <Tag>不减征</Tag>
        ) : (
          <Tag color="green">{TAX_TIER_LABELS[l.tier]}</Tag>
        ),
    },
    { title: '说明', dataIndex: 'reason', key: 'reason' },
  ];

  return (
    <div className="tax-editor">
      <Typography.Paragraph type="secondary">
        限值按企业执行的排放标准逐个排放口、逐项污染物录入；本软件不推断限值。
      </Typography.Paragraph>
      <h4>排放限值</h4>
      <EditableRows<TaxLimit>
        rows={limits}
        columns={limitColumns}
        emptyText="尚未录入限值"
        readOnly={readOnly}
        addLabel="添加限值"
        onAdd={() =>
          onChange(
            [
              ...limits,
              {
                outletId: '',
                outletName: null,
                pollutant: '',
                limit: 0,
                unit: 'mg/m³',
                standard: '',
              },
            ],
            [...readings],
          )
        }
      />
      <h4>监测浓度</h4>
      <EditableRows<TaxReading>
        rows={readings}
        columns={readingColumns}
        emptyText="尚未录入监测浓度"
        readOnly={readOnly}
        addLabel="添加读数"
        onAdd={() =>
          onChange(
            [...limits],
            [
              ...readings,
              {
                outletId: limits.at(-1)?.outletId ?? '',
                pollutant: limits.at(-1)?.pollutant ?? '',
                value: 0,
                unit: null,
              },
            ],
          )
        }
      />
      <h4>测算结果</h4>
      {estimate.exceeded && (
        <Alert type="error" showIcon title="有读数超过限值：各排放口均不予减征" />
      )}
      <Table<TaxReliefLine>
        rowKey={(l) => `${l.outletId}\u0000${l.pollutant}`}
        size="small"
        pagination={false}
        columns={resultColumns}
        dataSource={estimate.lines}
        locale={{ emptyText: '录入限值和监测浓度后显示测算结果' }}
      />
      <Space orientation="vertical" size={2} className="tax-rule">
        {estimate.problems.map((p) => (
          <Typography.Text key={p} type="warning">
            {p}
          </Typography.Text>
        ))}
        <Typography.Text type="secondary">{estimate.rule}</Typography.Text>
      </Space>
    </div>
  );
}
