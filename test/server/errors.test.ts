import { describe, expect, it } from 'vitest';

import { logSafeError } from '../../server/errors';

describe('what the server log keeps of an unexpected error', () => {
  it('names the error, its database code and where it was thrown, never the row values', () => {
    const cause = Object.assign(new Error('invalid input syntax for type integer: "13900001111"'), {
      name: 'DatabaseError',
      code: '22P02',
    });
    const e = new Error('Failed query: insert into rows … params: 张三,13900001111,兴庆区', {
      cause,
    });
    e.name = 'DrizzleQueryError';
    const logged = logSafeError(e);
    expect(logged).toContain('DrizzleQueryError ← DatabaseError [22P02]');
    expect(logged).toMatch(/\n\s+at /);
    expect(logged).not.toMatch(/张三|13900001111|兴庆区/);
  });

  it('says what was thrown when it is not an Error', () => {
    expect(logSafeError('张三')).toBe('非 Error 的异常（string）');
  });
});
