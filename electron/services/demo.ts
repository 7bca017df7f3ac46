import { writeChanges } from '../../db/changes';
import { insertEnterprise } from '../../db/repositories/enterprises';
import { insertProcess } from '../../db/repositories/processes';
import { AppError } from '../../shared/api/errors';
import { completeCreditCode, CREDIT_CODE_ALPHABET } from '../../shared/domain/credit-code';
import { EnterpriseDraftSchema, type EnterpriseDraft } from '../../shared/domain/enterprise';
import { findIndustry, type Catalog } from '../../shared/domain/catalog';
import { ProcessDraftSchema, type ProcessDraft } from '../../shared/domain/process';
import {
  AnswerSaveSchema,
  INSPECTION_TYPES,
  InspectionStartSchema,
  MEMBER_ROLES,
  ViolationDraftSchema,
} from '../../shared/domain/inspection';
import { CITIES } from '../../shared/domain/regions';
import type { FactValue, Indicator, Ruleset } from '../../shared/grading';
import type { PlanStatus } from '../../shared/plan';

import type { AppContext } from './context';
import { enterpriseCount, getEnterprise, listEnterprises } from './enterprises';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  listInspections,
  saveAnswer,
  startInspection,
} from './inspections';
import { draftPlanFor, savePlan, setPlanStatus } from './plans';
import { encodePng } from './png';
import { listProcesses, rulesetBrief } from './processes';
import { findRuleset } from './rulesets';
import { createViolation } from './violations';

/** A small seeded generator (mulberry32), so a demo is the same every time for one seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRADE_CHARS =
  '鑫泰昊华宏瑞达恒源盛隆远丰润祥嘉晟兴宇通博安正德元峰建金银宝利新天佳和顺益明光';
const TRADES = [
  '水泥',
  '铁合金',
  '焦化',
  '石灰',
  '炭素',
  '电石',
  '活性炭',
  '碳化硅',
  '铸造',
  '新型建材',
  '玻璃',
  '煤化工',
  '制药',
  '涂装',
  '陶瓷',
  '耐火材料',
  '镁业',
  '兰炭',
  '硅业',
  '冶金',
];
const SUFFIXES = ['有限公司', '有限责任公司', '股份有限公司', '集团有限公司', '科技有限公司'];
const PARKS = ['工业园区', '经济技术开发区', '精细化工园区', '循环经济产业园', '高新技术产业园'];
const ROADS = [
  '建设路',
  '工业大道',
  '园区三路',
  '环城北路',
  '长城路',
  '兴业街',
  '创新路',
  '滨河大道',
];
const SURNAMES = '王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗海丁田';
const GIVEN = [
  '伟',
  '芳',
  '军',
  '强',
  '磊',
  '静',
  '敏',
  '勇',
  '洋',
  '艳',
  '杰',
  '涛',
  '明',
  '霞',
  '斌',
  '鹏',
  '建国',
  '玉梅',
  '志刚',
  '晓东',
];
/** Area codes of the landlines: 银川 0951, 石嘴山 0952, 吴忠 0953, 固原 0954, 中卫 0955. */
const AREA_CODES: Record<string, string> = {
  '6401': '0951',
  '6402': '0952',
  '6403': '0953',
  '6404': '0954',
  '6405': '0955',
  NINGDONG: '0951',
};

function pick<T>(rand: () => number, items: readonly T[] | string): T {
  const i = Math.floor(rand() * items.length);
  return (typeof items === 'string' ? items.charAt(i) : items[i]) as T;
}

function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

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

/** The catalogue industry each demo trade belongs to. */
const TRADE_INDUSTRY: Record<string, string> = {
  水泥: 'cement',
  铁合金: 'ferroalloy',
  焦化: 'coking',
  石灰: 'lime-kiln',
  炭素: 'carbon',
  电石: 'nx-calcium-carbide',
  活性炭: 'nx-activated-carbon',
  碳化硅: 'nx-silicon-carbide',
  铸造: 'casting',
  新型建材: 'brick-tile-kiln',
  玻璃: 'glass',
  煤化工: 'nx-coal-chemical',
  制药: 'pharmaceutical',
  涂装: 'industrial-coating',
  陶瓷: 'ceramics',
  耐火材料: 'refractory',
  镁业: 'nx-magnesium',
  兰炭: 'nx-semi-coke',
  硅业: 'nx-industrial-silicon',
  冶金: 'ferroalloy',
};

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

