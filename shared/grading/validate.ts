import { foreignTokens } from '../language';
import { textProblem } from '../text';
import {
  ALERT_LEVELS,
  INDICATOR_KINDS,
  NOT_APPLICABLE,
  type EnterpriseInput,
  type Facts,
  type GradingIssue,
  type Indicator,
  type Ruleset,
} from './types';

/**
 * Checks rulesets, facts and enterprise inputs against the contract. Every problem is reported,
 * each with its JSON path and a Chinese reason; nothing is guessed or repaired.
 */
export type Checked<T> =
  { ok: true; value: T; warnings: GradingIssue[] } | { ok: false; issues: GradingIssue[] };

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  if (typeof v === 'string') return `“${v}”`;
  return JSON.stringify(v) ?? String(v);
}

function key(path: string, k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
}

const ID = /^[a-z0-9][a-z0-9._-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: unknown): s is string {
  if (typeof s !== 'string' || !DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

class Collector {
  readonly issues: GradingIssue[] = [];
  readonly warnings: GradingIssue[] = [];
  add(path: string, message: string): void {
    this.issues.push({ path, message });
  }
  text(o: Obj, field: string, path: string, required = true): string | undefined {
    const v = o[field];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') {
      this.add(
        key(path, field).replace(/^\./, ''),
        v === undefined ? '缺少此项' : `应为非空文本，实为 ${show(v)}`,
      );
      return undefined;
    }
    return v;
  }
}

/**
 * Every string of a ruleset (keys included) must be well-formed text (shared/text.ts); line
 * breaks are allowed anywhere, as an expert's Excel cell may hold them.
 */
function checkTexts(c: Collector, v: unknown, path: string, depth = 0): void {
  const at = path.replace(/^\./, '');
  if (depth > 64) {
    c.add(at, '嵌套层级过深');
    return;
  }
  if (typeof v === 'string') {
    const problem = textProblem(v, { multiline: true });
    if (problem) c.add(at, `含有无效字符：${problem}`);
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => checkTexts(c, x, `${path}[${i}]`, depth + 1));
  } else if (isObj(v)) {
    for (const [k, x] of Object.entries(v)) {
      const problem = textProblem(k);
      if (problem) c.add(at, `字段名含有无效字符：${problem}`);
      else checkTexts(c, x, key(path, k), depth + 1);
    }
  }
}

function checkRequirement(
  c: Collector,
  ind: Obj,
  kind: string,
  grades: Map<string, number>,
  options: string[] | undefined,
  value: unknown,
  path: string,
): void {
  switch (kind) {
    case 'max':
    case 'min':
      if (typeof value !== 'number' || !Number.isFinite(value))
        c.add(path, `应为数字，实为 ${show(value)}`);
      break;
    case 'bool':
      if (typeof value !== 'boolean') c.add(path, `应为 true 或 false，实为 ${show(value)}`);
      break;
    case 'level':
      if (typeof value !== 'string' || !grades.has(value)) {
        c.add(
          path,
          `应为本指标体系的等级（${[...grades.keys()].join('、')}），实为 ${show(value)}`,
        );
      }
      break;
    case 'oneOf':
      if (
        !Array.isArray(value) ||
        value.length === 0 ||
        !value.every((x) => typeof x === 'string')
      ) {
        c.add(path, `应为可选项的非空列表，实为 ${show(value)}`);
      } else if (options) {
        value.forEach((x, i) => {
          if (!options.includes(x)) c.add(`${path}[${i}]`, `${show(x)} 不在 options 中`);
        });
      }
      break;
    default:
      void ind;
  }
}

/**
 * A user-facing text (a ruleset's `summary`, an indicator's `hint`): optional, and a warning where
 * it holds what a team would not read as its own (an id, a code, an English word).
 */
