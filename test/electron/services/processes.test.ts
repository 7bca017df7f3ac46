import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listOutbox } from '../../../db/repositories/device';
import type { AppContext } from '../../../electron/services/context';
import { createEnterprise, getEnterprise } from '../../../electron/services/enterprises';
import { restoreFromTrash, trashEnterprise } from '../../../electron/services/trash';
import { createProcess, listProcesses, updateProcess } from '../../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../../shared/domain/enterprise';
import { ProcessDraftSchema, type ProcessDraftInput } from '../../../shared/domain/process';
import { closeAppContext, createTestContext } from '../../helpers/context';
import { thrown } from '../../helpers/errors';

describe('process services', () => {
  let ctx: AppContext;
  let enterpriseId: string;
  const draft = (over: Partial<ProcessDraftInput> = {}) =>
    ProcessDraftSchema.parse({
      enterpriseId,
      industryCode: 'cement',
      branch: '水泥熟料',
      currentGrade: 'C',
      targetGrade: 'B',
      ...over,
    });

  beforeEach(() => {
    ctx = createTestContext();
    enterpriseId = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏瑞泰水泥有限公司',
        cityCode: '6401',
        countyCode: '640104',
      }),
    ).id;
  });
  afterEach(() => closeAppContext(ctx));

  it('adds an industry to an enterprise with its current and target grade', () => {
    const p = createProcess(ctx, draft({ rulesetId: 'cement-clinker', name: '1#熟料线' }));
    expect(listProcesses(ctx, enterpriseId)).toEqual([p]);
    expect(listOutbox(ctx.db).at(-1)).toMatchObject({ table: 'enterprise_processes', rowId: p.id });
  });

  it('accepts the industry by its name and stores its code', () => {
    expect(createProcess(ctx, draft({ industryCode: '水泥' })).industryCode).toBe('cement');
  });

  it('refuses an unknown industry, or a branch of another industry', () => {
    expect(thrown(() => createProcess(ctx, draft({ industryCode: '造纸' }))).message).toBe(
      '未知的重点行业类型“造纸”',
    );
    expect(thrown(() => createProcess(ctx, draft({ branch: '电解锰' }))).issues?.[0]?.path).toBe(
      'branch',
    );
  });

  it('refuses a grade the branch’s scheme does not have', () => {
    const err = thrown(() => createProcess(ctx, draft({ targetGrade: 'B-' })));
    expect(err.issues).toEqual([
      {
        path: 'targetGrade',
        message: '绩效提升目标“B-”不是水泥（水泥熟料）的等级（可选：A、B、C、D）',
      },
    ]);
  });

  it('takes the grades of a 引领性 branch', () => {
    expect(() =>
      createProcess(
        ctx,
        draft({
          industryCode: 'ferroalloy',
          branch: '电解锰',
          currentGrade: '非引领性',
          targetGrade: '引领性',
        }),
      ),
    ).not.toThrow();
  });

  it('allows every grade of the plan where the branch’s scheme is not sourced', () => {
    expect(() =>
      createProcess(ctx, draft({ industryCode: 'lime-kiln', branch: '石灰窑', targetGrade: 'B-' })),
    ).not.toThrow();
  });

  it('refuses a ruleset written for another industry', () => {
    expect(
      thrown(() => createProcess(ctx, draft({ rulesetId: 'manganese-leading' }))).issues?.[0]?.path,
    ).toBe('rulesetId');
    expect(thrown(() => createProcess(ctx, draft({ rulesetId: 'no-such' }))).message).toContain(
      '找不到指标体系',
    );
  });

  it('refuses the same industry and branch twice for one enterprise', () => {
    createProcess(ctx, draft());
    expect(thrown(() => createProcess(ctx, draft())).code).toBe('conflict');
  });

  it('records only changed fields on edit and refuses moving a process to another enterprise', () => {
    const p = createProcess(ctx, draft());
    updateProcess(ctx, p.id, draft({ improvements: '建设SCR脱硝' }));
    expect(listOutbox(ctx.db).at(-1)?.values).toEqual({ improvements: '建设SCR脱硝' });
    const other = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({ name: '另一家', cityCode: 'NINGDONG' }),
    ).id;
    expect(thrown(() => updateProcess(ctx, p.id, draft({ enterpriseId: other }))).code).toBe(
      'invalid_input',
    );
  });

  it('hides the processes of a deleted enterprise and brings them back with it', () => {
    const p = createProcess(ctx, draft());
    const name = getEnterprise(ctx, enterpriseId).name;
    trashEnterprise(ctx, { id: enterpriseId, confirmName: name });
    expect(listProcesses(ctx, enterpriseId)).toEqual([]);
    // The processes themselves are not touched: no op names them.
    expect(listOutbox(ctx.db).filter((o) => o.rowId === p.id)).toHaveLength(1);
    restoreFromTrash(ctx, { kind: 'enterprise', id: enterpriseId });
    expect(listProcesses(ctx, enterpriseId).map((x) => x.id)).toEqual([p.id]);
  });

  it('refuses a due date that is not a date', () => {
    expect(
      ProcessDraftSchema.safeParse({
        enterpriseId,
        industryCode: 'cement',
        branch: '水泥熟料',
        dueDate: '年底',
      }).success,
    ).toBe(false);
    expect(draft({ dueDate: '2025-09' }).dueDate).toBe('2025-09');
  });
});
