import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, InputNumber, Radio, Select, Space } from 'antd';
import { useState } from 'react';

import {
  NOT_APPLICABLE,
  type FactValue,
  type Indicator,
  type Ruleset,
} from '../../../../shared/grading/types';

export interface AnswerInputProps {
  ruleset: Ruleset;
  indicator: Indicator;
  fact: FactValue | null;
  disabled: boolean;
  /** `typing`: the value is being typed, save after a pause. */
  onChange: (fact: FactValue | null, typing: boolean) => void;
}

/** The readings typed so far: numbers, or '' for a box left empty. */
function readingsOf(fact: FactValue | null): (number | null)[] {
  if (typeof fact === 'number') return [fact];
  if (Array.isArray(fact)) return fact.map((v) => (typeof v === 'number' ? v : null));
  return [null];
}

function factOfReadings(readings: readonly (number | null)[]): FactValue | null {
  const numbers = readings.filter((v): v is number => v !== null && Number.isFinite(v));
  if (numbers.length === 0) return null;
  return numbers.length === 1 ? numbers[0]! : numbers;
}

function sameReadings(a: FactValue | null, b: FactValue | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** One or more measured readings (several outlets or hours), each in the indicator's unit. */
function ReadingsInput({ indicator, fact, disabled, onChange }: AnswerInputProps) {
  const [readings, setReadings] = useState(() => readingsOf(fact));
  const [shownFact, setShownFact] = useState(fact);

  // A value from elsewhere (reopened, reverted) replaces what is typed, unless they agree.
  if (!sameReadings(shownFact, fact)) {
    setShownFact(fact);
    if (!sameReadings(factOfReadings(readings), fact)) setReadings(readingsOf(fact));
  }

  function update(next: (number | null)[], typing: boolean) {
    setReadings(next);
    onChange(factOfReadings(next), typing);
  }

  return (
    <Space orientation="vertical" size={4}>
      {readings.map((value, i) => (
        <Space key={i} size={4}>
          <InputNumber
            aria-label={`${indicator.title} 读数 ${i + 1}`}
            className="reading-input"
            value={value}
            disabled={disabled}
            placeholder={readings.length > 1 ? `读数 ${i + 1}` : '读数'}
            suffix={indicator.unit}
            onChange={(v) => {
              const next = [...readings];
              next[i] = typeof v === 'number' ? v : null;
              update(next, true);
            }}
          />
          {readings.length > 1 && !disabled && (
            <Button
              type="text"
              size="small"
              aria-label={`删除读数 ${i + 1}`}
              icon={<MinusCircleOutlined />}
              onClick={() =>
                update(
                  readings.filter((_, j) => j !== i),
                  false,
                )
              }
            />
          )}
        </Space>
      ))}
      {!disabled && (
        <Button
          type="dashed"
          size="small"
          icon={<PlusOutlined />}
          onClick={() => setReadings([...readings, null])}
        >
          增加读数（多个排口或时段）
        </Button>
      )}
    </Space>
  );
}

/** The answer an indicator's kind takes, with 不适用 beside it. */
export function AnswerInput(props: AnswerInputProps) {
  const { ruleset, indicator, fact, disabled, onChange } = props;
  const notApplicable = fact === NOT_APPLICABLE;
  const label = indicator.title;

  let input: React.ReactNode;
  switch (indicator.kind) {
    case 'max':
    case 'min':
      input = <ReadingsInput {...props} fact={notApplicable ? null : fact} />;
      break;
    case 'bool':
      input = (
        <Radio.Group
          aria-label={label}
          optionType="button"
          value={typeof fact === 'boolean' ? fact : undefined}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value as boolean, false)}
          options={[
            { value: true, label: '是' },
            { value: false, label: '否' },
          ]}
        />
      );
      break;
    case 'level':
      input = (
        <Radio.Group
          aria-label={label}
          optionType="button"
          value={typeof fact === 'string' && !notApplicable ? fact : undefined}
          disabled={disabled}
          onChange={(e) => onChange(e.target.value as string, false)}
          options={ruleset.grades.map((g) => ({ value: g.grade, label: `${g.grade}级` }))}
        />
      );
      break;
    case 'oneOf':
      input = (
        <Select
          aria-label={label}
          className="answer-select"
          placeholder="请选择"
          value={typeof fact === 'string' && !notApplicable ? fact : undefined}
          disabled={disabled}
          onChange={(v: string) => onChange(v, false)}
          options={(indicator.options ?? []).map((o) => ({ value: o, label: o }))}
        />
      );
      break;
    default:
      input = null;
  }

  return (
    <Space wrap align="start" size={12}>
      {!notApplicable && input}
      <Checkbox
        checked={notApplicable}
        disabled={disabled}
        onChange={(e) => onChange(e.target.checked ? NOT_APPLICABLE : null, false)}
      >
        不适用
      </Checkbox>
      {fact !== null && !disabled && (
        <Button type="link" size="small" onClick={() => onChange(null, false)}>
          清除
        </Button>
      )}
    </Space>
  );
}
