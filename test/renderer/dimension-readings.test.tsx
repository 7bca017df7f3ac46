import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import { DimensionCard } from '../../renderer/src/components/visit/DimensionCard';
import type { AnswerChange } from '../../renderer/src/stores/visit';
import { Providers } from '../../renderer/src/Providers';
import type { Reading } from '../../shared/domain/inspection';
import type { Indicator, Ruleset } from '../../shared/grading/types';

const EMISSION: Indicator = {
  id: 'general.emission',
  dimension: '排放限值',
  title: '排放限值',
  kind: 'level',
  require: { A: 'A', B: 'B', C: 'C' },
};

const CHECKLIST: Ruleset = {
  id: 'general-a-b-c-d',
  kind: 'general',
  industry: '通用帮扶检查表',
  edition: '2026',
  source: 'test',
  status: 'draft',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'C', rank: 3 },
    { grade: 'D', rank: 5 },
  ],
  indicators: [EMISSION],
};

const DUST: Reading = {
  outlet: 'DA001',
  pollutant: '颗粒物',
  value: 12,
  unit: 'mg/m³',
  oxygenRef: 10,
  limit: 30,
};

function cardProps(onChange: (change: AnswerChange, typing: boolean) => void) {
  return {
    inspectionId: 'visit',
    processId: 'process',
    ruleset: CHECKLIST,
    indicator: EMISSION,
    fact: null,
    note: null,
    problems: [],
    evidence: [],
    targetGrade: 'B',
    gap: null,
    error: null,
    disabled: false,
    highlighted: false,
    onChange,
    onEvidenceChanged: () => undefined,
  };
}

function renderCard(readings: Reading[]) {
  const onChange = vi.fn<(change: AnswerChange, typing: boolean) => void>();
  render(
    <Providers>
      <DimensionCard {...cardProps(onChange)} readings={readings} />
    </Providers>,
  );
  return onChange;
}

const row = () => within(screen.getByLabelText('排放限值 实测读数'));
const type = (label: string, text: string) =>
  fireEvent.change(row().getByLabelText(label, { exact: true }), { target: { value: text } });
const shown = (label: string) =>
  row().getByLabelText<HTMLInputElement>(label, { exact: true }).value;
/** The readings the last change saved. */
const lastReadings = (onChange: ReturnType<typeof renderCard>) =>
  onChange.mock.lastCall?.[0].readings;

describe('a reading of the 通用帮扶检查表 typed on site', () => {
  it('reads full-width digits and the IME’s ．/。 as the number, and saves it', () => {
    const onChange = renderCard([]);
    fireEvent.click(screen.getByRole('button', { name: /添加读数/ }));
    type('排放口', 'DA001');
    type('污染物', '颗粒物');
    expect(onChange).not.toHaveBeenCalled();
    type('实测值', '１２．５');
    expect(onChange).toHaveBeenLastCalledWith(
      {
        processId: 'process',
        indicatorId: 'general.emission',
        readings: [
          {
            outlet: 'DA001',
            pollutant: '颗粒物',
            value: 12.5,
            unit: 'mg/m³',
            oxygenRef: null,
            limit: null,
          },
        ],
      },
      true,
    );
    type('基准氧含量', '１０。５％');
    type('限值', '３０');
    expect(lastReadings(onChange)).toEqual([
      {
        outlet: 'DA001',
        pollutant: '颗粒物',
        value: 12.5,
        unit: 'mg/m³',
        oxygenRef: 10.5,
        limit: 30,
      },
    ]);
    expect(screen.queryByRole('alert')).toBeNull();
    // What was typed stays as typed.
    expect(shown('实测值')).toBe('１２．５');
  });

  it('refuses text that is not a number under the field, keeping the saved value', () => {
    const onChange = renderCard([DUST]);
    type('实测值', 'abc');
    expect(onChange).not.toHaveBeenCalled();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('“abc”不是数值，请填写数字（如 42.5）；未保存，仍为 12 mg/m³');
    // Under the 实测值 box, which is marked invalid, described by it and keeps the text to correct.
    const input = row().getByLabelText('实测值');
    expect(alert.classList).toContain('reading-error-value');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert.id);
    expect(shown('实测值')).toBe('abc');
    // Another field of the row changed meanwhile saves nothing either: the row keeps 12.
    type('排放口', 'DA002');
    expect(onChange).not.toHaveBeenCalled();
    type('实测值', '15');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(lastReadings(onChange)).toEqual([{ ...DUST, outlet: 'DA002', value: 15 }]);
  });

  it('refuses 42、57 in one box, asking for a reading per row', () => {
    const onChange = renderCard([DUST]);
    type('实测值', '42、57');
    expect(screen.getByRole('alert').textContent).toContain('请点“增加读数”逐个填写');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('refuses a value out of its unit’s range, and re-checks it when the unit changes', () => {
    const onChange = renderCard([DUST]);
    type('实测值', '-3');
    expect(screen.getByRole('alert').textContent).toBe(
      '-3 mg/m³ 超出范围：浓度不能小于 0 mg/m³；未保存，仍为 12 mg/m³',
    );
    type('实测值', '150');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(lastReadings(onChange)).toEqual([{ ...DUST, value: 150 }]);
    onChange.mockClear();
    // 150 is no share: the unit changed to % is refused with the value, nothing saved.
    type('单位', '%');
    expect(screen.getByRole('alert').textContent).toBe(
      '150% 超出范围：百分比应在 0% 到 100% 之间；未保存，仍为 150 mg/m³',
    );
    expect(onChange).not.toHaveBeenCalled();
    type('实测值', '95');
    type('限值', '90');
    expect(lastReadings(onChange)).toEqual([{ ...DUST, value: 95, unit: '%', limit: 90 }]);
  });

  it('keeps 基准氧含量 a % within 0–21 and 限值 at least 0', () => {
    const onChange = renderCard([DUST]);
    type('基准氧含量', '２５');
    expect(screen.getByRole('alert').textContent).toBe(
      '25% 超出范围：基准氧含量应在 0% 到 21% 之间；未保存，仍为 10%',
    );
    type('基准氧含量', '');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(lastReadings(onChange)).toEqual([{ ...DUST, oxygenRef: null }]);
    onChange.mockClear();
    type('限值', '-1');
    expect(screen.getByRole('alert').textContent).toBe(
      '-1 mg/m³ 超出范围：浓度不能小于 0 mg/m³；未保存，仍为 30 mg/m³',
    );
    type('限值', '三十');
    expect(screen.getByRole('alert').textContent).toContain('“三十”不是数值');
    expect(onChange).not.toHaveBeenCalled();
  });

  it('keeps a refused number on screen when the saved readings come back unchanged', () => {
    const props = cardProps(vi.fn());
    const { rerender } = render(
      <Providers>
        <DimensionCard {...props} readings={[DUST]} />
      </Providers>,
    );
    type('实测值', 'abc');
    // Another field's save returns the answer: the same readings, a new array.
    rerender(
      <Providers>
        <DimensionCard {...props} note="新的现状" readings={[{ ...DUST }]} />
      </Providers>,
    );
    expect(shown('实测值')).toBe('abc');
    expect(screen.getByRole('alert').textContent).toContain('仍为 12 mg/m³');
    // Readings changed elsewhere (another device, reopened) replace the rows.
    rerender(
      <Providers>
        <DimensionCard {...props} readings={[{ ...DUST, value: 20 }]} />
      </Providers>,
    );
    expect(shown('实测值')).toBe('20');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
