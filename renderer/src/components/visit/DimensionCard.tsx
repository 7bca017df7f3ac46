import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Radio, Tag, Typography } from 'antd';
import { memo, useEffect, useId, useRef, useState } from 'react';

import type { Reading } from '../../../../shared/domain/inspection';
import { indicatorHint } from '../../../../shared/grading/field';
import { JUDGED_LABEL } from '../../../../shared/grading/general';
import { checkLimit, checkOxygenRef, checkReading } from '../../../../shared/grading/readings';
import { formatNumber, withUnit } from '../../../../shared/grading/text';
import { NOT_APPLICABLE, type Indicator } from '../../../../shared/grading/types';
import { EvidenceList } from './EvidenceList';
import { type AnswerCardProps, IndicatorFrame } from './IndicatorCard';
import type { AnswerChange } from '../../stores/visit';

/**
 * One dimension of the 通用帮扶检查表: what to look at, the team's judged level (专家判定), what
 * it found (现状), measured readings, problems (存在问题) and photos. Every field autosaves
 * through the visit store, as an indicator's answer does.
 */
export interface DimensionCardProps extends AnswerCardProps {
  fact: string | null;
  problems: readonly string[];
  readings: readonly Reading[];
}

/** A text kept while typing; a value from elsewhere replaces it only when not focused. */
function useTyped(
  value: string,
): [string, (v: string) => void, { onFocus: () => void; onBlur: () => void }] {
  const [text, setText] = useState(value);
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(value);
  }, [value]);
  return [
    text,
    setText,
    { onFocus: () => (focused.current = true), onBlur: () => (focused.current = false) },
  ];
}

/** The numbers of a reading row, typed as text and read by the shared rule. */
type NumberField = 'value' | 'oxygenRef' | 'limit';

interface ReadingRow {
  outlet: string;
  pollutant: string;
  unit: string;
  /** 实测值, 基准氧含量 and 限值 as typed. */
  text: Record<NumberField, string>;
  /** Why a typed number is refused, by field. */
  errors: Partial<Record<NumberField, string>>;
  /** What the row last stood for in the saved list (null: not complete, not saved). */
  saved: Reading | null;
}

const NUMBER_FIELDS: readonly NumberField[] = ['value', 'oxygenRef', 'limit'];

function numberText(n: number | null): string {
  return n === null ? '' : formatNumber(n);
}

function rowOf(r: Reading): ReadingRow {
  return {
    outlet: r.outlet,
    pollutant: r.pollutant,
    unit: r.unit,
    text: {
      value: numberText(r.value),
      oxygenRef: numberText(r.oxygenRef),
      limit: numberText(r.limit),
    },
    errors: {},
    saved: r,
  };
}

const EMPTY_ROW: ReadingRow = {
  outlet: '',
  pollutant: '',
  unit: 'mg/m³',
  text: { value: '', oxygenRef: '', limit: '' },
  errors: {},
  saved: null,
};

/**
 * A row as typed, checked: each number by the rule of the readings (实测值 against its unit,
 * 基准氧含量 a % within 0–21, 限值 ≥ 0 in the unit). A refused number keeps what the row last
 * saved; a row with every number accepted saves once 排放口, 污染物, 实测值 and 单位 are filled.
 */
function checked(row: ReadingRow): ReadingRow {
  const unit = row.unit.trim();
  const results = {
    value: checkReading(row.text.value, unit),
    oxygenRef: checkOxygenRef(row.text.oxygenRef),
    limit: checkLimit(row.text.limit, unit),
  };
  const errors: Partial<Record<NumberField, string>> = {};
  for (const field of NUMBER_FIELDS) {
    const r = results[field];
    if (r.kind === 'invalid') errors[field] = r.message;
  }
  if (Object.keys(errors).length > 0) return { ...row, errors };
  const number = (field: NumberField) => {
    const r = results[field];
    return r.kind === 'number' ? r.value : null;
  };
  const value = number('value');
  const complete =
    row.outlet.trim() !== '' && row.pollutant.trim() !== '' && value !== null && unit !== '';
  return {
    ...row,
    errors,
    saved: complete
      ? {
          outlet: row.outlet.trim(),
          pollutant: row.pollutant.trim(),
          value,
          unit,
          oxygenRef: number('oxygenRef'),
          limit: number('limit'),
        }
      : null,
  };
}

function savedOf(rows: readonly ReadingRow[]): Reading[] {
  return rows.flatMap((r) => (r.saved ? [r.saved] : []));
}

const sameReadings = (a: readonly Reading[], b: readonly Reading[]) =>
  JSON.stringify(a) === JSON.stringify(b);

