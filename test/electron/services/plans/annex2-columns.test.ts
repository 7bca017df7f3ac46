/**
 * How a plan's lines fit a 附件2 cell (electron/services/plans/annex2-columns.ts).
 */

import { describe, expect, it } from 'vitest';
import { fitLines } from '../../../../electron/services/plans';

describe('fitLines()', () => {
  it('numbers several lines and writes one line as it is', () => {
    expect(fitLines(['甲'])).toBe('甲');
    expect(fitLines(['甲', '', '乙'])).toBe('1.甲\n2.乙');
    expect(fitLines([])).toBeNull();
  });

  it('keeps whole lines within the limit and says how many were left out', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `第${i + 1}项措施：${'改'.repeat(60)}`);
    const text = fitLines(lines, 2000)!;
    expect(text.length).toBeLessThanOrEqual(2000);
    expect(text.startsWith('1.第1项措施')).toBe(true);
    expect(text).toMatch(/\n…（另有 \d+ 项，详见一企一策方案）$/);
    const kept = text.split('\n').filter((l) => /^\d+\./.test(l)).length;
    const left = Number(/另有 (\d+) 项/.exec(text)![1]);
    expect(kept + left).toBe(50);
  });

  it('cuts a line too long for the cell with an ellipsis', () => {
    const text = fitLines(['很'.repeat(3000)], 2000)!;
    expect(text).toHaveLength(2000);
    expect(text.endsWith('很…')).toBe(true);
  });
});
