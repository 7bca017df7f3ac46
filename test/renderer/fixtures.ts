import type { RulesetDetail, RulesetSummary } from '../../shared/api/contract';
import type { Catalog } from '../../shared/domain/catalog';
import type { Process } from '../../shared/domain/process';
import type { Ruleset } from '../../shared/grading/types';

/** A small industry catalogue: enough branches to exercise grade schemes and auto-selection. */
export const CATALOG: Catalog = {
  edition: '测试',
  source: '测试目录',
  industries: [
    {
      code: 'ferroalloy',
      no: 3,
      name: '铁合金',
      scope: 'national',
      verified: true,
      branches: [
        { name: '电炉法铁合金（矿热炉、精炼炉）', rulesets: [] },
        { name: '电解法金属锰（电解锰）', gradeScheme: ['引领性', '非引领性'], rulesets: [] },
      ],
    },
    {
      code: 'lime-kiln',
      no: 5,
      name: '石灰窑',
      scope: 'national',
      verified: true,
      branches: [{ name: '石灰窑', rulesets: [] }],
    },
    {
      code: 'cement',
      no: 15,
      name: '水泥',
      scope: 'national',
      verified: true,
      branches: [
        { name: '水泥熟料', gradeScheme: ['A', 'B', 'C', 'D'], rulesets: ['cement-clinker-2020'] },
        { name: '粉磨站', rulesets: [] },
      ],
    },
    {
      code: 'nx-calcium-carbide',
      name: '电石',
      scope: 'ningxia',
      verified: false,
      branches: [{ name: '电石', rulesets: [] }],
    },
  ],
};

/** A draft ruleset with one indicator of each kind, dimensions out of the guideline's order. */
export const CEMENT: Ruleset = {
  id: 'cement-clinker-2020',
  industry: '水泥',
  branch: '水泥熟料',
  edition: '2020',
  source: '重污染天气重点行业应急减排措施制定技术指南（2020年修订版） 水泥',
  summary: '草稿：目前只录入了几项指标，算出的等级不能代替正式评级。',
  sourceNote: '草稿：据新闻转引录入，尚未与官方附件核对。',
  status: 'draft',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'C', rank: 4 },
    { grade: 'D', rank: 5 },
  ],
  indicators: [
    {
      id: 'transport.clean-road-share',
      dimension: '运输方式',
      title: '国五及以上车辆运输比例',
      kind: 'min',
      unit: '%',
      require: { A: 100, B: 80, C: 50 },
    },
    {
      id: 'emission.kiln-tail.nox',
      dimension: '排放限值',
      title: '窑尾氮氧化物排放浓度',
      kind: 'max',
      unit: 'mg/m³',
      text: { A: '窑尾NOx不高于50毫克每立方米' },
      require: { A: 50, B: 100 },
    },
    {
      id: 'monitoring.cems',
      dimension: '监测监控水平',
      title: '主要排放口安装 CEMS 并联网',
      kind: 'bool',
      require: { A: true, B: true },
    },
    {
      id: 'treatment.denitration',
      dimension: '污染治理技术',
      title: '脱硝工艺',
      kind: 'oneOf',
      options: ['SCR', 'SNCR+SCR', 'SNCR', '无'],
      require: { A: ['SCR', 'SNCR+SCR'], B: ['SCR', 'SNCR+SCR', 'SNCR'] },
    },
    {
      id: 'equipment.level',
      dimension: '装备水平',
      title: '生产工艺装备',
      kind: 'level',
      text: { A: '新型干法窑，A级原文', B: 'B级原文' },
      require: { A: 'A', B: 'B' },
    },
    {
      id: 'emission.kiln-tail.so2',
      dimension: '排放限值',
      title: '窑尾二氧化硫排放浓度',
      kind: 'max',
      unit: 'mg/m³',
      require: { A: 35, B: 100 },
    },
    {
      id: 'local.extra',
      dimension: '地方补充',
      title: '地方补充要求',
      kind: 'bool',
      require: { A: true },
    },
  ],
  measures: {
    B: { yellow: '停止国四车辆运输', orange: '限产20%', red: '停产' },
    D: { yellow: '停产', orange: '停产', red: '停产' },
  },
};

export function summaryOf(
  ruleset: Ruleset,
  origin: RulesetSummary['origin'] = 'shipped',
): RulesetSummary {
  return {
    id: ruleset.id,
    industry: ruleset.industry,
    branch: ruleset.branch ?? null,
    edition: ruleset.edition,
    status: ruleset.status,
    source: ruleset.source,
    summary: ruleset.summary ?? null,
    sourceNote: ruleset.sourceNote ?? null,
    indicatorCount: ruleset.indicators.length,
    grades: ruleset.grades.map((g) => g.grade),
    origin,
    hash: `hash-${ruleset.id}-${ruleset.edition}`,
  };
}

/** A verified ruleset written for the whole lime-kiln industry, and one with no indicators. */
export const LIME: Ruleset = {
  id: 'lime-kiln-2020',
  industry: '石灰窑',
  edition: '2020',
  source: '石灰窑指标（测试）',
  status: 'verified',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'C', rank: 4 },
  ],
  indicators: [
    {
      id: 'monitoring.cems',
      dimension: '监测监控水平',
      title: 'CEMS',
      kind: 'bool',
      require: { A: true },
    },
  ],
};

export const EMPTY: Ruleset = {
  id: 'carbide-empty',
  industry: '电石',
  edition: '2024',
  source: '电石（空表）',
  status: 'draft',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'D', rank: 5 },
  ],
  indicators: [],
};

export const RULESETS = [CEMENT, LIME, EMPTY];

export function detailOf(id: string): RulesetDetail {
  const ruleset = RULESETS.find((r) => r.id === id);
  if (!ruleset) throw new Error(`no ruleset ${id}`);
  return { summary: summaryOf(ruleset), ruleset };
}

let serial = 0;

/** A process as process.list returns it. */
export function process(fields: Partial<Process> & Pick<Process, 'enterpriseId'>): Process {
  serial++;
  return {
    id: `10000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    industryCode: 'cement',
    branch: '水泥熟料',
    name: null,
    rulesetId: null,
    currentGrade: null,
    targetGrade: null,
    differentiators: null,
    problems: null,
    improvements: null,
    dueDate: null,
    remark: null,
    createdAt: 1_700_000_000_000,
    updatedAt: '0000000001700000000000-0000-device',
    ...fields,
  };
}
