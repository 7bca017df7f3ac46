import fs from 'node:fs';
import path from 'node:path';

import type { AppContext } from '../../electron/services/context';
import type {
  GapView,
  InspectionDetail,
  InspectionMember,
  ProcessGrading,
} from '../../shared/domain/inspection';
import type { Requirement, FactValue, Ruleset } from '../../shared/grading';
import {
  draftPlan,
  estimateTaxRelief,
  gradeBenefits,
  validateAnnex1,
  validateMeasureLibrary,
  type Annex1,
  type MeasureLibrary,
  type PlanDetail,
  type PlanEditInput,
  type PlanMeasure,
  type TaxLimit,
  type TaxReading,
} from '../../shared/plan';
import {
  answer,
  CEMS,
  confirmAndFinalize,
  NOX,
  startSiteInspection,
  TRUCKS,
  type Site,
} from './inspections';

/**
 * A hand-built PlanDetail, as electron/services/plans/ returns it, from the shipped 附件1, measure
 * library and cement ruleset: a cement works graded C (on a draft ruleset, so 指标待核实) aiming at
 * B, its gaps drafted into measures the expert has partly filled in, and a tax estimate with every
 * tier. `processes` and `gapsPerProcess` make it as long as a test or the bench needs.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
const readJson = (file: string): unknown =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as unknown;

function valid<T>(checked: { ok: true; value: T } | { ok: false; issues: unknown[] }): T {
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
}

export const SHIPPED_ANNEX1: Annex1 = valid(validateAnnex1(readJson('resources/plan/annex1.json')));
export const SHIPPED_LIBRARY: MeasureLibrary = valid(
  validateMeasureLibrary(readJson('resources/plan/measures.json')),
);
const CEMENT = readJson('resources/rulesets/cement-clinker-2020.json') as Ruleset;

interface GapTemplate {
  indicatorId: string;
  dimension: string;
  title: string;
  kind: string;
  unit: string | null;
  required: Requirement;
  actual: FactValue | null;
}

/** Gaps as a cement works shows them: every kind, with and without units, some unanswered. */
const GAPS: readonly GapTemplate[] = [
  {
    indicatorId: 'transport.road-clean-share',
    dimension: '运输方式',
    title:
      '物料（除水泥罐式货车外）公路运输使用国五及以上排放标准重型载货车辆（含燃气）或新能源车辆比例',
    kind: 'min',
    unit: '%',
    required: 80,
    actual: 64,
  },
  {
    indicatorId: 'emission.kiln-tail.nox',
    dimension: '排放限值',
    title: '窑尾氮氧化物排放浓度',
    kind: 'max',
    unit: 'mg/m³',
    required: 100,
    actual: [88, 112.5, 96],
  },
  {
    indicatorId: 'emission.kiln-tail.pm',
    dimension: '排放限值',
    title: '窑尾颗粒物排放浓度',
    kind: 'max',
    unit: 'mg/m³',
    required: 10,
    actual: 14,
  },
  {
    indicatorId: 'transport.in-plant-vehicles',
    dimension: '运输方式',
    title: '厂内运输车辆全部达到国五及以上排放标准（含燃气）或新能源车辆',
    kind: 'bool',
    unit: null,
    required: true,
    actual: false,
  },
  {
    indicatorId: 'monitoring.cems',
    dimension: '监测监控水平',
    title: '主要排放口安装 CEMS 并与生态环境部门联网',
    kind: 'bool',
    unit: null,
    required: true,
    actual: null,
  },
  {
    indicatorId: 'treatment.denitration',
    dimension: '污染治理技术',
    title: '脱硝工艺',
    kind: 'oneOf',
    unit: null,
    required: ['SCR', 'SNCR+SCR'],
    actual: 'SNCR',
  },
  {
    indicatorId: 'equipment.process',
    dimension: '装备水平',
    title: '生产工艺装备',
    kind: 'level',
    unit: null,
    required: 'B',
    actual: 'C',
  },
  {
    indicatorId: 'fugitive.storage',
    dimension: '无组织排放',
    title: '物料储存：石灰石、熟料、煤等粉状物料全部封闭储存，设置抑尘设施',
    kind: 'bool',
    unit: null,
    required: true,
    actual: false,
  },
  {
    indicatorId: 'management.ledger',
    dimension: '环境管理水平',
    title: '环保档案齐全，台账记录规范（生产设施运行台账、废气治理设施运行台账、监测记录）',
    kind: 'bool',
    unit: null,
    required: true,
    actual: false,
  },
  {
    indicatorId: 'energy.fuel',
    dimension: '能源类型',
    title: '窑头烘干热源使用清洁能源',
    kind: 'oneOf',
    unit: null,
    required: ['天然气', '电', '余热'],
    actual: '煤',
  },
  {
    indicatorId: 'monitoring.video',
    dimension: '监测监控水平',
    title: '厂区主要产尘点安装高清视频监控，视频保存 3 个月以上',
    kind: 'bool',
    unit: null,
    required: true,
    actual: false,
  },
  {
    indicatorId: 'emission.kiln-head.pm',
    dimension: '排放限值',
    title: '窑头颗粒物排放浓度',
    kind: 'max',
    unit: 'mg/m³',
    required: 10,
    actual: [9.2, 12.4],
  },
];

