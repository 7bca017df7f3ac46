import { describe, expect, it } from 'vitest';

import {
  chineseNumber,
  formatDate,
  formatDateTime,
} from '../../../../electron/services/pdf/format';

describe('formatting for Chinese documents', () => {
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
