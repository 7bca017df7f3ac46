import { describe, expect, it } from 'vitest';

import {
  decidingReadingText,
  factText,
  formatNumber,
  gapFactText,
  gradeText,
  reachesGradeText,
  readingsSummary,
  requirementText,
  withUnit,
} from '../../../shared/grading/text';

const NOX = { kind: 'max', unit: 'mg/m³' };
const SHARE = { kind: 'min', unit: '%' };

describe('requirementText()', () => {
  it('states limits with their sign and unit: a space before mg/m³, none before %', () => {
    expect(requirementText(NOX, 100)).toBe('≤ 100 mg/m³');
    expect(requirementText(SHARE, 80)).toBe('≥ 80%');
    expect(requirementText({ kind: 'max', unit: null }, 0.1 + 0.2)).toBe('≤ 0.3');
    expect(requirementText({ kind: 'min', unit: '℃' }, 850)).toBe('≥ 850℃');
  });

  it('says 是 for a yes/no requirement, 不要求 where a grade does not ask for it', () => {
    expect(requirementText({ kind: 'bool' }, true)).toBe('是');
    expect(requirementText({ kind: 'bool' }, false)).toBe('不要求');
  });

  it('lists the options of a choice, marking a choice among several', () => {
    expect(requirementText({ kind: 'oneOf' }, ['SCR', 'SNCR+SCR'])).toBe('SCR、SNCR+SCR（其一）');
    expect(requirementText({ kind: 'oneOf' }, ['SCR'])).toBe('SCR');
  });

  it('names a grade as the guidelines do', () => {
    expect(requirementText({ kind: 'level' }, 'B')).toBe('达到B级要求');
    expect(requirementText({ kind: 'level' }, 'B-')).toBe('达到B-级要求');
    expect(requirementText({ kind: 'level' }, '引领性')).toBe('达到引领性要求');
  });
});

describe('factText()', () => {
  it('writes answers in words, with their unit', () => {
    expect(factText(NOX, null)).toBe('未填写');
    expect(factText(NOX, [])).toBe('未填写');
    expect(factText(NOX, 'n/a')).toBe('不适用');
    expect(factText(NOX, 42.5)).toBe('42.5 mg/m³');
    expect(factText(NOX, [42, 57])).toBe('42、57 mg/m³');
    expect(factText(SHARE, 64)).toBe('64%');
    expect(factText(SHARE, 0.1 + 0.2)).toBe('0.3%');
    expect(factText({ kind: 'bool' }, true)).toBe('是');
    expect(factText({ kind: 'bool' }, false)).toBe('否');
    expect(factText({ kind: 'oneOf' }, 'SNCR')).toBe('SNCR');
    expect(factText({ kind: 'level' }, 'B')).toBe('达到B级要求');
    expect(factText({ kind: 'level' }, '引领性')).toBe('达到引领性要求');
  });

  it('gives each item its unit when readings are mixed with words', () => {
    const mixed = [42, 'n/a'] as unknown as number[];
    expect(factText(NOX, mixed)).toBe('42 mg/m³、不适用');
  });
});

describe('readings', () => {
  it('names the reading that decides against a limit', () => {
    expect(decidingReadingText(NOX, [42, 57])).toBe('最高 57 mg/m³');
    expect(decidingReadingText(SHARE, [90, 76, 88])).toBe('最低 76%');
    expect(decidingReadingText(NOX, [42])).toBeNull();
    expect(readingsSummary(NOX, [42, 57])).toBe('共 2 个读数，最高 57 mg/m³');
    expect(readingsSummary(SHARE, [90, 76, 88])).toBe('共 3 个读数，最低 76%');
    expect(readingsSummary({ kind: 'bool' }, [1, 2])).toBe('共 2 个读数');
    expect(readingsSummary(NOX, [42])).toBeNull();
    expect(readingsSummary(NOX, 42)).toBeNull();
  });

  it('shows a gap’s readings with the deciding one, and an unknown fact as 未填写', () => {
    expect(gapFactText({ ...NOX, status: 'unmet', actual: [42, 57.5] })).toBe(
      '42、57.5 mg/m³（最高 57.5 mg/m³）',
    );
    expect(gapFactText({ ...SHARE, status: 'unmet', actual: 64 })).toBe('64%');
    expect(gapFactText({ kind: 'bool', status: 'unmet', actual: 'n/a' })).toBe('不适用');
    expect(gapFactText({ kind: 'bool', status: 'unknown', actual: null })).toBe('未填写');
  });
});

describe('numbers, units and grades', () => {
  it('writes numbers without float noise and units after a space, except % ‰ ℃ °', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(100)).toBe('100');
    expect(formatNumber(124 / 3, 2)).toBe('41.33');
    expect(formatNumber(0.004, 2)).toBe('0.004');
    expect(formatNumber(217.5, 2)).toBe('217.5');
    expect(withUnit('42', 'mg/m³')).toBe('42 mg/m³');
    expect(withUnit('85', '%')).toBe('85%');
    expect(withUnit('5', '‰')).toBe('5‰');
    expect(withUnit('5', null)).toBe('5');
  });

  it('writes letter grades with 级 and named grades as they are', () => {
    expect(gradeText('B')).toBe('B级');
    expect(gradeText('B-')).toBe('B-级');
    expect(gradeText('引领性')).toBe('引领性');
    expect(reachesGradeText('A')).toBe('达到A级要求');
  });
});
