import type { Ruleset } from '../../../shared/grading';

/** The contract's sample cement ruleset (ruleset-format.md), used across the engine tests. */
export function cement(): Ruleset {
  return {
    id: 'cement-clinker',
    industry: '水泥',
    branch: '水泥熟料',
    edition: '2020',
    source: 'test',
    status: 'draft',
    grades: [
      { grade: 'A', rank: 1 },
      { grade: 'B', rank: 2 },
      { grade: 'C', rank: 4 },
      { grade: 'D', rank: 5 },
    ],
    indicators: [
      {
        id: 'emission.kiln-tail.nox',
        dimension: '排放限值',
        title: '窑尾氮氧化物排放浓度',
        kind: 'max',
        unit: 'mg/m³',
        require: { A: 50, B: 100 },
      },
      {
        id: 'transport.clean-road-share',
        dimension: '运输方式',
        title: '清洁运输比例',
        kind: 'min',
        unit: '%',
        require: { A: 100, B: 80, C: 50 },
      },
      {
        id: 'equipment.level',
        dimension: '装备水平',
        title: '生产工艺装备',
        kind: 'level',
        text: { A: 'A级原文', B: 'B级原文' },
        require: { A: 'A', B: 'B' },
      },
      {
        id: 'monitoring.cems',
        dimension: '监测监控水平',
        title: 'CEMS 联网',
        kind: 'bool',
        require: { A: true, B: true },
      },
      {
        id: 'treatment.denitration',
        dimension: '污染治理技术',
        title: '脱硝工艺',
        kind: 'oneOf',
        options: ['SCR', 'SNCR+SCR', 'SNCR', '低氮燃烧', '无'],
        require: { A: ['SCR', 'SNCR+SCR'], B: ['SCR', 'SNCR+SCR', 'SNCR'] },
      },
    ],
    measures: { B: { yellow: '停止使用国四及以下重型载货车辆', orange: '限产20%', red: '停产' } },
  };
}

export const A_FACTS = {
  'emission.kiln-tail.nox': [42, 47],
  'transport.clean-road-share': 100,
  'equipment.level': 'A',
  'monitoring.cems': true,
  'treatment.denitration': 'SCR',
};

/** A 引领性/非引领性 ruleset (电解锰), ranked 1 and 4 as the contract suggests. */
export function leading(): Ruleset {
  return {
    id: 'manganese-leading',
    industry: '铁合金',
    branch: '电解锰',
    edition: '2020',
    source: 'test',
    status: 'draft',
    grades: [
      { grade: '引领性', rank: 1 },
      { grade: '非引领性', rank: 4 },
    ],
    indicators: [
      {
        id: 'cems',
        dimension: '监测监控水平',
        title: 'CEMS',
        kind: 'bool',
        require: { 引领性: true },
      },
    ],
  };
}