/** What a refused number still is, as saved: 仍为 42 mg/m³. */
function keptText(saved: Reading | null, field: NumberField): string {
  const n = saved?.[field] ?? null;
  if (n === null) return '；未保存';
  return `；未保存，仍为 ${withUnit(formatNumber(n), field === 'oxygenRef' ? '%' : saved?.unit)}`;
}

const NUMBER_LABELS: Readonly<Record<NumberField, string>> = {
  value: '实测值',
  oxygenRef: '基准氧含量',
  limit: '限值',
};

const NUMBER_PLACEHOLDERS: Readonly<Record<NumberField, string>> = {
  value: '实测值',
  oxygenRef: '基准氧含量%',
  limit: '限值（可不填）',
};

function ReadingsEditor({
  label,
  readings,
  disabled,
  onChange,
}: {
  label: string;
  readings: readonly Reading[];
  disabled: boolean;
  onChange: (readings: Reading[]) => void;
}) {
  const [rows, setRows] = useState<ReadingRow[]>(() => readings.map(rowOf));
  const editing = useRef(false);
  const composing = useRef(false);
  const id = useId();
  useEffect(() => {
    // Readings from elsewhere (reopened, saved by another field) replace the rows only when
    // they differ from what the rows stand for: a refused number stays on screen to correct.
    if (editing.current) return;
    setRows((current) =>
      sameReadings(readings, savedOf(current)) ? current : readings.map(rowOf),
    );
  }, [readings]);
  function update(next: ReadingRow[]): void {
    const before = savedOf(rows);
    setRows(next);
    const after = savedOf(next);
    if (!sameReadings(before, after)) onChange(after);
  }
  const set = (i: number, patch: Partial<ReadingRow>) =>
    update(rows.map((r, j) => (j === i ? checked({ ...r, ...patch }) : r)));
  const typed = (i: number, field: NumberField, text: string) => {
    const row = rows[i] as ReadingRow;
    if (composing.current) {
      // Mid-composition (a Chinese IME): kept as typed, read when the composition ends.
      setRows(rows.map((r, j) => (j === i ? { ...r, text: { ...r.text, [field]: text } } : r)));
      return;
    }
    set(i, { text: { ...row.text, [field]: text } });
  };
  return (
    <div
      className="readings"
      aria-label={`${label} 实测读数`}
      onFocus={() => (editing.current = true)}
      onBlur={() => (editing.current = false)}
    >
      <Typography.Text type="secondary">实测读数</Typography.Text>
      {rows.map((r, i) => (
        <div className="reading-row" key={i}>
          {textInput(r, i, 'outlet', '排放口', 100)}
          {textInput(r, i, 'pollutant', '污染物', 50)}
          {numberInput(r, i, 'value')}
          {textInput(r, i, 'unit', '单位', 20)}
          {numberInput(r, i, 'oxygenRef')}
          {numberInput(r, i, 'limit')}
          {!disabled && (
            <Button
              type="text"
              aria-label="删除读数"
              className="reading-delete"
              icon={<DeleteOutlined />}
              onClick={() => update(rows.filter((_, j) => j !== i))}
            />
          )}
          {/* Each refused number's reason, under its box (placed by the row's grid). */}
          {NUMBER_FIELDS.map((field) =>
            r.errors[field] === undefined ? null : (
              <Typography.Text
                key={field}
                id={errorId(i, field)}
                type="danger"
                className={`reading-error reading-error-${field}`}
                role="alert"
              >
                {r.errors[field]}
                {keptText(r.saved, field)}
              </Typography.Text>
            ),
          )}
        </div>
      ))}
      {!disabled && (
        <Button size="small" icon={<PlusOutlined />} onClick={() => setRows([...rows, EMPTY_ROW])}>
          添加读数
        </Button>
      )}
    </div>
  );

  function errorId(i: number, field: NumberField): string {
    return `${id}-${i}-${field}-error`;
  }

  /** A text field of a reading (排放口, 污染物, 单位), labelled by its placeholder. */
  function textInput(
    r: ReadingRow,
    i: number,
    field: 'outlet' | 'pollutant' | 'unit',
    label: string,
    maxLength: number,
  ) {
    return (
      <Input
        aria-label={label}
        placeholder={label}
        value={r[field]}
        disabled={disabled}
        maxLength={maxLength}
        className={`reading-${field}`}
        onChange={(e) => set(i, { [field]: e.target.value })}
      />
    );
  }

  function numberInput(r: ReadingRow, i: number, field: NumberField) {
    const error = r.errors[field];
    return (
      <Input
        aria-label={NUMBER_LABELS[field]}
        aria-invalid={error !== undefined}
        aria-describedby={error === undefined ? undefined : errorId(i, field)}
        inputMode="decimal"
        placeholder={NUMBER_PLACEHOLDERS[field]}
        value={r.text[field]}
        disabled={disabled}
        maxLength={50}
        className={`reading-${field}`}
        status={error ? 'error' : undefined}
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={(e) => {
          composing.current = false;
          typed(i, field, e.currentTarget.value);
        }}
        onChange={(e) => typed(i, field, e.target.value)}
      />
    );
  }
}

