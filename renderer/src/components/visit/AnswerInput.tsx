import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Input, Radio, Select, Space, Typography } from 'antd';
import { useRef, useState } from 'react';

import { checkReading } from '../../../../shared/grading/readings';
import { formatNumber, withUnit } from '../../../../shared/grading/text';
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

/** The readings stored: numbers, or null for a box left empty. */
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

/** One box of the readings: the text as typed, the number it last stood for, why it is refused. */
interface ReadingBox {
  text: string;
  value: number | null;
  error: string | null;
}

function boxesOf(fact: FactValue | null): ReadingBox[] {
  return readingsOf(fact).map((value) => ({
    text: value === null ? '' : formatNumber(value),
    value,
    error: null,
  }));
}

/**
 * One or more measured readings (several outlets or hours), each in the indicator's unit. What is
 * typed is read by the shared rule (full-width digits and the IME's 。 are numbers; 42、57 or a
 * % above 100 is not): a refused box says why under it and saves nothing, so the stored value
 * stays until the box holds a number again.
 */
function ReadingsInput({ indicator, fact, disabled, onChange }: AnswerInputProps) {
  const [boxes, setBoxes] = useState(() => boxesOf(fact));
  const [shownFact, setShownFact] = useState(fact);
  const composing = useRef(false);

  // A value from elsewhere (reopened, reverted) replaces what is typed, unless they agree.
  if (!sameReadings(shownFact, fact)) {
    setShownFact(fact);
    if (!sameReadings(factOfReadings(boxes.map((b) => b.value)), fact)) setBoxes(boxesOf(fact));
  }

  function save(next: ReadingBox[], typing: boolean) {
    setBoxes(next);
    onChange(factOfReadings(next.map((b) => b.value)), typing);
  }

  function typed(i: number, text: string) {
    const next = [...boxes];
    const box = boxes[i] as ReadingBox;
    if (composing.current) {
      next[i] = { ...box, text };
      setBoxes(next);
      return;
    }
    const checked = checkReading(text, indicator.unit);
    if (checked.kind === 'invalid') {
      // Refused: shown under the box, nothing saved, the last number it stood for kept.
      next[i] = { ...box, text, error: checked.message };
      setBoxes(next);
      return;
    }
    next[i] = { text, value: checked.kind === 'number' ? checked.value : null, error: null };
    save(next, true);
  }

  return (
    <Space orientation="vertical" size={4}>
      {boxes.map((box, i) => (
        <div key={i} className="reading-box">
          <Space size={4}>
            <Input
              aria-label={`${indicator.title} 读数 ${i + 1}`}
              aria-invalid={box.error !== null}
              className="reading-input"
              inputMode="decimal"
              value={box.text}
              disabled={disabled}
              status={box.error ? 'error' : undefined}
              placeholder={boxes.length > 1 ? `读数 ${i + 1}` : '读数'}
              suffix={indicator.unit}
              onCompositionStart={() => (composing.current = true)}
              onCompositionEnd={(e) => {
                composing.current = false;
                typed(i, e.currentTarget.value);
              }}
              onChange={(e) => typed(i, e.target.value)}
            />
            {boxes.length > 1 && !disabled && (
              <Button
                type="text"
                size="small"
                aria-label={`删除读数 ${i + 1}`}
                icon={<MinusCircleOutlined />}
                onClick={() =>
                  save(
                    boxes.filter((_, j) => j !== i),
                    false,
                  )
                }
              />
            )}
          </Space>
          {box.error && (
            <Typography.Text type="danger" className="reading-error" role="alert">
              {box.error}
              {box.value !== null
                ? `；未保存，仍为 ${withUnit(formatNumber(box.value), indicator.unit)}`
                : '；未保存'}
            </Typography.Text>
          )}
        </div>
      ))}
      {!disabled && (
        <Button
          type="dashed"
          size="small"
          icon={<PlusOutlined />}
          onClick={() => setBoxes([...boxes, { text: '', value: null, error: null }])}
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
