import { Alert, Input, Tag, Typography } from 'antd';
import { memo, type ReactNode, useEffect, useRef, useState } from 'react';

import type { EvidenceUse, GapView } from '../../../../shared/domain/inspection';
import { indicatorHint } from '../../../../shared/grading/field';
import { requirementText } from '../../../../shared/grading/text';
import type { FactValue, Indicator, Ruleset } from '../../../../shared/grading/types';
import { AnswerInput } from './AnswerInput';
import { EvidenceList } from './EvidenceList';
import type { AnswerChange } from '../../stores/visit';

/** The DOM id of an indicator's card, which gap links scroll to. */
export function indicatorDomId(processId: string, indicatorId: string): string {
  return `indicator-${processId}-${indicatorId}`.replace(/[^\w-]/g, '_');
}

/**
 * The frame of an indicator's card (a dimension's too): its section, named and found by the
 * indicator, marked when it falls short of the target or is the one sought, and its head with
 * the title and the status tags.
 */
export function IndicatorFrame({
  processId,
  indicator,
  extraClass,
  gap,
  highlighted,
  status,
  children,
}: {
  processId: string;
  indicator: Indicator;
  extraClass?: string;
  gap: boolean;
  highlighted: boolean;
  status: ReactNode;
  children: ReactNode;
}) {
  return (
    <section
      id={indicatorDomId(processId, indicator.id)}
      className={[
        'indicator-card',
        ...(extraClass ? [extraClass] : []),
        gap ? 'indicator-card-gap' : '',
        highlighted ? 'indicator-card-focus' : '',
      ].join(' ')}
      aria-label={indicator.title}
    >
      <header className="indicator-head">
        <Typography.Text strong>{indicator.title}</Typography.Text>
        <span className="indicator-status">{status}</span>
      </header>
      {children}
    </section>
  );
}

/** What an indicator's card and a dimension's card are both given. */
export interface AnswerCardProps {
  inspectionId: string;
  processId: string;
  ruleset: Ruleset;
  indicator: Indicator;
  note: string | null;
  evidence: readonly EvidenceUse[];
  targetGrade: string | null;
  /** What keeps the process from its target on this indicator, if anything. */
  gap: GapView | null;
  error: string | null;
  disabled: boolean;
  highlighted: boolean;
  /** Stable (the visit store's `change`), so unchanged cards do not render again. */
  onChange: (change: AnswerChange, typing: boolean) => void;
  onEvidenceChanged: () => void;
}

export interface IndicatorCardProps extends AnswerCardProps {
  fact: FactValue | null;
  /** The best grade this indicator's answer meets (null: unanswered or meets none). */
  reached: string | null;
}

/** The note, saved after a pause in typing; a value from elsewhere replaces it when not typing. */
function NoteInput({
  label,
  note,
  disabled,
  onChange,
}: {
  label: string;
  note: string | null;
  disabled: boolean;
  onChange: (note: string | null) => void;
}) {
  const [text, setText] = useState(note ?? '');
  const focused = useRef(false);
  useEffect(() => {
    if (!focused.current) setText(note ?? '');
  }, [note]);
  return (
    <Input.TextArea
      aria-label={`${label} 说明`}
      value={text}
      disabled={disabled}
      placeholder="现场情况、存在问题（自动保存）"
      autoSize={{ minRows: 1, maxRows: 6 }}
      maxLength={2000}
      onFocus={() => (focused.current = true)}
      onBlur={() => (focused.current = false)}
      onChange={(e) => {
        setText(e.target.value);
        onChange(e.target.value.trim() === '' ? null : e.target.value);
      }}
    />
  );
}

/** One indicator of the checklist: every grade's requirement and wording, the answer, evidence. */
export const IndicatorCard = memo(function IndicatorCard(props: IndicatorCardProps) {
  const { ruleset, indicator, fact, gap, reached, targetGrade, disabled } = props;
  const floor = ruleset.grades.at(-1)?.grade;
  const grades = ruleset.grades.filter(
    (g) => indicator.require[g.grade] !== undefined || indicator.text?.[g.grade],
  );
  const answered = fact !== null;
  // The team's 说明 only: the experts' 来源与缺项 and the indicator's id stay in the library.
  const hint = indicatorHint(ruleset, indicator);

  return (
    <IndicatorFrame
      processId={props.processId}
      indicator={indicator}
      gap={gap !== null}
      highlighted={props.highlighted}
      status={
        <>
          {!answered ? (
            <Tag>未填写</Tag>
          ) : reached ? (
            <Tag color={reached === floor ? 'orange' : 'green'}>满足 {reached} 级</Tag>
          ) : null}
          {gap && targetGrade && (
            <Tag color="red">
              未达目标 {targetGrade} 级：{requirementText(indicator, gap.required)}
            </Tag>
          )}
        </>
      }
    >
      {hint && (
        <Typography.Paragraph type="secondary" className="indicator-note">
          {hint}
        </Typography.Paragraph>
      )}
      <dl className="grade-requirements">
        {grades.map((g) => {
          const requirement = indicator.require[g.grade];
          return (
            <div
              key={g.grade}
              className={g.grade === targetGrade ? 'grade-row grade-row-target' : 'grade-row'}
            >
              <dt>{g.grade}级</dt>
              <dd>
                {requirement !== undefined && (
                  <span className="grade-requirement">
                    {requirementText(indicator, requirement)}
                  </span>
                )}
                {indicator.text?.[g.grade] && (
                  <Typography.Text type="secondary" className="grade-wording">
                    {indicator.text[g.grade]}
                  </Typography.Text>
                )}
              </dd>
            </div>
          );
        })}
      </dl>
      <div className="indicator-answer">
        <AnswerInput
          ruleset={ruleset}
          indicator={indicator}
          fact={fact}
          disabled={disabled}
          onChange={(value, typing) =>
            props.onChange(
              { processId: props.processId, indicatorId: indicator.id, fact: value },
              typing,
            )
          }
        />
        {props.error && (
          <Alert type="error" showIcon title={props.error} className="answer-error" />
        )}
        <NoteInput
          label={indicator.title}
          note={props.note}
          disabled={disabled}
          onChange={(note) =>
            props.onChange({ processId: props.processId, indicatorId: indicator.id, note }, true)
          }
        />
        <EvidenceList
          evidence={props.evidence}
          disabled={disabled}
          target={{
            inspectionId: props.inspectionId,
            processId: props.processId,
            indicatorId: indicator.id,
          }}
          onChanged={props.onEvidenceChanged}
          label="照片/文件"
        />
      </div>
    </IndicatorFrame>
  );
});