function fieldText(c: Collector, o: Obj, field: string, path: string): void {
  const text = c.text(o, field, path, false);
  if (text === undefined) return;
  const tokens = [...new Set(foreignTokens(text).map((t) => t.token))];
  if (tokens.length > 0) {
    c.warnings.push({
      path: key(path, field).replace(/^\./, ''),
      message: `说明是给现场人员和企业看的，不宜含编号或英文：${tokens.join('、')}（这类内容请写入来源与缺项）`,
    });
  }
}

function checkIndicator(
  c: Collector,
  raw: unknown,
  path: string,
  grades: Map<string, number>,
  floor: string | undefined,
): void {
  if (!isObj(raw)) {
    c.add(path, '应为对象');
    return;
  }
  c.text(raw, 'id', path);
  c.text(raw, 'dimension', path);
  c.text(raw, 'title', path);
  c.text(raw, 'unit', path, false);
  fieldText(c, raw, 'hint', path);
  c.text(raw, 'note', path, false);
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(INDICATOR_KINDS as readonly string[]).includes(kind)) {
    c.add(`${path}.kind`, `未知的指标类型 ${show(kind)}（可用：${INDICATOR_KINDS.join('、')}）`);
  }
  let options: string[] | undefined;
  if (raw.options !== undefined || kind === 'oneOf') {
    const o = raw.options;
    if (!Array.isArray(o) || o.length === 0 || !o.every((x) => typeof x === 'string' && x !== '')) {
      c.add(
        `${path}.options`,
        kind === 'oneOf' && o === undefined
          ? 'oneOf 类型的指标必须列出 options'
          : `应为非空文本的非空列表，实为 ${show(o)}`,
      );
    } else {
      options = o as string[];
      if (new Set(options).size !== options.length) c.add(`${path}.options`, '可选项重复');
    }
  }
  if (raw.text !== undefined) {
    if (!isObj(raw.text)) c.add(`${path}.text`, '应为“等级 → 原文”的对象');
    else
      for (const [g, t] of Object.entries(raw.text)) {
        if (!grades.has(g)) c.add(key(`${path}.text`, g), `本指标体系没有等级 ${show(g)}`);
        else if (typeof t !== 'string') c.add(key(`${path}.text`, g), `应为文本，实为 ${show(t)}`);
      }
  }
  if (!isObj(raw.require)) {
    c.add(`${path}.require`, raw.require === undefined ? '缺少此项' : '应为“等级 → 要求”的对象');
    return;
  }
  for (const [g, value] of Object.entries(raw.require)) {
    const p = key(`${path}.require`, g);
    if (!grades.has(g)) {
      c.add(p, `本指标体系没有等级 ${show(g)}`);
      continue;
    }
    if (g === floor) {
      c.add(p, `最低等级 ${g} 是兜底等级，不能有要求`);
      continue;
    }
    if (typeof kind === 'string') checkRequirement(c, raw, kind, grades, options, value, p);
  }
}

