import { describe, expect, it } from 'vitest';

import { demoEnterprises } from '../../../electron/services/demo';
import { checkCreditCode } from '../../../shared/domain/credit-code';
import { CITIES } from '../../../shared/domain/regions';

describe('demoEnterprises()', () => {
  it('is the same for the same seed', () => {
    expect(demoEnterprises(50, 7)).toEqual(demoEnterprises(50, 7));
  });

  it('gives every county at least one enterprise', () => {
    const drafts = demoEnterprises(40);
    for (const city of CITIES) {
      for (const county of city.counties) {
        expect(drafts.some((d) => d.countyCode === county.code)).toBe(true);
      }
    }
    expect(drafts.some((d) => d.cityCode === 'NINGDONG')).toBe(true);
  });

  it('makes unique names and valid, unique credit codes', () => {
    const drafts = demoEnterprises(2000);
    expect(new Set(drafts.map((d) => d.name)).size).toBe(2000);
    const codes = drafts.flatMap((d) => (d.creditCode ? [d.creditCode] : []));
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => checkCreditCode(c).ok)).toBe(true);
  });
});