/** Whether a dimension shows the readings editor: emission limits, or any that has readings. */
export function showsReadings(indicator: Indicator, readings: readonly Reading[]): boolean {
  return indicator.dimension === '排放限值' || readings.length > 0;
}

export const DimensionCard = memo(function DimensionCard(props: DimensionCardProps) {
  const { ruleset, indicator, fact, gap, targetGrade, disabled, processId } = props;
  const change = (c: Omit<AnswerChange, 'processId' | 'indicatorId'>, typing: boolean) =>
    props.onChange({ processId, indicatorId: indicator.id, ...c }, typing);
  const [note, setNote, noteFocus] = useTyped(props.note ?? '');
  const [problems, setProblems, problemsFocus] = useTyped(props.problems.join('\n'));
  const judged = fact !== null && fact !== NOT_APPLICABLE ? fact : null;
  const hint = indicatorHint(ruleset, indicator);

  return (
    <IndicatorFrame
      processId={processId}
      indicator={indicator}
      extraClass="dimension-card"
      gap={gap !== null}
      highlighted={props.highlighted}
      status={
        <>
          {fact === null ? (
            <Tag>未判定</Tag>
          ) : fact === NOT_APPLICABLE ? (
            <Tag>不适用</Tag>
          ) : (
            <Tag color="green">
              {JUDGED_LABEL} {judged}级
            </Tag>
          )}
          {gap && targetGrade && <Tag color="red">未达目标 {targetGrade} 级</Tag>}
        </>
      }
    >
      {hint && (
        <div className="dimension-prompt">
          <Typography.Text type="secondary">要看什么：</Typography.Text>
          <Typography.Text>{hint}</Typography.Text>
        </div>
      )}
      <div className="indicator-answer">
        <div className="dimension-judgement">
          <Typography.Text type="secondary">专家判定本维度达到：</Typography.Text>
          <Radio.Group
            aria-label={`${indicator.title} 专家判定`}
            optionType="button"
            value={fact ?? undefined}
            disabled={disabled}
            onChange={(e) => change({ fact: e.target.value as string }, false)}
            options={[
              ...ruleset.grades.map((g) => ({
                value: g.grade,
                label: `${g.grade}级`,
                title: indicator.text?.[g.grade],
              })),
              { value: NOT_APPLICABLE, label: '不适用' },
            ]}
          />
          {judged && indicator.text?.[judged] && (
            <Typography.Text type="secondary" className="grade-wording">
              {indicator.text[judged]}
            </Typography.Text>
          )}
        </div>
        {props.error && (
          <Alert type="error" showIcon title={props.error} className="answer-error" />
        )}
        {/* A finalized record shows what was written, not empty fields. */}
        {(!disabled || note !== '') && (
          <Input.TextArea
            aria-label={`${indicator.title} 现状`}
            value={note}
            disabled={disabled}
            placeholder="现状：现场看到的情况（自动保存）"
            autoSize={{ minRows: 1, maxRows: 6 }}
            maxLength={2000}
            {...noteFocus}
            onChange={(e) => {
              setNote(e.target.value);
              change({ note: e.target.value.trim() === '' ? null : e.target.value }, true);
            }}
          />
        )}
        {(!disabled || problems !== '') && (
          <Input.TextArea
            aria-label={`${indicator.title} 存在问题`}
            value={problems}
            disabled={disabled}
            placeholder="存在问题：每行一条，将列入一企一策整改措施"
            autoSize={{ minRows: 1, maxRows: 8 }}
            {...problemsFocus}
            onChange={(e) => {
              setProblems(e.target.value);
              change(
                {
                  problems: e.target.value
                    .split('\n')
                    .map((l) => l.trim())
                    .filter((l) => l !== ''),
                },
                true,
              );
            }}
          />
        )}
        {(!disabled || props.readings.length > 0) && showsReadings(indicator, props.readings) && (
          <ReadingsEditor
            label={indicator.title}
            readings={props.readings}
            disabled={disabled}
            onChange={(readings) => change({ readings }, true)}
          />
        )}
        <EvidenceList
          evidence={props.evidence}
          disabled={disabled}
          target={{ inspectionId: props.inspectionId, processId, indicatorId: indicator.id }}
          onChanged={props.onEvidenceChanged}
          label="照片/文件"
        />
      </div>
    </IndicatorFrame>
  );
});