export interface DemoResult {
  enterprises: number;
  processes: number;
  /** Site visits written, with answers and generated photos. */
  inspections: number;
  /** Evidence files attached (uses; identical photos are stored once). */
  evidence: number;
  /** 一企一策 plans drafted: one per enterprise with a finalized visit. */
  plans: number;
}

/** A plausible on-site fact for an indicator, around its requirements; sometimes unanswered. */
export function demoFact(
  rand: () => number,
  indicator: Indicator,
  ruleset: Ruleset,
): FactValue | undefined {
  if (rand() < 0.1) return undefined;
  const limits = Object.values(indicator.require).filter((v): v is number => typeof v === 'number');
  switch (indicator.kind) {
    case 'max':
    case 'min': {
      const pivot = limits.length > 0 ? (limits[Math.floor(rand() * limits.length)] as number) : 50;
      const reading = () => {
        const value = Math.round(pivot * (0.75 + rand() * 0.4) * 10) / 10;
        return indicator.unit === '%' ? Math.min(100, value) : value;
      };
      const value = reading();
      return rand() < 0.3 ? [value, reading()] : value;
    }
    case 'bool':
      return rand() < 0.75;
    case 'oneOf':
      return pick(rand, indicator.options ?? ['n/a']);
    case 'level':
      return pick(
        rand,
        ruleset.grades.map((g) => g.grade),
      );
  }
}

/** A generated "photo": a soft two-colour gradient with a grid, different for every seed. */
export function demoPhoto(seed: number): Buffer {
  const rand = seededRandom(seed);
  const a = [rand() * 255, rand() * 255, rand() * 255];
  const b = [rand() * 255, rand() * 255, rand() * 255];
  return encodePng(96, 72, (x, y) => {
    const t = (x + y) / (96 + 72);
    const grid = x % 16 === 0 || y % 16 === 0 ? 0.8 : 1;
    return [0, 1, 2].map((i) =>
      Math.round(((a[i] as number) * (1 - t) + (b[i] as number) * t) * grid),
    ) as [number, number, number];
  });
}

/**
 * A few site visits for enterprises whose processes have a gradable ruleset: a team, answers
 * for most indicators, two photos each (one of them the same file every time, stored once);
 * every other visit finalized, and one violation with its photo.
 */
