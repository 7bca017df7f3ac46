import { describe, expect, it } from 'vitest';

import { errorDetail } from '../../shared/sync/protocol';

describe('errorDetail()', () => {
  it('keeps the detail fields a refusal carries', () => {
    expect(
      errorDetail({ lastSeq: 41, received: 1048576, retryAfter: 30, minAppVersion: '0.2.0' }),
    ).toEqual({ lastSeq: 41, received: 1048576, retryAfter: 30, minAppVersion: '0.2.0' });
  });

  it('drops detail fields of the wrong type instead of trusting them', () => {
    expect(
      errorDetail({ lastSeq: '41', received: -1, retryAfter: 1.5, minAppVersion: 2, other: 1 }),
    ).toEqual({});
  });

  it('gives nothing for a body with no detail', () => {
    expect(errorDetail({ code: 'forbidden', message: '无权访问' })).toEqual({});
  });
});