const RESPONSIBLE = ['王强', '李红梅', '马建国', '张丽', '杨光明'];

export interface PlanFixtureOptions {
  processes?: number;
  gapsPerProcess?: number;
  /** Outlets with a tax limit (each gets SO₂, NOx and PM). */
  outlets?: number;
  unverified?: boolean;
  notes?: string | null;
}

function gapsFor(processIndex: number, count: number): GapView[] {
  const out: GapView[] = [];
  for (let i = 0; i < count; i++) {
    const t = GAPS[i % GAPS.length] as GapTemplate;
    const round = Math.floor(i / GAPS.length);
    out.push({
      ...t,
      indicatorId: round === 0 ? t.indicatorId : `${t.indicatorId}-${round + 1}`,
      title: round === 0 ? t.title : `${t.title}（${round + 1}#）`,
      status: t.actual === null ? 'unknown' : 'unmet',
      actual: t.actual,
      ...(processIndex > 0 && typeof t.actual === 'number'
        ? { actual: t.actual + processIndex }
        : {}),
    });
  }
  return out;
}

function processGrading(i: number, gaps: number, unverified: boolean): ProcessGrading {
  const id = `0190a2b4-0000-7000-8000-${String(i + 1).padStart(12, '0')}`;
  return {
    inspectionProcessId: `0190a2b4-0000-7000-8001-${String(i + 1).padStart(12, '0')}`,
    processId: id,
    label: i === 0 ? '1#熟料线' : `${i + 1}#熟料线`,
    rulesetId: CEMENT.id,
    edition: CEMENT.edition,
    rulesetName: '水泥熟料分级指标',
    summary: null,
    unverified,
    judged: false,
    grade: 'C',
    factsGrade: null,
    targetGrade: 'B',
    reachesTarget: false,
    gapsToTarget: gapsFor(i, gaps),
    gaps: {},
    answered: 40 - (gaps % 7),
    indicators: 46,
    problem: null,
  };
}

/** The expert's work on the drafted measures: most have who, by when and how much. */
function filled(measures: readonly PlanMeasure[]): PlanMeasure[] {
  return measures.map((m, i) => ({
    ...m,
    measure:
      m.measure || '结合企业实际制定专项整改方案，落实资金与责任人，按期完成并留存影像与台账记录。',
    responsible: i % 9 === 4 ? '' : (RESPONSIBLE[i % RESPONSIBLE.length] as string),
    deadline:
      i % 11 === 7
        ? null
        : `2026-${String(3 + ((i * 7) % 10)).padStart(2, '0')}-${i % 2 === 0 ? '30' : '15'}`,
    investment: i % 8 === 5 ? null : ([12, 85.5, 3, 260, 40, 0.8, 150][i % 7] ?? 10),
  }));
}

function taxData(outlets: number): { limits: TaxLimit[]; readings: TaxReading[] } {
  const limits: TaxLimit[] = [];
  const readings: TaxReading[] = [];
  const standard = '《水泥工业大气污染物排放标准》GB 4915-2013';
  for (let o = 0; o < outlets; o++) {
    const outletId = `DA00${o + 1}`;
    const outletName = o === 0 ? '窑尾排放口' : o === 1 ? '窑头排放口' : `${o + 1}#排放口`;
    for (const [pollutant, limit, values] of [
      ['二氧化硫', 100, [38, 45, 41]],
      ['氮氧化物', 320, [205, 230]],
      ['颗粒物', 20, [17.5]],
    ] as const) {
      limits.push({ outletId, outletName, pollutant, limit, unit: 'mg/m³', standard });
      for (const value of values) readings.push({ outletId, pollutant, value, unit: null });
    }
  }
  // A pollutant read with no limit entered: no estimate, and a problem line.
  readings.push({ outletId: 'DA001', pollutant: '氨', value: 4.2, unit: 'mg/m³' });
  return { limits, readings };
}

const MEMBERS: InspectionMember[] = [
  {
    id: '0190a2b4-0000-7000-8002-000000000001',
    name: '周志刚',
    role: '执法',
    confirmedAt: Date.UTC(2025, 5, 1, 8),
  },
  {
    id: '0190a2b4-0000-7000-8002-000000000002',
    name: '刘晓燕',
    role: '监测',
    confirmedAt: Date.UTC(2025, 5, 1, 8, 5),
  },
  {
    id: '0190a2b4-0000-7000-8002-000000000003',
    name: '陈立新',
    role: '专家',
    confirmedAt: Date.UTC(2025, 5, 1, 8, 9),
  },
];

