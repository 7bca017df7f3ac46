import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { CatalogSchema } from '../../shared/domain/catalog';
import { validateRuleset, type Ruleset } from '../../shared/grading';
import { foreignTokens } from '../../shared/language';

/**
 * The reference data shipped in resources/: every ruleset is a valid draft that grades something,
 * and the industry catalogue knows every ruleset's industry and branch.
 */
const RESOURCES = path.resolve(import.meta.dirname, '../../resources');
const RULESETS_DIR = path.join(RESOURCES, 'rulesets');

interface CatalogBranch {
  name: string;
  gradeScheme?: string[];
  rulesets: string[];
  note?: string;
}

interface CatalogIndustry {
  code: string;
  no?: number;
  name: string;
  category?: string;
  scope: 'national' | 'ningxia';
  verified: boolean;
  branches: CatalogBranch[];
  note?: string;
}

interface Catalog {
  edition: string;
  source: string;
  industries: CatalogIndustry[];
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
}

const rulesetFiles = fs
  .readdirSync(RULESETS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const rulesets = rulesetFiles.map((file) => ({
  file,
  raw: readJson(path.join(RULESETS_DIR, file)),
}));
const catalog = readJson(path.join(RESOURCES, 'industries.json')) as Catalog;
const national = catalog.industries.filter((i) => i.scope === 'national');
const ningxia = catalog.industries.filter((i) => i.scope === 'ningxia');

describe('resources/rulesets', () => {
  it('ships at least one ruleset, and nothing but rulesets and the README', () => {
    expect(rulesetFiles.length).toBeGreaterThan(0);
    const others = fs.readdirSync(RULESETS_DIR).filter((f) => !f.endsWith('.json'));
    expect(others).toEqual(['README.md']);
  });

  it('gives every ruleset a different id', () => {
    const ids = rulesets.map(({ raw }) => (raw as Ruleset).id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const { file, raw } of rulesets) {
    const r = raw as Ruleset;

    describe(file, () => {
      it('passes validateRuleset with no issues and no warnings', () => {
        const checked = validateRuleset(raw);
        expect(checked.ok ? [] : checked.issues).toEqual([]);
        expect(checked.ok && checked.warnings).toEqual([]);
      });

      it('is a draft with at least one indicator', () => {
        expect(r.status).toBe('draft');
        expect(r.indicators.length).toBeGreaterThanOrEqual(1);
      });

      it('is named after its id', () => {
        expect(file).toBe(`${r.id}.json`);
      });

      it('names its source with an address and says what it leaves out', () => {
        expect(r.source).toMatch(/https?:\/\//);
        expect(r.sourceNote?.trim()).toBeTruthy();
      });

      it('tells a team, in its own words, what the table is and how to answer each indicator', () => {
        const texts = [r.summary, ...r.indicators.map((i) => i.hint)];
        for (const text of texts) {
          expect(text?.trim()).toBeTruthy();
          expect(foreignTokens(text ?? '')).toEqual([]);
        }
        if (r.status === 'draft') expect(r.summary).toMatch(/^草稿/);
      });

      it('grades a branch of the catalogue that lists it', () => {
        const industry = catalog.industries.find((i) => i.name === r.industry);
        expect(industry, `行业 ${r.industry} 不在 industries.json 中`).toBeDefined();
        const branch = industry!.branches.find((b) => b.name === r.branch);
        expect(branch, `分支 ${r.branch ?? '(无)'} 不在行业 ${r.industry} 中`).toBeDefined();
        expect(branch!.rulesets).toContain(r.id);
      });

      it("uses its branch's grade scheme where the catalogue gives one", () => {
        const branch = catalog.industries
          .find((i) => i.name === r.industry)
          ?.branches.find((b) => b.name === r.branch);
        if (branch?.gradeScheme) expect(r.grades.map((g) => g.grade)).toEqual(branch.gradeScheme);
      });
    });
  }
});

describe('resources/industries.json', () => {
  it('is a catalogue the app can load', () => {
    const parsed = CatalogSchema.safeParse(catalog);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('lists exactly 39 national industries, numbered 1 to 39 in order', () => {
    expect(national).toHaveLength(39);
    expect(national.map((i) => i.no)).toEqual(Array.from({ length: 39 }, (_, k) => k + 1));
  });

  it('gives every industry a different lowercase kebab-case code', () => {
    const codes = catalog.industries.map((i) => i.code);
    for (const code of codes) expect(code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('marks every Ningxia entry as unverified', () => {
    expect(ningxia.length).toBeGreaterThan(0);
    for (const i of ningxia) expect(i.verified, i.name).toBe(false);
  });

  it('gives every industry at least one branch, with unique branch names', () => {
    for (const i of catalog.industries) {
      expect(i.branches.length, i.name).toBeGreaterThanOrEqual(1);
      const names = i.branches.map((b) => b.name);
      expect(new Set(names).size, i.name).toBe(names.length);
    }
  });

  it('lists only rulesets that are shipped', () => {
    const shipped = new Set(rulesets.map(({ raw }) => (raw as Ruleset).id));
    const listed = catalog.industries.flatMap((i) => i.branches.flatMap((b) => b.rulesets));
    for (const id of listed) expect(shipped, id).toContain(id);
  });

  it('gives every grade scheme at least two grades', () => {
    for (const b of catalog.industries.flatMap((i) => i.branches)) {
      if (b.gradeScheme !== undefined)
        expect(b.gradeScheme.length, b.name).toBeGreaterThanOrEqual(2);
    }
  });
});
