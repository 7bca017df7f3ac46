import { describe, expect, it } from 'vitest';

import {
  issuesOf,
  PlanContentSchema,
  PlanMeasureSchema,
  PlanStatusSchema,
  TaxLimitSchema,
  validateAnnex1,
  validateMeasureLibrary,
  type PlanMeasureInput,
} from '../../../shared/plan';

import { library } from './fixtures';

const measure = (over: Partial<PlanMeasureInput> = {}): PlanMeasureInput => ({
  id: 'gap:p:transport.x',
  direction: '清洁运输',
  indicatorId: 'transport.x',
  processId: 'p',
  processLabel: '1#熟料线',
  title: '清洁运输比例',
  current: '62%',
  required: '≥ 80%',
  measure: '更新车辆',
  responsible: '张三',
  deadline: '2025-09-30',
  investment: 120,
  gapStatus: 'unmet',
  libraryId: null,
  ...over,
});

const problems = (
  schema: { safeParse: (v: unknown) => { success: boolean; error?: unknown } },
  v: unknown,
) => {
  const r = schema.safeParse(v);
  return r.success ? [] : issuesOf(r.error as Parameters<typeof issuesOf>[0]);
};

const plan = (over: Record<string, unknown> = {}) => ({
  enterpriseId: '0190a2b4-0000-7000-8000-000000000001',
  inspectionId: '0190a2b4-0000-7000-8000-000000000002',
  targetGrade: 'B',
  measures: [measure()],
  taxLimits: [],
  notes: null,
  ...over,
});

describe('PlanMeasureSchema', () => {
  it('accepts a filled-in measure and a drafted one with blanks left for the expert', () => {
    expect(PlanMeasureSchema.safeParse(measure()).success).toBe(true);
    const drafted = PlanMeasureSchema.parse(
      measure({ measure: '', responsible: '', deadline: '', investment: null, gapStatus: null }),
    );
    expect(drafted).toMatchObject({ deadline: null, investment: null, gapStatus: null });
  });

  it('names the field in Chinese for each wrong value', () => {
    expect(
      problems(
        PlanMeasureSchema,
        measure({
          direction: '技术创新' as never,
          deadline: '2025-02-30',
          investment: -1,
          title: ' ',
        }),
      ),
    ).toEqual([
      {
        path: 'direction',
        message:
          '帮扶方向应为清洁能源替代、无组织排放精细化管理、治理设施建设与升级、治理设施运行管理、清洁运输、自动监测监控能力、环境管理之一',
      },
      { path: 'title', message: '请填写指标或问题' },
      { path: 'deadline', message: '完成期限应为日期 YYYY-MM-DD，例如 2025-09-30' },
      { path: 'investment', message: '预计投资（万元）不能小于0万元' },
    ]);
  });

  it('refuses an investment that is not a number, and fields it does not know', () => {
    expect(
      problems(PlanMeasureSchema, { ...measure({ investment: '十万' as never }), cost: 1 }),
    ).toEqual([
      { path: 'investment', message: '预计投资（万元）应为数字' },
      { path: '', message: '整改措施中有未知字段：cost' },
    ]);
  });
});

describe('PlanContentSchema', () => {
  it('accepts a plan and defaults the limits to none', () => {
    const rest: Record<string, unknown> = plan();
    delete rest.taxLimits;
    expect(PlanContentSchema.parse(rest).taxLimits).toEqual([]);
  });

  it('refuses duplicate measure ids and a limit entered twice for one outlet and pollutant', () => {
    const limit = {
      outletId: 'DA001',
      outletName: null,
      pollutant: '颗粒物',
      limit: 30,
      unit: 'mg/m³',
      standard: 'GB 4915-2013',
    };
    expect(
      problems(
        PlanContentSchema,
        plan({ measures: [measure(), measure()], taxLimits: [limit, limit] }),
      ),
    ).toEqual([
      { path: 'measures[1].id', message: '措施编号 gap:p:transport.x 重复' },
      { path: 'taxLimits[1]', message: '排放口 DA001 的颗粒物限值重复录入' },
    ]);
  });

  it('says what is missing', () => {
    expect(problems(PlanContentSchema, plan({ targetGrade: undefined }))).toEqual([
      { path: 'targetGrade', message: '缺少目标等级' },
    ]);
  });
});

