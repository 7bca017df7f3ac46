/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters —
 * 1 登记管理部门码, 1 机构类别码, 6 登记管理机关行政区划码, 9 主体标识码 (组织机构代码), 1 校验码.
 * The alphabet is the digits and the capital letters without I, O, Z, S, V (31 characters);
 * the check character makes the weighted sum of all 18 a multiple of 31.
 */

export const CREDIT_CODE_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type CreditCodeCheck = { ok: true; code: string } | { ok: false; message: string };

/** Normalizes what a person typed: trims, drops inner spaces, upper-cases. */
export function normalizeCreditCode(raw: string): string {
  return raw.replace(/[\s\u3000]+/g, '').toUpperCase();
}

/** The check character for the first 17 characters, or null when one of them is not allowed. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = CREDIT_CODE_ALPHABET.indexOf(first17.charAt(i));
    if (value < 0) return null;
    sum += value * (WEIGHTS[i] ?? 0);
  }
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CODE_ALPHABET.charAt(check);
}

/** Checks a 统一社会信用代码 and says in Chinese what is wrong with it. */
export function checkCreditCode(raw: string): CreditCodeCheck {
  const code = normalizeCreditCode(raw);
  if (code.length !== 18) {
    return { ok: false, message: `统一社会信用代码应为18位，“${code}”为${code.length}位` };
  }
  for (let i = 0; i < 18; i++) {
    const ch = code.charAt(i);
    if (!CREDIT_CODE_ALPHABET.includes(ch)) {
      return {
        ok: false,
        message: `统一社会信用代码第${i + 1}位“${ch}”不是有效字符（只能是数字和除 I、O、Z、S、V 以外的大写字母）`,
      };
    }
  }
  if (!/^[0-9]{6}$/.test(code.slice(2, 8))) {
    return {
      ok: false,
      message: `统一社会信用代码第3至8位应为行政区划数字码，实为“${code.slice(2, 8)}”`,
    };
  }
  const expected = creditCodeCheckChar(code.slice(0, 17));
  if (expected !== code.charAt(17)) {
    return {
      ok: false,
      message: `统一社会信用代码“${code}”校验位错误：第18位应为“${expected ?? '?'}”，实为“${code.charAt(17)}”`,
    };
  }
  return { ok: true, code };
}

/** Builds a valid code from its first 17 characters (demo data and tests). */
export function completeCreditCode(first17: string): string {
  const check = creditCodeCheckChar(first17);
  if (check === null || first17.length !== 17) {
    throw new Error(`not a valid credit-code body: ${first17}`);
  }
  return first17 + check;
}
