import { describe, expect, it } from 'vitest';

import {
  checkCreditCode,
  completeCreditCode,
  creditCodeCheckChar,
  normalizeCreditCode,
} from '../../shared/domain/credit-code';

describe('checkCreditCode()', () => {
  it('accepts published codes whose check character is right', () => {
    // 91110000600037341L is a widely published code (GB 32100 worked example style).
    expect(checkCreditCode('91110000600037341L')).toEqual({ ok: true, code: '91110000600037341L' });
    expect(checkCreditCode('91350100M000100Y43').ok).toBe(true);
  });

  it('computes the check character from the GB 32100 weights', () => {
    expect(creditCodeCheckChar('91110000600037341')).toBe('L');
    expect(completeCreditCode('91640100MA75X1234')).toHaveLength(18);
    expect(checkCreditCode(completeCreditCode('91640100MA75X1234')).ok).toBe(true);
  });

  it('maps a check value of 31 back to 0', () => {
    // Find a body whose weighted sum is a multiple of 31: the check character must then be '0'.
    let body = '';
    for (let n = 0; n < 100000; n++) {
      const candidate = `916401${String(n).padStart(11, '0')}`;
      if (creditCodeCheckChar(candidate) === '0') {
        body = candidate;
        break;
      }
    }
    expect(body).not.toBe('');
    expect(checkCreditCode(`${body}0`).ok).toBe(true);
  });

  it('refuses a wrong check character and names the expected one', () => {
    const r = checkCreditCode('91110000600037341A');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('校验位错误：第18位应为“L”，实为“A”');
  });

  it('refuses a code of the wrong length and says how long it was', () => {
    const r = checkCreditCode('9111000060003734');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('应为18位');
  });

  it('refuses the letters I, O, Z, S and V and names the position', () => {
    const r = checkCreditCode('91110000600037341O');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('第18位“O”不是有效字符');
  });

  it('refuses a region part that is not six digits', () => {
    const r = checkCreditCode(completeCreditCode('91A10000600037341'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain('第3至8位');
  });

  it('normalizes spaces and lower case before checking', () => {
    expect(normalizeCreditCode(' 9111 0000 6000 3734 1l ')).toBe('91110000600037341L');
    expect(checkCreditCode('91110000600037341l').ok).toBe(true);
  });
});
