import { readSyncSettings } from '../../db/repositories/sync';
import type { RulesetIndicatorBrief, RulesetPreview } from '../../shared/api/contract';
import type { Indicator, IndicatorKind, Requirement, Ruleset } from '../../shared/grading/types';
import { LIBRARY_PUBLISHERS } from '../../shared/sync/protocol';

import type { AppContext } from './context';
import {
  canonicalJson,
  checkedRuleset,
  rulesetHash,
  rulesetLibrary,
  summarize,
  type RulesetEntry,
} from './rulesets';

/**
 * What importing a ruleset would install, shown before anything is: its indicators by dimension,
 * what changes against the installed edition (the same id and edition, else the id's latest), and
 * whether the device's sync account may publish it to the region (server/sync/policy.ts). Reads
 * only; `importRuleset` installs.
 */

const KIND_WORDS: Record<IndicatorKind, string> = {
  max: '上限',
  min: '下限',
  bool: '是否',
  oneOf: '选项',
  level: '等级',
};

const STATUS_WORDS = { draft: '草稿', verified: '已核实' } as const;

function brief(ind: Indicator): RulesetIndicatorBrief {
  return { id: ind.id, title: ind.title, kind: KIND_WORDS[ind.kind], unit: ind.unit ?? null };
}

function requirementText(kind: IndicatorKind, value: Requirement | undefined): string {
  if (value === undefined) return '无要求';
  if (Array.isArray(value)) return value.join('、');
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (kind === 'max') return `≤ ${value}`;
  if (kind === 'min') return `≥ ${value}`;
  return String(value);
}

/** What changed in one indicator, each as 「what：before → after」. */
function indicatorChanges(
  before: Indicator,
  after: Indicator,
  grades: readonly string[],
): string[] {
  const what: string[] = [];
  const field = (label: string, a: string | undefined, b: string | undefined) => {
    if ((a ?? '') !== (b ?? '')) what.push(`${label}：${a || '（空）'} → ${b || '（空）'}`);
  };
  field('名称', before.title, after.title);
  field('维度', before.dimension, after.dimension);
  field('类型', KIND_WORDS[before.kind], KIND_WORDS[after.kind]);
  field('单位', before.unit, after.unit);
  field('可选项', before.options?.join('、'), after.options?.join('、'));
  field('说明', before.hint, after.hint);
  field('来源与缺项', before.note, after.note);
  for (const g of grades) {
    const a = requirementText(before.kind, before.require[g]);
    const b = requirementText(after.kind, after.require[g]);
    if (a !== b) what.push(`${g}级要求：${a} → ${b}`);
    if ((before.text?.[g] ?? '') !== (after.text?.[g] ?? '')) what.push(`${g}级原文有改动`);
  }
  return what;
}

function rulesetChanges(before: Ruleset, after: Ruleset): string[] {
  const what: string[] = [];
  const scheme = (r: Ruleset) => r.grades.map((g) => g.grade).join('、');
  if (scheme(before) !== scheme(after)) {
    what.push(`等级：${scheme(before)} → ${scheme(after)}`);
  }
  if (before.status !== after.status) {
    what.push(`状态：${STATUS_WORDS[before.status]} → ${STATUS_WORDS[after.status]}`);
  }
  if (before.edition !== after.edition) what.push(`版本：${before.edition} → ${after.edition}`);
  if (before.industry !== after.industry || (before.branch ?? '') !== (after.branch ?? '')) {
    what.push(
      `行业：${before.industry}${before.branch ? `（${before.branch}）` : ''} → ${after.industry}${after.branch ? `（${after.branch}）` : ''}`,
    );
  }
  if (before.source !== after.source) what.push(`来源：${before.source} → ${after.source}`);
  if ((before.summary ?? '') !== (after.summary ?? '')) what.push('说明有改动');
  if ((before.sourceNote ?? '') !== (after.sourceNote ?? '')) what.push('来源与缺项有改动');
  if (canonicalJson(before.measures ?? {}) !== canonicalJson(after.measures ?? {})) {
    what.push('应急减排措施有改动');
  }
  return what;
}

