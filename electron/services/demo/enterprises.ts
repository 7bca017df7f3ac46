/**
 * Demo enterprises and their processes: realistic, valid drafts spread over every county, each
 * process with a plausible current and target grade on its ruleset's scheme.
 */

import { type Catalog, findIndustry } from '../../../shared/domain/catalog';
import { completeCreditCode, CREDIT_CODE_ALPHABET } from '../../../shared/domain/credit-code';
import { type EnterpriseDraft, EnterpriseDraftSchema } from '../../../shared/domain/enterprise';
import { type ProcessDraft, ProcessDraftSchema } from '../../../shared/domain/process';
import { CITIES } from '../../../shared/domain/regions';
import {
  AREA_CODES,
  GIVEN,
  PARKS,
  ROADS,
  SUFFIXES,
  SURNAMES,
  TRADE_CHARS,
  TRADE_INDUSTRY,
  TRADES,
} from './names';
import { digits, pick, seededRandom } from './random';

/** Every (city, county) pair, 宁东基地 as one pair with no county. */
interface RegionSlot {
  cityCode: string;
  cityName: string;
  countyCode: string | null;
  countyName: string;
}

function regionSlots(): RegionSlot[] {
  return CITIES.flatMap((c): RegionSlot[] =>
    c.counties.length === 0
      ? [{ cityCode: c.code, cityName: c.name, countyCode: null, countyName: '' }]
      : c.counties.map((k) => ({
          cityCode: c.code,
          cityName: c.name,
          countyCode: k.code,
          countyName: k.name,
        })),
  );
}

/** Makes `count` realistic, valid enterprise drafts, every county getting some. */
export function demoEnterprises(count: number, seed = 2025): EnterpriseDraft[] {
  const rand = seededRandom(seed);
  const slots = regionSlots();
  const names = new Set<string>();
  const codes = new Set<string>();
  const drafts: EnterpriseDraft[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i < slots.length ? (slots[i] as RegionSlot) : pick(rand, slots);
    const place = slot.cityCode === 'NINGDONG' ? '宁东' : slot.cityName.replace(/市$/, '');
    let name = '';
    for (let attempt = 0; attempt < 50 && (name === '' || names.has(name)); attempt++) {
      name = `宁夏${place}${pick<string>(rand, TRADE_CHARS)}${pick<string>(rand, TRADE_CHARS)}${pick(rand, TRADES)}${pick(rand, SUFFIXES)}`;
    }
    if (names.has(name)) name = `${name.replace(/公司$/, '')}第${i + 1}分公司`;
    names.add(name);
    const regionDigits = slot.countyCode ?? '640181';
    let code = '';
    while (code === '' || codes.has(code)) {
      let body = `91${regionDigits}`;
      for (let k = 0; k < 9; k++) body += pick<string>(rand, CREDIT_CODE_ALPHABET);
      code = completeCreditCode(body);
    }
    codes.add(code);
    const withCode = rand() < 0.9;
    const mobile = rand() < 0.6;
    drafts.push(
      EnterpriseDraftSchema.parse({
        name,
        creditCode: withCode ? code : null,
        cityCode: slot.cityCode,
        countyCode: slot.countyCode,
        address: `宁夏回族自治区${slot.cityName}${slot.countyName}${pick(rand, PARKS)}${pick(rand, ROADS)}${1 + Math.floor(rand() * 300)}号`,
        contactPerson: `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`,
        contactPhone: mobile
          ? `1${pick<string>(rand, '3578')}${digits(rand, 9)}`
          : `${AREA_CODES[slot.cityCode] ?? '0951'}-${pick<string>(rand, '23456789')}${digits(rand, 6)}`,
      }),
    );
  }
  return drafts;
}

/** A plausible (current, target) pair on a scheme: the target one or two grades better. */
function gradePair(
  rand: () => number,
  scheme: readonly string[],
): { current: string; target: string } {
  const ladder = scheme.filter((g) => g !== '引领性' && g !== '非引领性');
  if (ladder.length < 2) return { current: '非引领性', target: '引领性' };
  const steps = ladder.length > 2 && rand() < 0.3 ? 2 : 1;
  const currentIndex = steps + Math.floor(rand() * (ladder.length - steps));
  return {
    current: ladder[currentIndex] as string,
    target: ladder[currentIndex - steps] as string,
  };
}

/**
 * The industries of a demo enterprise: the one its name says, and for about a quarter of them a
 * second one (the 跨行业 case that 附件2 lists on two lines).
 */
export function demoProcesses(
  rand: () => number,
  enterpriseId: string,
  name: string,
  catalog: Catalog,
  rulesetGrades: (id: string) => readonly string[] | undefined,
): ProcessDraft[] {
  const trade = Object.keys(TRADE_INDUSTRY).find((t) => name.includes(t));
  const codes = [TRADE_INDUSTRY[trade ?? '水泥'] ?? 'cement'];
  if (rand() < 0.25) {
    const other = pick(rand, Object.values(TRADE_INDUSTRY));
    if (!codes.includes(other)) codes.push(other);
  }
  const drafts: ProcessDraft[] = [];
  for (const code of codes) {
    const industry = findIndustry(catalog, code);
    if (!industry) continue;
    const branch = industry.branches.find((b) => b.rulesets.length > 0) ?? industry.branches[0];
    if (!branch) continue;
    const rulesetId = branch.rulesets[0] ?? null;
    const scheme = branch.gradeScheme ??
      (rulesetId ? rulesetGrades(rulesetId) : undefined) ?? ['A', 'B', 'C', 'D'];
    const { current, target } = gradePair(rand, scheme);
    const year = 2025 + Math.floor(rand() * 2);
    drafts.push(
      ProcessDraftSchema.parse({
        enterpriseId,
        industryCode: industry.code,
        branch: branch.name,
        name: rand() < 0.5 ? `1#${industry.name}生产线` : null,
        rulesetId,
        currentGrade: current,
        targetGrade: target,
        dueDate: `${year}-${String(3 + Math.floor(rand() * 10)).padStart(2, '0')}`,
      }),
    );
  }
  return drafts;
}
