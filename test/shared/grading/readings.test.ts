import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  checkLimit,
  checkMeasuredNumbers,
  checkOxygenRef,
  checkReading,
  normalizeReadingText,
  parseReading,
  readingRangeProblem,
  unitRange,
} from '../../../shared/grading';

const FULL_WIDTH = '０１２３４５６７８９';

/** Text mixing what a Chinese IME types with ASCII: digits, points, commas, signs, letters. */
const imeText = fc.string({
  unit: fc.constantFrom(
    ...'0123456789０１２３４５６７８９.．。,，、+-＋－−%％ 　eE毫克abc/'.split(''),
  ),
  maxLength: 12,
});

/** What a parse means, without the wording of its message. */
function meaning(p: ReturnType<typeof parseReading>) {
  return p.kind === 'number' ? p : { kind: p.kind };
}

/** A number as a person might type it through a Chinese IME in full-width mode. */
function fullWidth(text: string, point: '．' | '。'): string {
  return text
    .replace(/\d/g, (d) => FULL_WIDTH[Number(d)] as string)
    .replace('.', point)
    .replace('-', '－');
}

/** Plain decimal text of a number (no exponent), as toFixed would write it. */
function decimalText(n: number, decimals: number): string {
  return n.toFixed(decimals);
}

/** 1234567.5 → 1,234,567.5 (or with ，). */
function grouped(text: string, sep: string): string {
  const [int = '', frac] = text.replace('-', '').split('.');
  const withSep = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep);
  return `${text.startsWith('-') ? '-' : ''}${withSep}${frac === undefined ? '' : `.${frac}`}`;
}

const typedNumber = fc
  .tuple(fc.integer({ min: -999_999_999, max: 999_999_999 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, decimals]) => {
    const text = decimalText(n / 10 ** decimals, decimals);
    return { text, value: Number(text) };
  });

describe('reading what is typed for a reading (parseReading)', () => {
  it('gives back the number of any plainly written decimal', () => {
    fc.assert(
      fc.property(typedNumber, ({ text, value }) => {
        expect(parseReading(text)).toEqual({ kind: 'number', value: value === 0 ? 0 : value });
      }),
    );
  });

  it('reads full-width digits, ．or the IME’s 。 as the point, and a full-width minus', () => {
    fc.assert(
      fc.property(typedNumber, fc.constantFrom<'．' | '。'>('．', '。'), (n, p) => {
        expect(parseReading(fullWidth(n.text, p))).toEqual({
          kind: 'number',
          value: n.value === 0 ? 0 : n.value,
        });
      }),
    );
    expect(parseReading('４２。５')).toEqual({ kind: 'number', value: 42.5 });
    expect(parseReading('　８５　')).toEqual({ kind: 'number', value: 85 });
    expect(parseReading('＋３')).toEqual({ kind: 'number', value: 3 });
  });

  it('reads , and ， as thousands separators where they group by three', () => {
    fc.assert(
      fc.property(typedNumber, fc.constantFrom(',', '，'), (n, sep) => {
        expect(parseReading(grouped(n.text, sep))).toEqual({
          kind: 'number',
          value: n.value === 0 ? 0 : n.value,
        });
      }),
    );
    expect(parseReading('12，345.6')).toEqual({ kind: 'number', value: 12345.6 });
  });

  it('refuses a comma that is not a thousands grouping rather than guess a decimal', () => {
    for (const text of ['42,5', '42，57', '1,23', '1,2345', '12,34,567']) {
      const parsed = parseReading(text);
      expect(parsed.kind, text).toBe('invalid');
      expect(parsed.kind === 'invalid' && parsed.message).toContain('逗号含义不明确');
    }
  });

  it('refuses 、 which lists readings, so two readings never become one number', () => {
    expect(parseReading('42、57')).toEqual({
      kind: 'invalid',
      message: '一个读数框只填一个数值；多个排口或时段的读数请点“增加读数”逐个填写',
    });
  });

  it('never gives a number for text that is not one', () => {
    const notNumeric = fc
      .oneof(fc.string(), fc.string({ unit: 'binary' }), imeText)
      .filter((s) => !/[0-9０-９]/.test(s));
    fc.assert(
      fc.property(notNumeric, (s) => {
        expect(parseReading(s).kind).not.toBe('number');
      }),
    );
    fc.assert(
      fc.property(
        typedNumber,
        fc.constantFrom('e3', 'abc', '毫克', '..', 'x', '#', '/2', '一'),
        (n, junk) => {
          expect(parseReading(`${n.text}${junk}`).kind).toBe('invalid');
        },
      ),
    );
    for (const text of ['四十二', '1e3', 'Infinity', 'NaN', '-', '+', '.', '1.2.3', '0x10']) {
      expect(parseReading(text).kind, text).toBe('invalid');
    }
    expect(parseReading('1.2.3')).toMatchObject({ message: '“1.2.3”有多个小数点，不是一个数值' });
    expect(parseReading('abc')).toMatchObject({ message: '“abc”不是数值，请填写数字（如 42.5）' });
  });

  it('gives a number only for what, once normalised, is written as one', () => {
    fc.assert(
      fc.property(imeText, (s) => {
        const parsed = parseReading(s);
        if (parsed.kind !== 'number') return;
        const plain = normalizeReadingText(s).replace(/,/g, '');
        expect(plain).toMatch(/^[+-]?(\d+\.?\d*|\.\d+)$/);
        expect(parsed.value).toBe(Number(plain) === 0 ? 0 : Number(plain));
      }),
    );
  });

  it('says an empty or blank box is empty, not zero', () => {
    for (const text of ['', ' ', '　', '\t']) expect(parseReading(text)).toEqual({ kind: 'empty' });
  });

  it('drops the indicator’s own unit typed after the number, and only that unit', () => {
    expect(parseReading('85%', '%')).toEqual({ kind: 'number', value: 85 });
    expect(parseReading('８５％', '%')).toEqual({ kind: 'number', value: 85 });
    expect(parseReading('42 mg/m³', 'mg/m³')).toEqual({ kind: 'number', value: 42 });
    expect(parseReading('85%', 'mg/m³').kind).toBe('invalid');
  });

  it('refuses more significant digits than a number keeps exactly', () => {
    expect(parseReading('1234567890123456').kind).toBe('invalid');
    expect(parseReading('0.000000000000001')).toEqual({ kind: 'number', value: 1e-15 });
  });

  it('normalises the same text once or twice alike', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), imeText), (s) => {
        expect(normalizeReadingText(normalizeReadingText(s))).toBe(normalizeReadingText(s));
        expect(meaning(parseReading(normalizeReadingText(s)))).toEqual(meaning(parseReading(s)));
      }),
    );
  });
});

