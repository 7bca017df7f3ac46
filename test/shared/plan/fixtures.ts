import type { GapView, ProcessGrading } from '../../../shared/domain/inspection';
import type { MeasureLibrary } from '../../../shared/plan';

export const KILN = '0190a2b4-0000-7000-8000-000000000001';
export const MILL = '0190a2b4-0000-7000-8000-000000000002';

export function gap(over: Partial<GapView> & Pick<GapView, 'indicatorId'>): GapView {
  return {
    title: over.indicatorId,
    dimension: '运输方式',
    kind: 'min',
    unit: '%',
    status: 'unmet',
    required: 80,
    actual: 62,
    ...over,
  };
}

export function process(over: Partial<ProcessGrading> = {}): ProcessGrading {
  return {
    inspectionProcessId: '0190a2b4-0000-7000-8000-0000000000aa',
    processId: KILN,
    label: '1#熟料线',
    rulesetId: 'cement-clinker-2020',
    edition: '2020',
    rulesetName: '水泥熟料分级指标',
    summary: null,
    unverified: true,
    judged: false,
    grade: 'C',
    factsGrade: null,
    targetGrade: 'B',
    reachesTarget: false,
    gapsToTarget: [],
    gaps: {},
    answered: 3,
    indicators: 4,
    problem: null,
    ...over,
  };
}

/** A small library: one entry by indicator id, one by keyword, one generic per dimension. */
export function library(): MeasureLibrary {
  return {
    edition: 'test',
    status: 'draft',
    source: 'test',
    note: null,
    entries: [
      {
        id: 'transport.road',
        direction: '清洁运输',
        match: { indicatorPrefixes: ['transport.road-'], dimensions: [], keywords: [] },
        measure: '提高国五及以上或新能源车辆比例',
        investment: null,
        source: 'test',
        note: null,
      },
      {
        id: 'dedusting',
        direction: '治理设施建设与升级',
        match: { indicatorPrefixes: [], dimensions: ['污染治理技术'], keywords: ['除尘'] },
        measure: '升级为袋式除尘',
        investment: { min: 50, max: 200, source: 'test' },
        source: 'test',
        note: null,
      },
      {
        id: 'operation',
        direction: '治理设施运行管理',
        match: { indicatorPrefixes: [], dimensions: [], keywords: ['运行台账'] },
        measure: '建立运行台账',
        investment: null,
        source: 'test',
        note: null,
      },
      {
        id: 'monitoring',
        direction: '自动监测监控能力',
        match: { indicatorPrefixes: [], dimensions: ['监测监控'], keywords: [] },
        measure: '安装 CEMS 并联网',
        investment: null,
        source: 'test',
        note: null,
      },
    ],
  };
}
