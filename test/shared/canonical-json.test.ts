import crypto from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { canonicalJson, pinnedRulesetProblem } from '../../shared/canonical-json';

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

describe('pinned ruleset content', () => {
  const json = canonicalJson({ id: 'cement', edition: '2020', indicators: [{ b: 1, a: 2 }] });

  it('matches an id that is the SHA-256 of its canonical text', () => {
    expect(pinnedRulesetProblem(sha256(json), json, sha256)).toBeNull();
  });

  it('is refused when the content was changed under the same id', () => {
    const forged = json.replace('2020', '2099');
    expect(pinnedRulesetProblem(sha256(json), forged, sha256)).toMatch(/不符/);
  });

  it('is refused when it is not canonical, not JSON, not an object or missing', () => {
    const loose = JSON.stringify({ indicators: [], id: 'x' });
    expect(pinnedRulesetProblem(sha256(loose), loose, sha256)).toMatch(/规范格式/);
    expect(pinnedRulesetProblem(sha256('{'), '{', sha256)).toMatch(/JSON/);
    expect(pinnedRulesetProblem(sha256('[]'), '[]', sha256)).toMatch(/分级指标/);
    expect(pinnedRulesetProblem('x', undefined, sha256)).toMatch(/缺少/);
  });
});

describe('a pinned ruleset row', () => {
  const json = canonicalJson({ id: 'cement', edition: '2020' });
  const id = sha256(json);

  it('must name the ruleset and edition its content holds', () => {
    expect(
      pinnedRulesetProblem(id, json, sha256, { rulesetId: 'cement', edition: '2020' }),
    ).toBeNull();
    expect(
      pinnedRulesetProblem(id, json, sha256, { rulesetId: 'coking', edition: '2020' }),
    ).toMatch(/版本与其内容不符/);
  });
});