describe('the range a unit allows (unitRange, readingRangeProblem)', () => {
  it('keeps a percentage within 0–100 and a per-mille within 0–1000', () => {
    expect(unitRange('%')).toEqual({ min: 0, max: 100, what: '百分比' });
    expect(unitRange('％')).toEqual({ min: 0, max: 100, what: '百分比' });
    expect(readingRangeProblem(100, '%')).toBeNull();
    expect(readingRangeProblem(0, '%')).toBeNull();
    expect(readingRangeProblem(120, '%')).toBe('120% 超出范围：百分比应在 0% 到 100% 之间');
    expect(readingRangeProblem(-1, '%')).toBe('-1% 超出范围：百分比应在 0% 到 100% 之间');
    expect(readingRangeProblem(1001, '‰')).toBe('1001‰ 超出范围：千分比应在 0‰ 到 1000‰ 之间');
  });

  it('keeps a concentration at or above zero, whatever its mass and volume', () => {
    for (const unit of ['mg/m³', 'mg/Nm³', 'μg/m³', 'mg/L', 'mg/m3']) {
      expect(unitRange(unit), unit).toEqual({ min: 0, what: '浓度' });
    }
    expect(readingRangeProblem(0, 'mg/m³')).toBeNull();
    expect(readingRangeProblem(-5, 'mg/m³')).toBe('-5 mg/m³ 超出范围：浓度不能小于 0 mg/m³');
  });

  it('keeps temperatures and pH sane, and leaves alone a unit that may go negative', () => {
    expect(readingRangeProblem(1450, '℃')).toBeNull();
    expect(readingRangeProblem(-20, '℃')).toBeNull();
    expect(readingRangeProblem(3000, '℃')).toBe('3000℃ 超出范围：温度应在 -60℃ 到 2000℃ 之间');
    expect(readingRangeProblem(15, 'pH')).toBe('15 pH 超出范围：pH 值应在 0 pH 到 14 pH 之间');
    expect(unitRange('Pa')).toBeNull();
    expect(unitRange(undefined)).toBeNull();
    expect(readingRangeProblem(-5, 'Pa')).toBeNull();
  });

  it('checks a typed reading end to end: a number, then its range', () => {
    expect(checkReading('８５', '%')).toEqual({ kind: 'number', value: 85 });
    expect(checkReading('１２０', '%')).toEqual({
      kind: 'invalid',
      message: '120% 超出范围：百分比应在 0% 到 100% 之间',
    });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const problem = readingRangeProblem(x, '%');
        expect(problem === null).toBe(x >= 0 && x <= 100);
      }),
    );
  });
});

describe('the other numbers of a measured reading', () => {
  it('keeps 基准氧含量 a % within 0–21, its % sign optional', () => {
    expect(checkOxygenRef('１０。５％')).toEqual({ kind: 'number', value: 10.5 });
    expect(checkOxygenRef('21')).toEqual({ kind: 'number', value: 21 });
    expect(checkOxygenRef('')).toEqual({ kind: 'empty' });
    expect(checkOxygenRef('25')).toEqual({
      kind: 'invalid',
      message: '25% 超出范围：基准氧含量应在 0% 到 21% 之间',
    });
  });

  it('keeps a 限值 at least 0 and within its unit', () => {
    expect(checkLimit('３０', 'mg/m³')).toEqual({ kind: 'number', value: 30 });
    expect(checkLimit('120', '%')).toMatchObject({ kind: 'invalid' });
    expect(checkLimit('-5', 'Pa')).toEqual({
      kind: 'invalid',
      message: '-5 Pa 超出范围：限值不能小于 0',
    });
  });

  it('checks a whole reading, naming each refused field', () => {
    expect(
      checkMeasuredNumbers({ value: '１２．５', unit: 'mg/m³', oxygenRef: 10, limit: '' }),
    ).toEqual({ ok: true, value: 12.5, oxygenRef: 10, limit: null });
    expect(checkMeasuredNumbers({ value: 'abc', unit: '%', oxygenRef: 30, limit: 101 })).toEqual({
      ok: false,
      problems: [
        { field: 'value', message: '实测值：“abc”不是数值，请填写数字（如 42.5）' },
        {
          field: 'oxygenRef',
          message: '基准氧含量 30% 超出范围：基准氧含量应在 0% 到 21% 之间',
        },
        { field: 'limit', message: '限值 101% 超出范围：百分比应在 0% 到 100% 之间' },
      ],
    });
    expect(checkMeasuredNumbers({ value: '　', unit: 'mg/m³' })).toEqual({
      ok: false,
      problems: [{ field: 'value', message: '请填写实测值' }],
    });
  });
});
