import { describe, expect, it } from 'vitest';

import {
  chineseNumber,
  formatDate,
  formatDateTime,
  formatFact,
  formatNumber,
  formatRequirement,
  gradeName,
  readingsSummary,
} from '../../../../electron/services/pdf/format';

const NOX = { kind: 'max', unit: 'mg/m³' };
const SHARE = { kind: 'min', unit: '%' };

describe('formatting for Chinese documents', () => {
  it('writes answers in words, with their unit', () => {
    expect(formatFact(null, NOX)).toBe('未作答');
    expect(formatFact('n/a', NOX)).toBe('不适用');
    expect(formatFact(42.5, NOX)).toBe('42.5 mg/m³');
    expect(formatFact([42, 57], NOX)).toBe('42、57 mg/m³');
    expect(formatFact(85, SHARE)).toBe('85%');
    expect(formatFact(true, { kind: 'bool' })).toBe('是');
    expect(formatFact(false, { kind: 'bool' })).toBe('否');
    expect(formatFact('SNCR', { kind: 'oneOf' })).toBe('SNCR');
    expect(formatFact('B', { kind: 'level' })).toBe('达到 B 级要求');
    expect(formatFact('引领性', { kind: 'level' })).toBe('达到引领性要求');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
  });

  it('sums up several readings by the one that decides', () => {
    expect(readingsSummary([42, 57], NOX)).toBe('共 2 个读数，最高 57 mg/m³');
    expect(readingsSummary([90, 76, 88], SHARE)).toBe('共 3 个读数，最低 76%');
    expect(readingsSummary([42], NOX)).toBeNull();
    expect(readingsSummary(42, NOX)).toBeNull();
  });

  it('writes what a grade requires', () => {
    expect(formatRequirement(100, NOX)).toBe('≤ 100 mg/m³');
    expect(formatRequirement(80, SHARE)).toBe('≥ 80%');
    expect(formatRequirement(true, { kind: 'bool' })).toBe('是');
    expect(formatRequirement(['SCR', 'SNCR+SCR'], { kind: 'oneOf' })).toBe('SCR、SNCR+SCR（其一）');
    expect(formatRequirement('A', { kind: 'level' })).toBe('达到 A 级要求');
    expect(gradeName('B-')).toBe('B- 级');
    expect(gradeName('引领性')).toBe('引领性');
  });

  it('writes times in China time and dates and section numbers in Chinese', () => {
    expect(formatDateTime(Date.UTC(2025, 5, 1, 16, 5))).toBe('2025-06-02 00:05');
    expect(formatDate('2025-06-01')).toBe('2025年6月1日');
    expect([1, 9, 10, 12, 20, 21].map(chineseNumber)).toEqual([
      '一',
      '九',
      '十',
      '十二',
      '二十',
      '二十一',
    ]);
  });
});