/** Checks a parsed ruleset file. Warnings (such as no indicators) do not make it invalid. */
export function validateRuleset(raw: unknown): Checked<Ruleset> {
  const c = new Collector();
  if (!isObj(raw)) return { ok: false, issues: [{ path: '', message: '指标体系应为 JSON 对象' }] };
  checkTexts(c, raw, '');
  const id = c.text(raw, 'id', '');
  if (id !== undefined && !ID.test(id))
    c.add('id', `只能由小写字母、数字和 . _ - 组成，实为 ${show(id)}`);
  c.text(raw, 'industry', '');
  c.text(raw, 'branch', '', false);
  c.text(raw, 'edition', '');
  c.text(raw, 'source', '');
  fieldText(c, raw, 'summary', '');
  c.text(raw, 'sourceNote', '', false);
  if (raw.kind !== undefined && raw.kind !== 'general') {
    c.add('kind', `只能为 "general"（通用帮扶检查表）或不填，实为 ${show(raw.kind)}`);
  }
  if (raw.status !== 'draft' && raw.status !== 'verified') {
    c.add('status', `应为 "draft" 或 "verified"，实为 ${show(raw.status)}`);
  }

  const grades = new Map<string, number>();
  let floor: string | undefined;
  if (!Array.isArray(raw.grades) || raw.grades.length < 2) {
    c.add('grades', '至少需要两个等级（从优到差排列，最后一个为兜底等级）');
  } else {
    let lastRank = -Infinity;
    raw.grades.forEach((g: unknown, i) => {
      const p = `grades[${i}]`;
      if (!isObj(g)) return c.add(p, '应为 { grade, rank } 对象');
      const name = c.text(g, 'grade', p);
      if (typeof g.rank !== 'number' || !Number.isFinite(g.rank)) {
        return c.add(`${p}.rank`, `应为数字，实为 ${show(g.rank)}`);
      }
      if (g.rank <= lastRank) c.add(`${p}.rank`, '等级应从优到差排列，rank 逐个增大');
      lastRank = g.rank;
      if (name !== undefined) {
        if (grades.has(name)) c.add(`${p}.grade`, `等级 ${show(name)} 重复`);
        grades.set(name, g.rank);
        floor = name;
      }
    });
  }

  if (!Array.isArray(raw.indicators)) {
    c.add('indicators', '应为指标列表');
  } else {
    const seen = new Set<string>();
    raw.indicators.forEach((ind: unknown, i) => {
      checkIndicator(c, ind, `indicators[${i}]`, grades, floor);
      if (isObj(ind) && typeof ind.id === 'string') {
        if (seen.has(ind.id)) c.add(`indicators[${i}].id`, `指标编号 ${show(ind.id)} 重复`);
        seen.add(ind.id);
      }
    });
    if (raw.indicators.length === 0)
      c.warnings.push({ path: 'indicators', message: '缺少分级指标：此指标体系不能用于评级' });
  }

  if (raw.measures !== undefined) {
    if (!isObj(raw.measures)) c.add('measures', '应为“等级 → 预警级别 → 措施”的对象');
    else
      for (const [g, byLevel] of Object.entries(raw.measures)) {
        const p = key('measures', g);
        if (!grades.has(g)) c.add(p, `本指标体系没有等级 ${show(g)}`);
        if (!isObj(byLevel)) {
          c.add(p, '应为 { yellow, orange, red } 对象');
          continue;
        }
        for (const [level, text] of Object.entries(byLevel)) {
          if (!(ALERT_LEVELS as readonly string[]).includes(level))
            c.add(key(p, level), `未知的预警级别 ${show(level)}（可用：yellow、orange、red）`);
          else if (typeof text !== 'string' || text.trim() === '')
            c.add(key(p, level), `应为非空文本，实为 ${show(text)}`);
        }
      }
  }
  return c.issues.length > 0
    ? { ok: false, issues: c.issues }
    : { ok: true, value: raw as unknown as Ruleset, warnings: c.warnings };
}

function checkFact(
  c: Collector,
  ind: Indicator,
  grades: Set<string>,
  value: unknown,
  path: string,
): void {
  if (value === NOT_APPLICABLE) return;
  switch (ind.kind) {
    case 'max':
    case 'min': {
      const ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
      if (Array.isArray(value)) {
        if (value.length === 0) c.add(path, '读数列表不能为空（没有读数请不填）');
        value.forEach((x, i) => {
          if (!ok(x)) c.add(`${path}[${i}]`, `应为数字，实为 ${show(x)}`);
        });
      } else if (!ok(value)) c.add(path, `应为数字、数字列表或 "n/a"，实为 ${show(value)}`);
      break;
    }
    case 'bool':
      if (typeof value !== 'boolean') c.add(path, `应为 true、false 或 "n/a"，实为 ${show(value)}`);
      break;
    case 'oneOf':
      if (typeof value !== 'string' || !(ind.options ?? []).includes(value)) {
        c.add(
          path,
          `应为可选项之一（${(ind.options ?? []).join('、')}）或 "n/a"，实为 ${show(value)}`,
        );
      }
      break;
    case 'level':
      if (typeof value !== 'string' || !grades.has(value)) {
        c.add(
          path,
          `应为本指标体系的等级（${[...grades].join('、')}）或 "n/a"，实为 ${show(value)}`,
        );
      }
      break;
  }
}

