import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { AnswerInput } from '../../renderer/src/components/visit/AnswerInput';
import { Providers } from '../../renderer/src/Providers';
import type { FactValue, Indicator, Ruleset } from '../../shared/grading/types';
import { cement } from '../fixtures/rulesets';

/** The contract's cement sample: its 清洁运输比例 (a lower bound) and its NOx (an upper bound). */
const RULESET: Ruleset = cement();

function indicator(id: string): Indicator {
  const found = RULESET.indicators.find((i) => i.id === id);
  if (!found) throw new Error(`no indicator ${id} in the cement sample`);
  return found;
}

const TRUCKS = indicator('transport.clean-road-share');
const NOX = indicator('emission.kiln-tail.nox');

function renderInput(indicator: Indicator, fact: FactValue | null) {
  const onChange = vi.fn<(fact: FactValue | null, typing: boolean) => void>();
  render(
    <Providers>
      <AnswerInput
        ruleset={RULESET}
        indicator={indicator}
        fact={fact}
        disabled={false}
        onChange={onChange}
      />
    </Providers>,
  );
  return onChange;
}

const type = (label: string, text: string) =>
  fireEvent.change(screen.getByLabelText(label), { target: { value: text } });

describe('a reading typed on site', () => {
  it('is read as its number when typed with full-width digits and the IME’s 。', () => {
    const onChange = renderInput(TRUCKS, null);
    type('清洁运输比例 读数 1', '８５。５');
    expect(onChange).toHaveBeenLastCalledWith(85.5, true);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('is refused under the field when out of its unit’s range, saving nothing and keeping the old value', () => {
    const onChange = renderInput(TRUCKS, 85);
    type('清洁运输比例 读数 1', '１２０');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe(
      '120% 超出范围：百分比应在 0% 到 100% 之间；未保存，仍为 85%',
    );
    expect(screen.getByLabelText<HTMLInputElement>('清洁运输比例 读数 1').value).toBe('１２０');
    type('清洁运输比例 读数 1', '90');
    expect(onChange).toHaveBeenLastCalledWith(90, true);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('is refused with a message when it is not a number, the typed text left to correct', () => {
    const onChange = renderInput(NOX, 42);
    type('窑尾氮氧化物排放浓度 读数 1', '很低');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe(
      '“很低”不是数值，请填写数字（如 42.5）；未保存，仍为 42 mg/m³',
    );
    type('窑尾氮氧化物排放浓度 读数 1', '42、57');
    expect(screen.getByRole('alert').textContent).toContain('请点“增加读数”逐个填写');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('keeps the other readings when one of several is refused', () => {
    const onChange = renderInput(NOX, [42, 57]);
    type('窑尾氮氧化物排放浓度 读数 2', '-3');
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe(
      '-3 mg/m³ 超出范围：浓度不能小于 0 mg/m³；未保存，仍为 57 mg/m³',
    );
    type('窑尾氮氧化物排放浓度 读数 1', '４０');
    expect(onChange).toHaveBeenLastCalledWith([40, 57], true);
  });

  it('clears the answer only when the box is emptied on purpose', () => {
    const onChange = renderInput(TRUCKS, 85);
    type('清洁运输比例 读数 1', '　');
    expect(onChange).toHaveBeenLastCalledWith(null, true);
  });
});