/** The installed ruleset a new one is compared with: the same edition, else the latest. */
function installedCounterpart(ctx: AppContext, ruleset: Ruleset): RulesetEntry | undefined {
  const editions = rulesetLibrary(ctx).filter((e) => e.ruleset.id === ruleset.id);
  return (
    editions.find((e) => e.ruleset.edition === ruleset.edition) ??
    editions.sort((a, b) => (a.ruleset.edition < b.ruleset.edition ? 1 : -1))[0]
  );
}

function publishing(ctx: AppContext): RulesetPreview['publish'] {
  const who = `${LIBRARY_PUBLISHERS.slice(0, -1).join('、')}或${LIBRARY_PUBLISHERS.at(-1) ?? ''}`;
  const role = readSyncSettings(ctx.db).user?.role ?? null;
  if (role === null) {
    return {
      role,
      allowed: false,
      message: `本机尚未登录同步账号：安装后在本机使用。发布到全区需要${who}账号同步。`,
    };
  }
  if ((LIBRARY_PUBLISHERS as readonly string[]).includes(role)) {
    return {
      role,
      allowed: true,
      message: `当前账号（${role}）可以发布到全区：安装后下次同步，全区设备都会收到此指标体系。`,
    };
  }
  return {
    role,
    allowed: false,
    message: `当前账号（${role}）不能向全区发布分级指标体系：安装后只能在本机使用，同步时中心会拒绝发布。需要${who}账号。`,
  };
}

/** Checks a ruleset read from a file and says what installing it would do; installs nothing. */
export function previewRuleset(
  ctx: AppContext,
  raw: unknown,
  warnings: readonly string[] = [],
): RulesetPreview {
  const ruleset = checkedRuleset(raw);
  const hash = rulesetHash(ruleset);
  const full = summarize({ ruleset, origin: 'imported', hash });
  const summary: RulesetPreview['summary'] = {
    id: full.id,
    industry: full.industry,
    branch: full.branch,
    edition: full.edition,
    status: full.status,
    source: full.source,
    summary: full.summary,
    sourceNote: full.sourceNote,
    indicatorCount: full.indicatorCount,
    grades: full.grades,
    hash: full.hash,
  };
  const dimensions: RulesetPreview['dimensions'] = [];
  for (const ind of ruleset.indicators) {
    let group = dimensions.find((d) => d.dimension === ind.dimension);
    if (!group) {
      group = { dimension: ind.dimension, indicators: [] };
      dimensions.push(group);
    }
    group.indicators.push(brief(ind));
  }
  const installed = installedCounterpart(ctx, ruleset);
  let changes: RulesetPreview['changes'] = null;
  if (installed) {
    const before = new Map(installed.ruleset.indicators.map((i) => [i.id, i]));
    const after = new Set(ruleset.indicators.map((i) => i.id));
    const grades = [
      ...new Set([...installed.ruleset.grades, ...ruleset.grades].map((g) => g.grade)),
    ];
    const changed: NonNullable<RulesetPreview['changes']>['changed'] = [];
    for (const ind of ruleset.indicators) {
      const old = before.get(ind.id);
      if (!old) continue;
      const what = indicatorChanges(old, ind, grades);
      if (what.length > 0) changed.push({ ...brief(ind), what });
    }
    changes = {
      added: ruleset.indicators.filter((i) => !before.has(i.id)).map(brief),
      removed: installed.ruleset.indicators.filter((i) => !after.has(i.id)).map(brief),
      changed,
      ruleset: rulesetChanges(installed.ruleset, ruleset),
    };
  }
  return {
    summary,
    dimensions,
    installed: installed
      ? {
          edition: installed.ruleset.edition,
          status: installed.ruleset.status,
          origin: installed.origin,
        }
      : null,
    identical: installed?.hash === hash,
    changes,
    warnings: [...warnings],
    publish: publishing(ctx),
  };
}
