import { describe, expect, it } from 'vitest';

import { gradeBenefits, type Annex1, type IndustryMeasures } from '../../../shared/plan';

/** A small 附件1: the shapes of the shipped file, a few items. */
function annex(): Annex1 {
  const applies = (over: Partial<Annex1['incentives'][number]['appliesTo']> = {}) => ({
    grades: null,
    upgrade: false,
    industries: null,
    condition: null,
    ...over,
  });
  return {
    id: 'annex1',
    title: '附件1',
    document: 'test',
    status: 'draft',
    source: 'test',
    note: null,
    incentives: [
      {
        id: 'env-tax',
        no: 1,
        part: '附件1',
        title: '落实环境保护税减免',
        text: '…',
        responsible: null,
        appliesTo: applies({ condition: '浓度低于标准30%' }),
        note: null,
        source: '第223–241行',
      },
      {
        id: 'green-credit',
        no: 5,
        part: '附件1',
        title: '开展绿色信贷',
        text: '…',
        responsible: null,
        appliesTo: applies({ upgrade: true }),
        note: null,
        source: '第278–296行',
      },
      {
        id: 'cement',
        no: 7,
        part: '附件1',
        title: '减少错峰时间',
        text: '…',
        responsible: null,
        appliesTo: applies({ grades: ['A'], industries: ['水泥'] }),
        note: null,
        source: '第314–323行',
      },
      {
        id: 'white-list',
        no: 8,
        part: '附件1',
        title: '落实差异化管理',
        text: '…',
        responsible: null,
        appliesTo: applies({ grades: ['A'] }),
        note: null,
        source: '第325–334行',
      },
    ],
    emergencyMeasures: [
      {
        id: 'a-self',
        grades: ['A'],
        levels: ['yellow', 'orange', 'red'],
        text: '重污染天气期间实施自主减排，确保企业不停产、不限产。',
        condition: '完成环保绩效提级晋A',
        source: '第326–330行',
      },
    ],
  };
}

const cement: IndustryMeasures = {
  id: 'cement-clinker-2020',
  industry: '水泥',
  branch: '水泥熟料',
  edition: '2020',
  status: 'draft',
  grades: [
    { grade: 'A', rank: 1 },
    { grade: 'B', rank: 2 },
    { grade: 'C', rank: 4 },
    { grade: 'D', rank: 5 },
  ],
  measures: {
    A: { yellow: '自主减排', orange: '自主减排', red: '自主减排' },
    B: { yellow: '停用国四', orange: '限产20%', red: '停产' },
    C: { yellow: '停产50%', orange: '停产', red: '停产' },
  },
};

describe('gradeBenefits()', () => {
  it('lists, per alert level, the measures before (current grade) and after (target grade)', () => {
    const b = gradeBenefits(annex(), cement, 'C', 'B');
    expect(
      b.alerts.map((a) => [a.name, a.before.map((m) => m.text), a.after.map((m) => m.text)]),
    ).toEqual([
      ['黄色预警', ['停产50%'], ['停用国四']],
      ['橙色预警', ['停产'], ['限产20%']],
      ['红色预警', ['停产'], ['停产']],
    ]);
    expect(b.alerts[0]?.after[0]).toEqual({
      text: '停用国四',
      source: '水泥熟料分级指标（2020 版）',
      draft: true,
      condition: null,
    });
  });

  it('adds 附件1’s own A-grade measure to the ruleset’s for the target A', () => {
    const after = gradeBenefits(annex(), cement, 'B', 'A').alerts[2]!.after;
    expect(after.map((m) => m.text)).toEqual([
      '自主减排',
      '重污染天气期间实施自主减排，确保企业不停产、不限产。',
    ]);
    expect(after[1]).toMatchObject({
      condition: '完成环保绩效提级晋A',
      source: '附件1：第326–330行',
    });
  });

  it('gives the incentives of the target grade, marking those gained by climbing', () => {
    const b = gradeBenefits(annex(), cement, 'B', 'A');
    expect(b.incentives.map((i) => [i.id, i.gained, i.industryMatch])).toEqual([
      ['env-tax', false, true],
      ['green-credit', true, true],
      ['cement', true, true],
      ['white-list', true, true],
    ]);
  });

  it('leaves out items for other industries and A-only items below A', () => {
    const casting: IndustryMeasures = { id: 'casting', industry: '铸造', status: 'draft' };
    expect(gradeBenefits(annex(), casting, 'B', 'A').incentives.map((i) => i.id)).toEqual([
      'env-tax',
      'green-credit',
      'white-list',
    ]);
    expect(gradeBenefits(annex(), cement, 'C', 'B').incentives.map((i) => i.id)).toEqual([
      'env-tax',
      'green-credit',
    ]);
  });

  it('keeps industry-bound items when the industry is not given, and says to check them', () => {
    const b = gradeBenefits(annex(), undefined, 'B', 'A');
    expect(b.incentives.find((i) => i.id === 'cement')?.industryMatch).toBeNull();
    expect(b.notes).toContain('未指定行业：部分措施只适用于特定行业，请核对');
  });

  it('says which measures were not found instead of inventing them', () => {
    const b = gradeBenefits(annex(), cement, 'D', 'C');
    expect(b.alerts.every((a) => a.before.length === 0)).toBe(true);
    expect(b.notes).toContain(
      'D级在黄色预警、橙色预警、红色预警期间的应急减排措施未找到：水泥熟料分级指标（2020 版）未录入，附件1 也未规定',
    );
    expect(b.notes).toContain('水泥熟料分级指标为草稿，其应急减排措施待核实');
  });

  it('does not apply “提级晋A” items to 绩效引领性, and says the plan is silent on it', () => {
    const b = gradeBenefits(annex(), undefined, '非引领性', '引领性');
    expect(b.incentives.map((i) => i.id)).toEqual(['env-tax', 'green-credit']);
    expect(b.notes).toContain(
      '附件1 按等级给的措施只针对 A 级；对引领性级是否适用，方案未说明，未列入',
    );
  });

  it('lists no “before” measures and counts as climbing when the current grade is unknown', () => {
    const b = gradeBenefits(annex(), cement, null, 'B');
    expect(b.alerts.every((a) => a.before.length === 0)).toBe(true);
    expect(b.incentives.map((i) => i.id)).toContain('green-credit');
    expect(b.notes).toContain('现状等级未知，无法列出现状下的应急减排措施');
  });

  it('gains nothing and says so when the target is the current grade', () => {
    const b = gradeBenefits(annex(), cement, 'A', 'A');
    expect(b.incentives.map((i) => [i.id, i.gained])).toEqual([
      ['env-tax', false],
      ['cement', false],
      ['white-list', false],
    ]);
    expect(b.notes).toContain('目标等级与现状等级相同');
  });
});
