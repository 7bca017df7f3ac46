import { describe, expect, it } from 'vitest';

import { fileStamp, localDate, localDateTime } from '../../shared/local-time';

describe('a moment as this device reads it', () => {
  const moment = new Date(2026, 0, 5, 7, 3, 9).getTime();

  it('gives the local day with a padded month and day', () => {
    expect(localDate(moment)).toBe('2026-01-05');
  });

  it('gives the local day and time to the second', () => {
    expect(localDateTime(moment)).toBe('2026-01-05 07:03:09');
  });

  it('gives a file name stamp to the minute', () => {
    expect(fileStamp(moment)).toBe('20260105-0703');
  });
});