function demoVisits(
  ctx: AppContext,
  count: number,
  seed: number,
): { visits: number; evidence: number } {
  const rand = seededRandom(seed + 2);
  const shared = demoPhoto(seed);
  let visits = 0;
  let evidence = 0;
  let last: { enterpriseId: string; inspectionId: string; date: string; takenAt: number } | null =
    null;
  const enterprises = listEnterprises(ctx, { offset: 0, limit: 500 }).items;
  for (const enterprise of enterprises) {
    if (visits >= count) break;
    const processes = listProcesses(ctx, enterprise.id).filter((p) => {
      const entry = p.rulesetId ? findRuleset(ctx, p.rulesetId) : undefined;
      return entry !== undefined && entry.ruleset.indicators.length > 0;
    });
    if (processes.length === 0) continue;
    const month = 3 + Math.floor(rand() * 8);
    const day = 1 + Math.floor(rand() * 28);
    const team = MEMBER_ROLES.map((role) => ({
      name: `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`,
      role,
    }));
    const visit = startInspection(
      ctx,
      InspectionStartSchema.parse({
        enterpriseId: enterprise.id,
        date: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        type: pick(rand, INSPECTION_TYPES),
        members: team,
        processIds: processes.map((p) => p.id),
        note: '演示数据',
      }),
    );
    const id = visit.inspection.id;
    for (const p of visit.processes) {
      const ruleset = p.ruleset.ruleset;
      if (!ruleset) continue;
      for (const indicator of ruleset.indicators) {
        const fact = demoFact(rand, indicator, ruleset);
        if (fact === undefined) continue;
        saveAnswer(
          ctx,
          AnswerSaveSchema.parse({
            inspectionId: id,
            processId: p.processId,
            indicatorId: indicator.id,
            fact,
          }),
        );
      }
    }
    const first = visit.processes[0];
    const firstIndicator = first?.ruleset.ruleset?.indicators[0];
    const takenAt = Date.UTC(
      2025,
      month - 1,
      day,
      2 + Math.floor(rand() * 6),
      Math.floor(rand() * 60),
    );
    addEvidence(ctx, { inspectionId: id, fileName: '厂区全景.png', data: shared, takenAt });
    addEvidence(ctx, {
      inspectionId: id,
      ...(first && firstIndicator
        ? { processId: first.processId, indicatorId: firstIndicator.id }
        : {}),
      fileName: `现场照片_${visits + 1}.png`,
      data: demoPhoto(seed * 31 + visits + 1),
      takenAt: takenAt + 5 * 60_000,
    });
    evidence += 2;
    if (visits % 2 === 0) {
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      finalizeInspection(ctx, id);
    }
    visits++;
    last = { enterpriseId: enterprise.id, inspectionId: id, date: visit.inspection.date, takenAt };
  }
  if (last) {
    const violation = createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: last.enterpriseId,
        date: last.date,
        kind: '超标排放',
        note: '演示数据：在线监测小时均值超标',
        inspectionId: last.inspectionId,
      }),
    );
    addEvidence(ctx, {
      violationId: violation.id,
      fileName: '在线监测超标截图.png',
      data: demoPhoto(seed * 17),
      takenAt: last.takenAt,
    });
    evidence++;
  }
  return { visits, evidence };
}

/** What a team typically writes per dimension of the 通用帮扶检查表: findings and problems. */
const GENERAL_NOTES: Readonly<Record<string, { finding: string; problems: readonly string[] }>> = {
  'general.equipment': {
    finding: '主要生产设备为 2012 年建成投运，自动化控制水平一般',
    problems: ['部分工序仍为敞开式作业，设备密闭化程度不足'],
  },
  'general.energy': {
    finding: '生产用热由园区集中供热，另有 1 台燃气导热油炉',
    problems: ['导热油炉未安装低氮燃烧器'],
  },
  'general.materials': {
    finding: '原辅材料进厂有检验记录，溶剂型原料占比较高',
    problems: ['未使用低挥发性有机物含量的原辅材料替代溶剂型原料'],
  },
  'general.treatment': {
    finding: '主要排气筒配套布袋除尘和活性炭吸附设施',
    problems: ['活性炭更换周期过长，未建立更换台账', '除尘设施运行记录不完整'],
  },
  'general.emission': {
    finding: '主要排放口自行监测数据达标，个别时段接近限值',
    problems: ['颗粒物排放浓度与超低排放水平仍有差距'],
  },
  'general.fugitive': {
    finding: '原料库为半封闭料棚，厂区道路已硬化',
    problems: ['原料露天堆放，未建封闭料棚', '产尘点未设集气罩，无组织排放明显'],
  },
  'general.monitoring': {
    finding: '主要排放口已安装在线监测并联网',
    problems: ['治理设施未安装分表计电'],
  },
  'general.management': {
    finding: '排污许可证在有效期内，有专职环保人员 1 名',
    problems: ['环保管理台账记录不全，缺少生产设施运行记录'],
  },
  'general.transport': {
    finding: '原料、产品全部公路运输，国五及以上车辆约占六成',
    problems: ['国五及以上或新能源车辆运输比例偏低'],
  },
  'general.transport-control': {
    finding: '厂区出入口有门禁，未建车辆电子台账',
    problems: ['未建立运输车辆门禁视频监控和电子台账'],
  },
};

