import { describe, expect, it } from 'vitest';

import {
  ASSISTANCE_DIRECTIONS,
  directionForDimension,
  draftPlan,
  groupByDirection,
  matchEntry,
  measureId,
  PlanMeasureSchema,
} from '../../../shared/plan';

import { KILN, MILL, gap, library, process } from './fixtures';

const visit = () => [
  process({
    gapsToTarget: [
      gap({ indicatorId: 'transport.road-clean-share', title: '清洁运输比例' }),
      gap({
        indicatorId: 'monitoring.cems',
        title: 'CEMS 联网',
        dimension: '监测监控水平',
        kind: 'bool',
        unit: null,
        status: 'unknown',
        required: true,
        actual: null,
      }),
      gap({
        indicatorId: 'treatment.dust',
        title: '采用袋式除尘等高效除尘工艺',
        dimension: '污染治理技术',
        kind: 'bool',
        unit: null,
        required: true,
        actual: false,
      }),
    ],
  }),
  process({
    processId: MILL,
    label: '粉磨站',
    gapsToTarget: [
      gap({
        indicatorId: 'energy.fuel',
        title: '燃料类型',
        dimension: '能源类型',
        kind: 'oneOf',
        unit: null,
        required: ['天然气', '电'],
        actual: '煤',
      }),
      gap({
        indicatorId: 'transport.road-clean-share',
        title: '清洁运输比例',
        actual: [62, 75],
      }),
    ],
  }),
];

describe('draftPlan()', () => {
  it('drafts one measure per gap to the target, across every process', () => {
    const { measures, problems } = draftPlan({ processes: visit(), library: library() });
    expect(measures).toHaveLength(5);
    expect(problems).toEqual([]);
    expect(measures.map((m) => [m.processLabel, m.indicatorId]).sort()).toEqual([
      ['1#熟料线', 'monitoring.cems'],
      ['1#熟料线', 'transport.road-clean-share'],
      ['1#熟料线', 'treatment.dust'],
      ['粉磨站', 'energy.fuel'],
      ['粉磨站', 'transport.road-clean-share'],
    ]);
  });

  it('orders measures by direction in the plan’s order, keeping the visit’s order within one', () => {
    const { measures } = draftPlan({ processes: visit(), library: library() });
    expect(measures.map((m) => `${m.direction}/${m.indicatorId}/${m.processLabel}`)).toEqual([
      '清洁能源替代/energy.fuel/粉磨站',
      '治理设施建设与升级/treatment.dust/1#熟料线',
      '清洁运输/transport.road-clean-share/1#熟料线',
      '清洁运输/transport.road-clean-share/粉磨站',
      '自动监测监控能力/monitoring.cems/1#熟料线',
    ]);
  });

  it('gives each measure the indicator, the site’s value and the required one in Chinese', () => {
    const { measures } = draftPlan({ processes: visit(), library: library() });
    const byKey = new Map(measures.map((m) => [`${m.processLabel}/${m.indicatorId}`, m]));
    expect(byKey.get('1#熟料线/transport.road-clean-share')).toEqual({
      id: measureId(KILN, 'transport.road-clean-share'),
      direction: '清洁运输',
      indicatorId: 'transport.road-clean-share',
      processId: KILN,
      processLabel: '1#熟料线',
      title: '清洁运输比例',
      current: '62%',
      required: '≥ 80%',
      measure: '提高国五及以上或新能源车辆比例',
      responsible: '',
      deadline: null,
      investment: null,
      gapStatus: 'unmet',
      libraryId: 'transport.road',
    });
    expect(byKey.get('1#熟料线/monitoring.cems')).toMatchObject({
      current: '未填写',
      required: '是',
      gapStatus: 'unknown',
    });
    expect(byKey.get('粉磨站/energy.fuel')).toMatchObject({
      current: '煤',
      required: '天然气、电（其一）',
    });
    expect(byKey.get('粉磨站/transport.road-clean-share')?.current).toBe('62、75%（最低 62%）');
  });

  it('drafts measures that pass the plan’s own schema', () => {
    for (const m of draftPlan({ processes: visit(), library: library() }).measures)
      expect(PlanMeasureSchema.safeParse(m).success).toBe(true);
  });

  it('gives the same ids when the same visit is drafted again, whatever the process order', () => {
    const a = draftPlan({ processes: visit(), library: library() }).measures.map((m) => m.id);
    const b = draftPlan({ processes: visit().reverse(), library: library() }).measures.map(
      (m) => m.id,
    );
    expect(new Set(b)).toEqual(new Set(a));
    expect(new Set(a).size).toBe(a.length);
    expect(a).toContain(`gap:${KILN}:transport.road-clean-share`);
    expect(a).toContain(`gap:${MILL}:transport.road-clean-share`);
  });

  it('keeps an id when the value changes between visits', () => {
    const first = draftPlan({ processes: visit(), library: library() }).measures;
    const later = visit();
    later[0]!.gapsToTarget![0]!.actual = 70;
    const second = draftPlan({ processes: later, library: library() }).measures;
    const find = (ms: typeof first) => ms.find((m) => m.current === '70%' || m.current === '62%');
    expect(find(second)?.id).toBe(find(first)?.id);
  });

  it('lists a process without a target or with a problem instead of drafting for it', () => {
    const { measures, problems } = draftPlan({
      processes: [
        process({ gapsToTarget: null, targetGrade: null }),
        process({
          label: '石灰窑',
          gapsToTarget: null,
          problem: '目标等级 A+ 不是本指标体系的等级',
        }),
      ],
      library: library(),
    });
    expect(measures).toEqual([]);
    expect(problems).toEqual([
      '1#熟料线：未设定绩效提升目标，未列入整改措施',
      '石灰窑：目标等级 A+ 不是本指标体系的等级，未列入整改措施',
    ]);
  });

  it('drafts nothing for a process that reaches its target', () => {
    expect(
      draftPlan({ processes: [process({ reachesTarget: true })], library: library() }).measures,
    ).toEqual([]);
  });

  it('falls back by dimension when no library entry matches, leaving the measure to the expert', () => {
    const { measures, problems } = draftPlan({
      processes: [
        process({
          gapsToTarget: [
            gap({
              indicatorId: 'x.1',
              dimension: '无组织排放',
              kind: 'bool',
              required: true,
              actual: false,
            }),
            gap({
              indicatorId: 'x.2',
              dimension: '装备水平',
              kind: 'level',
              required: 'A',
              actual: 'B',
            }),
          ],
        }),
      ],
      library: { ...library(), entries: [] },
    });
    expect(
      measures.map((m) => [m.direction, m.measure, m.libraryId, m.current, m.required]),
    ).toEqual([
      ['无组织排放精细化管理', '', null, '否', '是'],
      ['治理设施建设与升级', '', null, '达到B级要求', '达到A级要求'],
    ]);
    expect(problems).toEqual([]);
  });

  it('puts a gap of an unknown dimension under 环境管理 and says so', () => {
    const { measures, problems } = draftPlan({
      processes: [
        process({ gapsToTarget: [gap({ indicatorId: 'y', title: '其他', dimension: '其他' })] }),
      ],
      library: { ...library(), entries: [] },
    });
    expect(measures[0]?.direction).toBe('环境管理');
    expect(problems).toEqual([
      '1#熟料线：指标“其他”的维度“其他”没有对应的帮扶方向，暂归入环境管理，请专家调整',
    ]);
  });

  it('marks the draft unverified when any process was graded against a draft ruleset', () => {
    expect(draftPlan({ processes: visit(), library: library() }).unverified).toBe(true);
    const verified = visit().map((p) => ({ ...p, unverified: false }));
    expect(draftPlan({ processes: verified, library: library() }).unverified).toBe(false);
  });
});

