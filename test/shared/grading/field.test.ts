import { describe, expect, it } from 'vitest';

import {
  indicatorHint,
  rulesetLabel,
  rulesetName,
  rulesetSummary,
  type Indicator,
} from '../../../shared/grading';

const indicator: Indicator = {
  id: 'transport.road-other-guo4',
  dimension: '运输方式',
  title: '物料公路运输中其余车辆达到国四排放标准',
  kind: 'bool',
  require: { B: true },
};

describe('what a team reads of a ruleset', () => {
  it('names a ruleset by its branch, as the guideline titles its tables, never by its id', () => {
    expect(rulesetName({ industry: '水泥', branch: '水泥熟料' })).toBe('水泥熟料分级指标');
    expect(rulesetName({ industry: '石灰窑', branch: null })).toBe('石灰窑分级指标');
    expect(rulesetName({ industry: '通用帮扶检查表', kind: 'general' })).toBe('通用帮扶检查表');
  });

  it('adds the edition, and says 草稿 of a draft', () => {
    expect(
      rulesetLabel({ industry: '水泥', branch: '水泥熟料', edition: '2020', status: 'draft' }),
    ).toBe('水泥熟料分级指标（2020 版，草稿）');
    expect(rulesetLabel({ industry: '石灰窑', edition: '2020', status: 'verified' })).toBe(
      '石灰窑分级指标（2020 版）',
    );
  });

  it('shows the 说明 written for the team, and nothing where a ruleset has none', () => {
    expect(rulesetSummary({ summary: ' 草稿：只录入了运输方式。 ' })).toBe(
      '草稿：只录入了运输方式。',
    );
    expect(rulesetSummary({})).toBeNull();
    expect(rulesetSummary({ summary: '  ' })).toBeNull();
  });

  it('shows an indicator’s hint, never the transcriber’s note in its place', () => {
    const noted = { ...indicator, note: 'B 级第 1 项后半句。填 true。' };
    expect(indicatorHint({}, noted)).toBeNull();
    expect(indicatorHint({}, { ...noted, hint: '其余车辆是否都达到国四。' })).toBe(
      '其余车辆是否都达到国四。',
    );
  });

  it('still shows the prompts of a 通用帮扶检查表 pinned before hints existed', () => {
    expect(indicatorHint({ kind: 'general' }, { ...indicator, note: '查看主要生产设备' })).toBe(
      '查看主要生产设备',
    );
  });
});