/**
 * A few visits with the 通用帮扶检查表, each at an enterprise of another industry that has no
 * ruleset (制药, 焦化, 铁合金…): every dimension judged, findings, problems where a dimension is
 * below B, a reading at the main outlet and two photos; all but the last finalized.
 */
function demoGeneralVisits(
  ctx: AppContext,
  count: number,
  seed: number,
): { visits: number; evidence: number } {
  const rand = seededRandom(seed + 4);
  const shared = demoPhoto(seed);
  const industries = new Set<string>();
  let visits = 0;
  for (const enterprise of listEnterprises(ctx, { offset: 0, limit: 500 }).items) {
    if (visits >= count) break;
    const processes = listProcesses(ctx, enterprise.id);
    const first = processes[0];
    if (!first || processes.some((p) => p.rulesetId) || industries.has(first.industryCode))
      continue;
    industries.add(first.industryCode);
    const month = 3 + Math.floor(rand() * 8);
    const day = 1 + Math.floor(rand() * 28);
    const visit = startInspection(
      ctx,
      InspectionStartSchema.parse({
        enterpriseId: enterprise.id,
        date: `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
        type: '帮扶指导',
        members: MEMBER_ROLES.map((role) => ({
          name: `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`,
          role,
        })),
        processIds: processes.map((p) => p.id),
        note: '演示数据：本行业尚无分级指标，按通用帮扶检查表检查',
      }),
    );
    const id = visit.inspection.id;
    for (const p of visit.processes) {
      const ruleset = p.ruleset.ruleset;
      if (!ruleset) continue;
      const grades = ruleset.grades.map((g) => g.grade);
      for (const indicator of ruleset.indicators) {
        // Mostly the middle of the scheme: the best grade is rare on a first visit.
        const level = grades[Math.min(grades.length - 1, 1 + Math.floor(rand() * 2))] as string;
        const notes = GENERAL_NOTES[indicator.id];
        const below = level !== grades[0] && level !== grades[1];
        saveAnswer(
          ctx,
          AnswerSaveSchema.parse({
            inspectionId: id,
            processId: p.processId,
            indicatorId: indicator.id,
            fact: level,
            note: notes?.finding ?? null,
            problems: below && notes ? notes.problems : [],
            ...(indicator.id === 'general.emission'
              ? {
                  readings: [
                    {
                      outlet: 'DA001 主排气筒',
                      pollutant: '颗粒物',
                      value: Math.round((5 + rand() * 20) * 10) / 10,
                      unit: 'mg/m³',
                      limit: 30,
                    },
                  ],
                }
              : {}),
          }),
        );
      }
    }
    const takenAt = Date.UTC(2025, month - 1, day, 3, Math.floor(rand() * 60));
    addEvidence(ctx, { inspectionId: id, fileName: '厂区全景.png', data: shared, takenAt });
    const firstProcess = visit.processes[0];
    addEvidence(ctx, {
      inspectionId: id,
      ...(firstProcess
        ? { processId: firstProcess.processId, indicatorId: 'general.fugitive' }
        : {}),
      fileName: `无组织排放现场_${visits + 1}.png`,
      data: demoPhoto(seed * 37 + visits + 1),
      takenAt: takenAt + 10 * 60_000,
    });
    visits++;
    if (visits < count) {
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      finalizeInspection(ctx, id);
    }
  }
  return { visits, evidence: visits * 2 };
}

/** The last day of the month `months` after a YYYY-MM-DD day: a plausible deadline. */
function monthEndAfter(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1 + months + 1, 0));
  return end.toISOString().slice(0, 10);
}

/**
 * A 一企一策 plan for every enterprise with a finalized visit, drafted from its latest one. The
 * statuses are spread so each shows: the plans with the most measures are confirmed (企业确认) and
 * approved (专家审定) in turn, the rest stay 草稿. A plan past 草稿 first gets the expert's part
 * (responsible person, deadline, some investments) as a second version; a confirmed one fills its
 * processes' 附件2 columns.
 */
function demoPlans(ctx: AppContext, seed: number): number {
  const rand = seededRandom(seed + 3);
  const enterpriseIds: string[] = [];
  for (const v of listInspections(ctx, { status: 'finalized' })) {
    if (!enterpriseIds.includes(v.enterpriseId)) enterpriseIds.push(v.enterpriseId);
  }
  const drafted = enterpriseIds
    .map((enterpriseId) => draftPlanFor(ctx, { enterpriseId }))
    .sort((a, b) => b.content.measures.length - a.content.measures.length);
  const order: readonly PlanStatus[] = ['企业确认', '专家审定', '草稿'];
  drafted.forEach((draft, i) => {
    const status = order[i % order.length] as PlanStatus;
    if (status === '草稿') return;
    const contact = getEnterprise(ctx, draft.plan.enterpriseId).contactPerson;
    const person = () => `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`;
    const content = structuredClone(draft.content);
    for (const m of content.measures) {
      m.responsible = rand() < 0.5 && contact ? contact : person();
      m.deadline = monthEndAfter(draft.source.date, 3 + Math.floor(rand() * 10));
      if (rand() < 0.6) m.investment = Math.round(5 + rand() * 300);
    }
    const plan = savePlan(ctx, {
      id: draft.plan.id,
      baseVersion: draft.plan.currentVersion,
      content,
      comment: '演示数据：填写责任人、完成期限和预计投资',
    });
    const expert = plan.source.members.find((m) => m.role === '专家')?.name ?? person();
    const ref = { id: plan.plan.id, version: plan.plan.currentVersion };
    setPlanStatus(ctx, {
      ...ref,
      status: '专家审定',
      by: expert,
      opinion: '同意按此方案实施，请企业按期完成各项措施',
    });
    if (status === '企业确认') {
      setPlanStatus(ctx, {
        ...ref,
        status: '企业确认',
        by: contact ?? person(),
        method: '书面回执',
      });
    }
  });
  return drafted.length;
}

/**
 * Fills an empty data folder with a demo registry so a new user can try the app at once, a few
 * site visits (answers, photos, one violation) where a process has a gradable ruleset, a few with
 * the 通用帮扶检查表 in industries that have none, and a plan for every enterprise with a finalized
 * visit.
 * It refuses a folder that already holds enterprises: demo data never mixes with real data.
 */
export function fillDemo(
  ctx: AppContext,
  options: {
    enterprises: number;
    seed?: number;
    inspections?: number;
    generalInspections?: number;
  },
): DemoResult {
  const existing = enterpriseCount(ctx);
  if (existing > 0) {
    throw new AppError(
      'conflict',
      `数据目录中已有 ${existing} 家企业。演示数据只写入空的数据目录，请用 --data-dir 指定一个新目录。`,
    );
  }
  const drafts = demoEnterprises(options.enterprises, options.seed);
  const rand = seededRandom((options.seed ?? 2025) + 1);
  const grades = (id: string) => rulesetBrief(ctx, id)?.grades;
  let processes = 0;
  writeChanges(ctx.db, ctx.device, (changes) => {
    for (const draft of drafts) {
      const id = ctx.device.newId();
      insertEnterprise(changes, id, draft, ctx.device.now());
      for (const p of demoProcesses(rand, id, draft.name, ctx.catalog, grades)) {
        insertProcess(changes, ctx.device.newId(), p, ctx.device.now());
        processes++;
      }
    }
  });
  const visits = demoVisits(ctx, options.inspections ?? 6, options.seed ?? 2025);
  const general = demoGeneralVisits(ctx, options.generalInspections ?? 4, options.seed ?? 2025);
  const plans = demoPlans(ctx, options.seed ?? 2025);
  return {
    enterprises: drafts.length,
    processes,
    inspections: visits.visits + general.visits,
    evidence: visits.evidence + general.evidence,
    plans,
  };
}