describe('groupByDirection()', () => {
  it('groups measures by direction in the plan’s order and leaves out empty directions', () => {
    const groups = groupByDirection(draftPlan({ processes: visit(), library: library() }).measures);
    expect(groups.map((g) => [g.direction, g.measures.length])).toEqual([
      ['清洁能源替代', 1],
      ['治理设施建设与升级', 1],
      ['清洁运输', 2],
      ['自动监测监控能力', 1],
    ]);
  });
});

describe('matchEntry()', () => {
  it('prefers an indicator id prefix to a keyword, and a keyword to a dimension', () => {
    const lib = library();
    expect(
      matchEntry(lib, { indicatorId: 'transport.road-x', dimension: '监测监控', title: '运行台账' })
        ?.entry.id,
    ).toBe('transport.road');
    expect(
      matchEntry(lib, { indicatorId: 'm.1', dimension: '监测监控水平', title: 'CEMS 运行台账' })
        ?.entry.id,
    ).toBe('operation');
    expect(
      matchEntry(lib, { indicatorId: 'm.1', dimension: '监测监控水平', title: 'CEMS 联网' })?.by,
    ).toBe('dimension');
  });

  it('takes a keyword only within the dimensions its entry lists', () => {
    expect(
      matchEntry(library(), { indicatorId: 'z', dimension: '无组织排放', title: '除尘' }),
    ).toBeNull();
  });

  it('lets the longest matching prefix win', () => {
    const lib = library();
    lib.entries.push({
      ...lib.entries[0]!,
      id: 'narrow',
      match: { indicatorPrefixes: ['transport.road-clean'], dimensions: [], keywords: [] },
    });
    expect(
      matchEntry(lib, { indicatorId: 'transport.road-clean-share', dimension: '', title: '' })
        ?.entry.id,
    ).toBe('narrow');
    expect(
      matchEntry(lib, { indicatorId: 'transport.road-other', dimension: '', title: '' })?.entry.id,
    ).toBe('transport.road');
  });
});

describe('directionForDimension()', () => {
  it('maps every dimension of the guideline and the seed to one of the seven directions', () => {
    for (const d of [
      '装备水平',
      '工艺装备',
      '能源类型',
      '原辅材料',
      '污染治理技术',
      '排放限值',
      '有组织排放',
      '无组织排放',
      '监测监控水平',
      '环境管理水平',
      '运输方式',
      '运输监管',
    ])
      expect(ASSISTANCE_DIRECTIONS).toContain(directionForDimension(d));
    expect(directionForDimension('运输方式')).toBe('清洁运输');
    expect(directionForDimension('监测监控')).toBe('自动监测监控能力');
    expect(directionForDimension('其他')).toBeNull();
  });
});