/** A plan at version 3, approved by the expert, whose version 2 the enterprise confirmed. */
export function planDetailFixture(options: PlanFixtureOptions = {}): PlanDetail {
  const unverified = options.unverified ?? true;
  const processes = Array.from({ length: options.processes ?? 2 }, (_, i) =>
    processGrading(i, options.gapsPerProcess ?? 6, unverified),
  );
  const drafted = draftPlan({ processes, library: SHIPPED_LIBRARY });
  const measures = filled(drafted.measures);
  measures.push({
    id: 'hand:1',
    direction: '环境管理',
    indicatorId: null,
    processId: null,
    processLabel: null,
    title: '企业环保管理制度不健全，环保专员未持证上岗',
    current: '',
    required: '',
    measure: '制定环保管理制度汇编，设立环保管理部门，配备专职环保管理人员并参加培训。',
    responsible: '王强',
    deadline: '2026-04-30',
    investment: 2.5,
    gapStatus: null,
    libraryId: null,
  });
  const { limits, readings } = taxData(options.outlets ?? 2);
  const enterpriseId = '0190a2b4-0000-7000-8000-0000000000e1';
  const inspectionId = '0190a2b4-0000-7000-8000-0000000000f1';
  const industry = { ...CEMENT, status: CEMENT.status };
  return {
    plan: {
      id: '0190a2b4-0000-7000-8000-0000000000a1',
      enterpriseId,
      status: '专家审定',
      number: '银川-2026-0013-K7Q3',
      currentVersion: 3,
      reviewed: {
        version: 3,
        by: '陈立新',
        at: Date.UTC(2025, 6, 2, 2, 30),
        opinion: '措施可行，同意按此方案实施',
        account: null,
        signature: null,
      },
      confirmed: {
        version: 2,
        by: '王强',
        at: Date.UTC(2025, 5, 20, 6, 0),
        method: '书面回执',
        account: null,
        signature: null,
      },
      createdAt: Date.UTC(2025, 5, 10, 1, 0),
      updatedAt: '000001751420000000-0000-0000000000000000',
    },
    version: 3,
    content: {
      enterpriseId,
      inspectionId,
      targetGrade: 'B',
      measures,
      taxLimits: limits,
      notes:
        options.notes === undefined
          ? '企业计划 2026 年内完成窑尾脱硝改造与清洁运输车辆更新；各项措施完成后，由帮扶工作组组织现场复核。'
          : options.notes,
      taxReadings: readings,
    },
    enterpriseName: '宁夏瑞泰水泥有限公司',
    source: {
      inspectionId,
      number: '银川-2025-0001-K7Q3',
      date: '2025-06-01',
      type: '帮扶指导',
      members: MEMBERS,
      signatures: [],
      grade: 'C',
      processes,
    },
    benefits: processes.map((p) => ({
      processId: p.processId,
      label: p.label,
      benefits: gradeBenefits(SHIPPED_ANNEX1, industry, p.grade, p.targetGrade ?? 'B'),
    })),
    tax: estimateTaxRelief(limits, readings),
    versions: [
      {
        version: 1,
        savedAt: Date.UTC(2025, 5, 10, 1, 0),
        comment: '据2025-06-01帮扶指导检查起草',
        measures: measures.length - 1,
      },
      {
        version: 2,
        savedAt: Date.UTC(2025, 5, 18, 3, 0),
        comment: '补充责任人与完成期限',
        measures: measures.length,
      },
      {
        version: 3,
        savedAt: Date.UTC(2025, 6, 1, 7, 45),
        comment: '调整窑尾脱硝投资估算',
        measures: measures.length,
      },
    ],
    unverified,
    problems: drafted.problems,
  };
}

/** Answers a visit of the cement line (and optionally the manganese one), confirms and finalizes it. */
export function finalizedInspection(
  ctx: AppContext,
  site: Site,
  facts: { nox?: number; trucks?: number; cems?: boolean },
  date = '2025-06-01',
): InspectionDetail {
  const withManganese = facts.cems !== undefined;
  const visit = startSiteInspection(ctx, site, {
    date,
    processIds: withManganese ? [site.cementId, site.manganeseId] : [site.cementId],
  });
  const id = visit.inspection.id;
  if (facts.nox !== undefined) answer(ctx, id, site.cementId, NOX, { fact: facts.nox });
  if (facts.trucks !== undefined) answer(ctx, id, site.cementId, TRUCKS, { fact: facts.trucks });
  if (facts.cems !== undefined) answer(ctx, id, site.manganeseId, CEMS, { fact: facts.cems });
  return confirmAndFinalize(ctx, id);
}

/** The content of a plan as an edit, to change and save. */
export function editOf(plan: PlanDetail): PlanEditInput {
  return structuredClone(plan.content);
}

export function planRowCount(ctx: AppContext): number {
  return (ctx.db.sqlite.prepare('SELECT count(*) AS n FROM plan_versions').get() as { n: number })
    .n;
}
