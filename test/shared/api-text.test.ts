import { describe, expect, it } from 'vitest';

import { contract } from '../../shared/api/contract';
import { ProcessDraftSchema } from '../../shared/domain/process';
import { PlanMeasureSchema } from '../../shared/plan/schema';

const ID = '01900000-0000-7000-8000-000000000001';

function messages(method: keyof typeof contract, input: unknown): string[] {
  const r = contract[method].input.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('text at the API: well-formed, one line unless a textarea holds it', () => {
  it('lets notes, findings and measures span lines, and names a bad character in them', () => {
    expect(
      messages('inspection.saveAnswer', {
        inspectionId: ID,
        processId: ID,
        indicatorId: 'emission.nox',
        note: '窑尾在线监测\n第二行\t备注',
      }),
    ).toEqual([]);
    expect(
      messages('inspection.start', {
        enterpriseId: ID,
        date: '2025-06-01',
        type: '帮扶指导',
        processIds: [ID],
        note: '响铃\u0007',
      }),
    ).toEqual(['note: 备注含有无效字符：第 3 个字符是控制字符（U+0007）']);
    expect(
      ProcessDraftSchema.safeParse({
        enterpriseId: ID,
        industryCode: 'cement',
        branch: '水泥熟料',
        problems: '一、脱硝效率偏低\n二、料场未封闭',
      }).success,
    ).toBe(true);
    const measure = {
      id: 'm1',
      direction: '治理设施建设与升级',
      title: '氮氧化物\n排放',
      current: '90',
      required: '≤50',
      measure: '建设SCR\n脱硝',
      responsible: '张三',
    };
    expect(PlanMeasureSchema.safeParse(measure).success).toBe(true);
    expect(
      PlanMeasureSchema.safeParse({ ...measure, responsible: '张三\n李四' }).error?.issues[0]
        ?.message,
    ).toBe('责任人含有无效字符：第 3 个字符是换行符，此处只能填写一行文字');
  });

  it('keeps names, people and codes to one line of well-formed text', () => {
    expect(
      messages('inspection.saveMember', { inspectionId: ID, name: '张\uDC00伟', role: '执法' }),
    ).toEqual([
      'name: 成员姓名含有无效字符：第 2 个字符是不成对的代理项（不是有效的 Unicode 文字）',
    ]);
    expect(messages('sync.login', { username: 'zhang\u0000san', password: 'p' })).toEqual([
      'username: 用户名含有无效字符：第 6 个字符是空字符（U+0000）',
    ]);
    expect(
      messages('plan.setStatus', {
        id: ID,
        version: 1,
        status: '专家审定',
        by: '王\u202E五',
        opinion: '同意',
      }),
    ).toEqual(['by: 审定或确认人含有无效字符：第 2 个字符是改变文字方向的控制字符（U+202E）']);
    expect(messages('enterprise.list', { text: '水泥\u0000' })).toEqual([
      'text: 搜索词含有无效字符：第 3 个字符是空字符（U+0000）',
    ]);
  });
});
