import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  applicationState,
  ApplicationDraftSchema,
  gradeChange,
  routeFor,
  routeSteps,
  stepProblem,
  stepRoleProblem,
  type ReviewRoute,
  type StepRecord,
} from '../../shared/domain/review';

let clock = 0;
function step(
  round: number,
  s: StepRecord['step'],
  decision: StepRecord['decision'],
  decidedBy = '张三',
): StepRecord {
  clock += 1;
  return { id: `s${clock}`, round, step: s, decision, decidedBy, decidedAt: clock };
}

describe('the review route', () => {
  it.each([
    ['A', 'region'],
    ['B', 'region'],
    ['B-', 'region'],
    ['引领性', 'region'],
    ['C', 'city'],
    ['D', 'city'],
    ['非引领性', 'city'],
  ] as const)('sends an application for %s to the %s route', (grade, route) => {
    expect(routeFor('等级', grade)).toBe(route);
  });

  it('has the city alone decide a 保障类 application', () => {
    expect(routeFor('保障类', null)).toBe('city');
    expect(routeSteps('city')).toEqual(['市级评定']);
    expect(routeSteps('region')).toEqual(['市级初审', '自治区复审']);
  });
});

describe('the state of an application', () => {
  it.each<[string, ReviewRoute, StepRecord[], string, string | null, number]>([
    [
      'a fresh application waits for 初审',
      'region',
      [step(1, '提交', '提交')],
      '待初审',
      '市级初审',
      1,
    ],
    [
      'after 初审 passes it waits for 复审',
      'region',
      [step(1, '提交', '提交'), step(1, '市级初审', '通过')],
      '待复审',
      '自治区复审',
      1,
    ],
    [
      'after 复审 passes it is approved',
      'region',
      [step(1, '提交', '提交'), step(1, '市级初审', '通过'), step(1, '自治区复审', '通过')],
      '已通过',
      null,
      1,
    ],
    [
      'a return asks for a resubmission',
      'region',
      [step(1, '提交', '提交'), step(1, '市级初审', '退回补充')],
      '退回补充',
      '提交',
      1,
    ],
    [
      'a resubmission starts the next round at 初审',
      'region',
      [step(1, '提交', '提交'), step(1, '市级初审', '退回补充'), step(2, '提交', '提交')],
      '待初审',
      '市级初审',
      2,
    ],
    [
      'a refusal ends it',
      'city',
      [step(1, '提交', '提交'), step(1, '市级评定', '不予通过')],
      '不予通过',
      null,
      1,
    ],
    [
      'a 复审 recorded before any 初审 does not count',
      'region',
      [step(1, '提交', '提交'), step(1, '自治区复审', '通过')],
      '待初审',
      '市级初审',
      1,
    ],
  ])('%s', (_name, route, steps, status, next, round) => {
    const state = applicationState(route, steps);
    expect(state.status).toBe(status);
    expect(state.next).toBe(next);
    expect(state.round).toBe(round);
  });

  it('counts the first of two decisions of the same step and ignores the second', () => {
    const first = step(1, '市级初审', '通过', '李四');
    const second = step(1, '市级初审', '不予通过', '王五');
    const state = applicationState('region', [step(1, '提交', '提交'), second, first].reverse());
    expect(state.status).toBe('待复审');
    expect(state.steps.map((s) => s.decidedBy)).toEqual(['张三', '李四']);
  });

  it('reads the same state whatever order the records arrive in', () => {
    const records = [
      step(1, '提交', '提交'),
      step(1, '市级初审', '退回补充'),
      step(2, '提交', '提交'),
      step(2, '市级初审', '通过'),
      step(2, '自治区复审', '通过'),
    ];
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: 5, maxLength: 5 }), (shuffled) => {
        expect(applicationState('region', shuffled).status).toBe('已通过');
      }),
    );
  });
});

describe('whether a step may be recorded', () => {
  const submitted = [step(1, '提交', '提交')];

  it('accepts the next step of the route', () => {
    expect(stepProblem('region', submitted, { round: 1, step: '市级初审', decision: '通过' })).toBe(
      null,
    );
  });

  it('refuses 复审 before 初审, naming where the application stands', () => {
    expect(
      stepProblem('region', submitted, { round: 1, step: '自治区复审', decision: '通过' }),
    ).toBe('该申报当前待初审，不能进行自治区复审');
  });

  it('refuses a second decision of a step, naming who decided it first', () => {
    const decided = [...submitted, step(1, '市级初审', '通过', '李四')];
    expect(
      stepProblem('region', decided, { round: 1, step: '市级初审', decision: '不予通过' }),
    ).toBe('该申报第 1 轮的市级初审已由李四作出决定（通过），不能重复决定');
  });

  it('refuses a step the route does not have', () => {
    expect(stepProblem('city', submitted, { round: 1, step: '市级初审', decision: '通过' })).toBe(
      '该申报的审核流程是市级评定，没有“市级初审”这一步',
    );
  });

  it('asks for a resubmission after a return, and accepts it as the next round', () => {
    const returned = [...submitted, step(1, '市级初审', '退回补充')];
    expect(
      stepProblem('region', returned, { round: 1, step: '市级初审', decision: '通过' }),
    ).toMatch('该申报第 1 轮的市级初审已由');
    expect(stepProblem('region', returned, { round: 2, step: '市级初审', decision: '通过' })).toBe(
      '该申报已退回补充，须重新提交后才能市级初审',
    );
    expect(stepProblem('region', returned, { round: 2, step: '提交', decision: '提交' })).toBe(
      null,
    );
  });

  it('refuses anything once the application is decided', () => {
    const refused = [...submitted, step(1, '市级评定', '不予通过')];
    expect(stepProblem('city', refused, { round: 2, step: '提交', decision: '提交' })).toBe(
      '该申报已审核完毕（不予通过），不能再提交',
    );
  });

  it('lets only 市级审核 decide 初审 and 评定, and only 自治区复审 decide 复审', () => {
    expect(stepRoleProblem('市级初审', '市级审核')).toBe(null);
    expect(stepRoleProblem('市级评定', '管理员')).toBe(
      '市级评定须由市级审核账号作出；当前账号是管理员',
    );
    expect(stepRoleProblem('自治区复审', '市级审核')).toBe(
      '自治区复审须由自治区复审账号作出；当前账号是市级审核',
    );
    expect(stepRoleProblem('提交', '帮扶队员')).toBe(null);
  });
});

describe('how an official grade changes', () => {
  it.each([
    [null, 'B', '认定'],
    ['C', 'B', '升级'],
    ['A', 'A+', '升级'],
    ['B', 'D', '降级'],
    ['B', 'B', '认定'],
    ['B', null, '撤销'],
  ] as const)('from %s to %s is %s', (from, to, change) => {
    expect(gradeChange(from, to)).toBe(change);
  });
});

describe('an application as typed', () => {
  const enterpriseId = '0b9a1f0e-8d7b-4a55-9e55-6f1b0c2a3d4e';

  it('needs a grade for a grade application', () => {
    const parsed = ApplicationDraftSchema.safeParse({
      enterpriseId,
      kind: '等级',
      applicant: '张三',
    });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('请选择申报等级');
  });

  it('needs a reason for a 保障类 application', () => {
    const parsed = ApplicationDraftSchema.safeParse({
      enterpriseId,
      kind: '保障类',
      applicant: '张三',
    });
    expect(parsed.error?.issues[0]?.message).toBe('申报保障类须写明理由');
  });
});