/** Checks facts against a valid ruleset. `null` counts as absent (unknown). */
export function validateFacts(ruleset: Ruleset, raw: unknown, basePath = ''): Checked<Facts> {
  const c = new Collector();
  // At the root of a facts file the indicator id itself is the path (ids contain dots).
  const at = (k: string) => (basePath ? key(basePath, k) : k);
  if (!isObj(raw))
    return { ok: false, issues: [{ path: basePath, message: '事实应为“指标编号 → 值”的对象' }] };
  const byId = new Map(ruleset.indicators.map((i) => [i.id, i]));
  const grades = new Set(ruleset.grades.map((g) => g.grade));
  const facts: Facts = {};
  for (const [id, value] of Object.entries(raw)) {
    const ind = byId.get(id);
    if (!ind) {
      c.add(at(id), `指标体系 ${ruleset.id} 中没有指标 ${show(id)}`);
      continue;
    }
    if (value === null) continue;
    checkFact(c, ind, grades, value, at(id));
    facts[id] = value as Facts[string];
  }
  return c.issues.length > 0
    ? { ok: false, issues: c.issues }
    : { ok: true, value: facts, warnings: [] };
}

/** Checks an enterprise input; `lookup` finds a ruleset by id. */
export function validateEnterpriseInput(
  raw: unknown,
  lookup: (id: string) => Ruleset | undefined,
): Checked<EnterpriseInput> {
  const c = new Collector();
  if (!isObj(raw))
    return {
      ok: false,
      issues: [{ path: '', message: '应为 { asOf, processes, violations } 对象' }],
    };
  if (!isIsoDate(raw.asOf)) c.add('asOf', `应为日期 YYYY-MM-DD，实为 ${show(raw.asOf)}`);
  const processes: EnterpriseInput['processes'] = [];
  if (!Array.isArray(raw.processes) || raw.processes.length === 0) {
    c.add('processes', '至少需要一个行业或工序');
  } else {
    raw.processes.forEach((p: unknown, i) => {
      const path = `processes[${i}]`;
      if (!isObj(p)) return c.add(path, '应为 { name, ruleset, facts } 对象');
      const name = c.text(p, 'name', path);
      const id = c.text(p, 'ruleset', path);
      const ruleset = id === undefined ? undefined : lookup(id);
      if (id !== undefined && !ruleset)
        return c.add(`${path}.ruleset`, `找不到指标体系 ${show(id)}`);
      if (!ruleset || name === undefined) return;
      const facts = validateFacts(ruleset, p.facts ?? {}, `${path}.facts`);
      if (!facts.ok) c.issues.push(...facts.issues);
      else processes.push({ name, ruleset: ruleset.id, facts: facts.value });
    });
  }
  const violations: NonNullable<EnterpriseInput['violations']> = [];
  if (raw.violations !== undefined) {
    if (!Array.isArray(raw.violations)) c.add('violations', '应为列表');
    else
      raw.violations.forEach((v: unknown, i) => {
        const path = `violations[${i}]`;
        if (!isObj(v)) return c.add(path, '应为 { date, kind } 对象');
        const kind = c.text(v, 'kind', path);
        if (!isIsoDate(v.date))
          return c.add(`${path}.date`, `应为日期 YYYY-MM-DD，实为 ${show(v.date)}`);
        if (kind !== undefined) violations.push({ date: v.date, kind });
      });
  }
  if (c.issues.length > 0) return { ok: false, issues: c.issues };
  return { ok: true, value: { asOf: raw.asOf as string, processes, violations }, warnings: [] };
}

/** One line per issue: `file: path: reason`. */
export function formatIssues(file: string, issues: readonly GradingIssue[]): string {
  return issues.map((i) => `${file}: ${i.path || '(根)'}: ${i.message}`).join('\n');
}
