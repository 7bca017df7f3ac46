import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pendingOpCount } from '../../../db/repositories/device';
import type { AppContext } from '../../../electron/services/context';
import {
  canonicalJson,
  findRuleset,
  importRuleset,
  readRulesetFile,
  rulesetHash,
  rulesetLibrary,
} from '../../../electron/services/rulesets';
import { type AppError } from '../../../shared/api/errors';
import type { Ruleset } from '../../../shared/grading';
import {
  closeAppContext,
  createTestContext,
  FIXTURE_RESOURCES,
  tempDir,
} from '../../helpers/context';

const cement = () =>
  JSON.parse(
    fs.readFileSync(path.join(FIXTURE_RESOURCES, 'rulesets', 'cement-clinker.json'), 'utf8'),
  ) as Ruleset;

describe('ruleset library', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext();
  });
  afterEach(() => closeAppContext(ctx));

  it('lists the shipped rulesets', () => {
    expect(rulesetLibrary(ctx).map((e) => [e.ruleset.id, e.origin])).toEqual([
      ['cement-clinker', 'shipped'],
      ['manganese-leading', 'shipped'],
    ]);
  });

  it('lets an imported correction of the same edition win, and keeps the old one by hash', () => {
    const shippedHash = findRuleset(ctx, 'cement-clinker')!.hash;
    const corrected = cement();
    corrected.indicators[0]!.require.A = 45;
    const { entry, added } = importRuleset(ctx, corrected);
    expect(added).toBe(true);
    expect(findRuleset(ctx, 'cement-clinker')?.hash).toBe(entry.hash);
    expect(
      findRuleset(ctx, 'cement-clinker', { hash: shippedHash })?.ruleset.indicators[0]?.require.A,
    ).toBe(50);
  });

  it('changes nothing when the same content is imported twice', () => {
    const corrected = { ...cement(), edition: '2026' };
    importRuleset(ctx, corrected);
    const ops = pendingOpCount(ctx.db);
    expect(importRuleset(ctx, corrected).added).toBe(false);
    expect(pendingOpCount(ctx.db)).toBe(ops);
    expect(importRuleset(ctx, cement()).added).toBe(false);
  });

  it('takes the latest edition of an id', () => {
    importRuleset(ctx, { ...cement(), edition: '2026' });
    expect(findRuleset(ctx, 'cement-clinker')?.ruleset.edition).toBe('2026');
  });

  it('refuses a broken ruleset with every problem and stores nothing', () => {
    const broken = cement();
    broken.indicators[0]!.require.D = 1;
    (broken.indicators[1]!.require as Record<string, unknown>).B = '八十';
    let error: AppError | undefined;
    try {
      importRuleset(ctx, broken);
    } catch (e) {
      error = e as AppError;
    }
    expect(error?.issues?.map((i) => i.path)).toEqual([
      'indicators[0].require.D',
      'indicators[1].require.B',
    ]);
    expect(pendingOpCount(ctx.db)).toBe(0);
  });
});

describe('ruleset files', () => {
  it('hashes the same content the same, whatever the key order', () => {
    const a = cement();
    const b = JSON.parse(canonicalJson(a)) as Ruleset;
    expect(rulesetHash(b)).toBe(rulesetHash(a));
  });

  it('names the file and the JSON path of a problem', () => {
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ ...cement(), grades: [{ grade: 'A', rank: 1 }] }));
    expect(() => readRulesetFile(file)).toThrow(`${file}: grades: 至少需要两个等级`);
  });

  it('says a file is not JSON', () => {
    const file = path.join(tempDir(), 'bad.json');
    fs.writeFileSync(file, '{ "id": ');
    expect(() => readRulesetFile(file)).toThrow(/不是有效的 JSON/);
  });
});