describe('TaxLimitSchema', () => {
  it('requires a positive limit, its unit and the standard it comes from', () => {
    expect(
      problems(TaxLimitSchema, {
        outletId: 'DA001',
        pollutant: '颗粒物',
        limit: 0,
        unit: '',
        standard: '',
      }),
    ).toEqual([
      { path: 'limit', message: '排放限值应大于0' },
      { path: 'unit', message: '请填写限值单位' },
      { path: 'standard', message: '请填写执行标准' },
    ]);
  });
});

describe('PlanStatusSchema', () => {
  it('knows the three statuses', () => {
    expect(PlanStatusSchema.options).toEqual(['草稿', '专家审定', '企业确认']);
    expect(PlanStatusSchema.safeParse('已发布').error?.issues[0]?.message).toBe(
      '方案状态应为草稿、专家审定、企业确认之一',
    );
  });
});

describe('validateMeasureLibrary()', () => {
  it('accepts a valid library', () => {
    expect(validateMeasureLibrary(library())).toMatchObject({ ok: true });
  });

  it('reports every problem with its JSON path and a Chinese reason', () => {
    const lib = library() as unknown as { entries: Record<string, unknown>[] };
    lib.entries[1] = {
      ...lib.entries[1],
      id: 'transport.road',
      direction: '装备',
      investment: { min: 9, max: 1, source: 'x' },
    };
    lib.entries[2] = {
      ...lib.entries[2],
      match: { indicatorPrefixes: [], dimensions: [], keywords: [''] },
    };
    const r = validateMeasureLibrary(lib);
    expect(r.ok ? [] : r.issues).toEqual([
      {
        path: 'entries[1].direction',
        message:
          '帮扶方向应为清洁能源替代、无组织排放精细化管理、治理设施建设与升级、治理设施运行管理、清洁运输、自动监测监控能力、环境管理之一',
      },
      { path: 'entries[1].investment.max', message: '投资下限不能大于上限' },
      { path: 'entries[2].match.keywords[0]', message: '请填写关键词' },
    ]);
  });

  it('refuses duplicate ids and a match rule that matches nothing', () => {
    const lib = library() as unknown as { entries: Record<string, unknown>[] };
    lib.entries[1] = { ...lib.entries[1], id: 'transport.road' };
    lib.entries[2] = { ...lib.entries[2], match: {} };
    const r = validateMeasureLibrary(lib);
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'entries[2].match', message: '匹配规则至少要有一项指标编号前缀、维度或关键词' },
      { path: 'entries[1].id', message: '条目编号 transport.road 重复' },
    ]);
  });
});

describe('validateAnnex1()', () => {
  it('refuses an unknown alert level and a repeated 序号, with their paths', () => {
    const doc = {
      id: 'a',
      title: '附件1',
      document: 'd',
      status: 'draft',
      source: 's',
      note: null,
      incentives: [1, 1].map((no, i) => ({
        id: `i${i}`,
        no,
        part: '附件1',
        title: 't',
        text: 't',
        responsible: null,
        note: null,
        source: 's',
        appliesTo: { grades: ['A'], upgrade: false, industries: null, condition: null },
      })),
      emergencyMeasures: [
        { id: 'e', grades: ['A'], levels: ['purple'], text: 't', condition: null, source: 's' },
      ],
    };
    const r = validateAnnex1(doc);
    expect(r.ok ? [] : r.issues).toEqual([
      { path: 'emergencyMeasures[0].levels[0]', message: '预警级别应为 yellow、orange、red 之一' },
    ]);
    doc.emergencyMeasures[0]!.levels = ['red'];
    const again = validateAnnex1(doc);
    expect(again.ok ? [] : again.issues).toEqual([
      { path: 'incentives[1].no', message: '序号 1 重复' },
    ]);
  });
});
