import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Input, InputNumber, Radio, Tag, Typography } from 'antd';
import { memo, useEffect, useRef, useState } from 'react';

import type { EvidenceUse, GapView, Reading } from '../../../../shared/domain/inspection';
import { indicatorHint } from '../../../../shared/grading/field';
import { JUDGED_LABEL } from '../../../../shared/grading/general';
import { NOT_APPLICABLE, type Indicator, type Ruleset } from '../../../../shared/grading/types';
import { EvidenceList } from './EvidenceList';
import { indicatorDomId } from './IndicatorCard';
import type { AnswerChange } from '../../stores/visit';

/**
 * One dimension of the 通用帮扶检查表: what to look at, the team's judged level (专家判定), what
 * it found (现状), measured readings, problems (存在问题) and photos. Every field autosaves
 * through the visit store, as an indicator's answer does.
 */
export interface DimensionCardProps {
  inspectionId: string;
  processId: string;
  ruleset: Ruleset;
  indicator: Indicator;
  fact: string | null;
  note: string | null;
  problems: readonly string[];
  readings: readonly Reading[];
  evidence: readonly EvidenceUse[];
  targetGrade: string | null;
  gap: GapView | null;
  error: string | null;
  disabled: boolean;
  highlighted: boolean;
  onChange: (change: AnswerChange, typing: boolean) => void;
  onEvidenceChanged: () => void;
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

interface ReadingRow {
  outlet: string;
  pollutant: string;
  value: number | null;
  unit: string;
  oxygenRef: number | null;
  limit: number | null;
}

const EMPTY_READING: ReadingRow = {
  outlet: '',
  pollutant: '',
  value: null,
  unit: 'mg/m³',
  oxygenRef: null,
  limit: null,
};

/** Rows complete enough to save (排放口, 污染物, 实测值 and 单位 filled). */
function complete(rows: readonly ReadingRow[]): Reading[] {
  return rows.flatMap((r) =>
    r.outlet.trim() && r.pollutant.trim() && r.value !== null && r.unit.trim()
      ? [
          {
            outlet: r.outlet.trim(),
            pollutant: r.pollutant.trim(),
            value: r.value,
            unit: r.unit.trim(),
            oxygenRef: r.oxygenRef,
            limit: r.limit,
          },
        ]
      : [],
  );
}

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
  const [rows, setRows] = useState<ReadingRow[]>(() => readings.map((r) => ({ ...r })));
  const editing = useRef(false);
  useEffect(() => {
    if (!editing.current) setRows(readings.map((r) => ({ ...r })));
  }, [readings]);
  function update(next: ReadingRow[]): void {
    setRows(next);
    onChange(complete(next));
  }
  const set = (i: number, patch: Partial<ReadingRow>) =>
    update(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
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
          <Input
            aria-label="排放口"
            placeholder="排放口"
            value={r.outlet}
            disabled={disabled}
            maxLength={100}
            onChange={(e) => set(i, { outlet: e.target.value })}
          />
          <Input
            aria-label="污染物"
            placeholder="污染物"
            value={r.pollutant}
            disabled={disabled}
            maxLength={50}
            onChange={(e) => set(i, { pollutant: e.target.value })}
          />
          <InputNumber
            aria-label="实测值"
            placeholder="实测值"
            value={r.value}
            min={0}
            disabled={disabled}
            onChange={(v) => set(i, { value: v })}
          />
          <Input
            aria-label="单位"
            placeholder="单位"
            value={r.unit}
            disabled={disabled}
            maxLength={20}
            className="reading-unit"
            onChange={(e) => set(i, { unit: e.target.value })}
          />
          <InputNumber
            aria-label="基准氧含量"
            placeholder="基准氧含量%"
            value={r.oxygenRef}
            min={0}
            max={21}
            disabled={disabled}
            onChange={(v) => set(i, { oxygenRef: v })}
          />
          <InputNumber
            aria-label="限值"
            placeholder="限值（可不填）"
            value={r.limit}
            min={0}
            disabled={disabled}
            onChange={(v) => set(i, { limit: v })}
          />
          {!disabled && (
            <Button
              type="text"
              aria-label="删除读数"
              icon={<DeleteOutlined />}
              onClick={() => update(rows.filter((_, j) => j !== i))}
            />
          )}
        </div>
      ))}
      {!disabled && (
        <Button
          size="small"
          icon={<PlusOutlined />}
          onClick={() => setRows([...rows, { ...EMPTY_READING }])}
        >
          添加读数
        </Button>
      )}
    </div>
  );
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
    <section
      id={indicatorDomId(processId, indicator.id)}
      className={[
        'indicator-card',
        'dimension-card',
        gap ? 'indicator-card-gap' : '',
        props.highlighted ? 'indicator-card-focus' : '',
      ].join(' ')}
      aria-label={indicator.title}
    >
      <header className="indicator-head">
        <Typography.Text strong>{indicator.title}</Typography.Text>
        <span className="indicator-status">
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
        </span>
      </header>
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
    </section>
  );
});
