import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { writeChanges } from '../../db/changes';
import {
  getImportedRuleset,
  insertImportedRuleset,
  listImportedRulesets,
} from '../../db/repositories/rulesets';
import { AppError } from '../../shared/api/errors';
import { canonicalJson } from '../../shared/canonical-json';
import type { RulesetSummary } from '../../shared/api/contract';
import { CatalogSchema, type Catalog } from '../../shared/domain/catalog';
import { formatIssues, validateRuleset, type Ruleset } from '../../shared/grading';

import type { AppContext } from './context';
import { resourcesDir } from './paths';

/** Where a ruleset came from: shipped with the app, or imported by an expert. */
export interface RulesetEntry {
  ruleset: Ruleset;
  origin: 'shipped' | 'imported';
  /** SHA-256 of the canonical JSON: what an inspection pins, with id and edition. */
  hash: string;
  importedAt?: number;
}

/** JSON with sorted keys, so the same ruleset always hashes the same. */
export { canonicalJson };

export function rulesetHash(ruleset: Ruleset): string {
  return crypto.createHash('sha256').update(canonicalJson(ruleset)).digest('hex');
}

export class RulesetFileError extends AppError {
  constructor(message: string) {
    super('invalid_input', message);
  }
}

/** Parses a JSON file shipped or given as reference data; a missing or broken file names itself. */
export function readJsonResource(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT'
        ? '文件不存在'
        : `不是有效的 JSON（${(e as Error).message}）`;
    throw new RulesetFileError(`${file}: ${reason}`);
  }
}

/** Reads and checks one ruleset file; every problem names the file and JSON path. */
export function readRulesetFile(file: string): { ruleset: Ruleset; warnings: string[] } {
  const raw = readJsonResource(file);
  const checked = validateRuleset(raw);
  if (!checked.ok) throw new RulesetFileError(formatIssues(file, checked.issues));
  return { ruleset: checked.value, warnings: checked.warnings.map((w) => formatIssues(file, [w])) };
}

/** Every *.json ruleset in a folder, checked; a bad file stops the load with its reasons. */
export function readRulesetDir(dir: string): Ruleset[] {
  if (!fs.existsSync(dir)) throw new RulesetFileError(`${dir}: 文件夹不存在`);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readRulesetFile(path.join(dir, f)).ruleset);
}

/** The rulesets shipped in resources/rulesets. */
export function shippedRulesets(dir = path.join(resourcesDir(), 'rulesets')): RulesetEntry[] {
  return readRulesetDir(dir).map((ruleset) => ({
    ruleset,
    origin: 'shipped',
    hash: rulesetHash(ruleset),
  }));
}

export function readCatalog(file = path.join(resourcesDir(), 'industries.json')): Catalog {
  const parsed = CatalogSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new RulesetFileError(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('；')}`,
    );
  }
  return parsed.data;
}

/**
 * The library the app grades with: shipped rulesets, then imported ones (the latest import of an
 * id and edition wins over the shipped one). Old imports stay reachable by hash.
 */
export function rulesetLibrary(ctx: AppContext): RulesetEntry[] {
  const byKey = new Map<string, RulesetEntry>();
  for (const e of ctx.shippedRulesets) byKey.set(`${e.ruleset.id}@${e.ruleset.edition}`, e);
  for (const row of listImportedRulesets(ctx.db)) {
    const ruleset = JSON.parse(row.json) as Ruleset;
    byKey.set(`${ruleset.id}@${ruleset.edition}`, {
      ruleset,
      origin: 'imported',
      hash: row.id,
      importedAt: row.importedAt,
    });
  }
  return [...byKey.values()].sort(
    (a, b) =>
      (a.ruleset.id < b.ruleset.id ? -1 : 1) || (a.ruleset.edition < b.ruleset.edition ? -1 : 1),
  );
}

/** The current ruleset of an id (its latest edition), or a pinned revision by hash. */
export function findRuleset(
  ctx: AppContext,
  id: string,
  pin?: { hash: string },
): RulesetEntry | undefined {
  if (pin) {
    const shipped = ctx.shippedRulesets.find((e) => e.hash === pin.hash);
    if (shipped) return shipped;
    const row = getImportedRuleset(ctx.db, pin.hash);
    return row
      ? {
          ruleset: JSON.parse(row.json) as Ruleset,
          origin: 'imported',
          hash: row.id,
          importedAt: row.importedAt,
        }
      : undefined;
  }
  const editions = rulesetLibrary(ctx).filter((e) => e.ruleset.id === id);
  return editions.sort((a, b) => (a.ruleset.edition < b.ruleset.edition ? 1 : -1))[0];
}

/** A ruleset that passes validateRuleset, or the refusal listing every problem. */
export function checkedRuleset(raw: unknown): Ruleset {
  const checked = validateRuleset(raw);
  if (!checked.ok) {
    throw new AppError(
      'invalid_input',
      `指标体系有 ${checked.issues.length} 处问题`,
      checked.issues,
    );
  }
  return checked.value;
}

/** Adds a checked ruleset to the library; importing the same content twice changes nothing. */
export function importRuleset(
  ctx: AppContext,
  raw: unknown,
): { entry: RulesetEntry; added: boolean } {
  const ruleset = checkedRuleset(raw);
  const hash = rulesetHash(ruleset);
  const known =
    ctx.shippedRulesets.some((e) => e.hash === hash) ||
    getImportedRuleset(ctx.db, hash) !== undefined;
  if (!known) {
    writeChanges(ctx.db, ctx.device, (changes) =>
      insertImportedRuleset(
        changes,
        hash,
        ruleset.id,
        ruleset.edition,
        canonicalJson(ruleset),
        ctx.device.now(),
      ),
    );
  }
  return { entry: findRuleset(ctx, ruleset.id, { hash }) as RulesetEntry, added: !known };
}

export function summarize(entry: RulesetEntry): RulesetSummary {
  const r = entry.ruleset;
  return {
    id: r.id,
    industry: r.industry,
    branch: r.branch ?? null,
    edition: r.edition,
    status: r.status,
    source: r.source,
    summary: r.summary ?? null,
    sourceNote: r.sourceNote ?? null,
    indicatorCount: r.indicators.length,
    grades: r.grades.map((g) => g.grade),
    origin: entry.origin,
    hash: entry.hash,
  };
}

/** The ruleset of this id (and edition, else the latest), or a not-found error. */
export function requireRuleset(ctx: AppContext, id: string, edition?: string): RulesetEntry {
  const entry = edition
    ? rulesetLibrary(ctx).find((e) => e.ruleset.id === id && e.ruleset.edition === edition)
    : findRuleset(ctx, id);
  if (!entry)
    throw new AppError('not_found', `找不到指标体系 ${id}${edition ? `（${edition} 版）` : ''}`);
  return entry;
}
