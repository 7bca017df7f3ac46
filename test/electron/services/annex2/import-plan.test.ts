/**
 * Import, planning against the registry (import-plan.ts): what a file would change, from → to,
 * how rows are matched to enterprises, and every problem of a file with its row, column and value.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listOutbox, pendingOpCount } from '../../../../db/repositories/device';
import {
  importAnnex2,
  parseAnnex2,
  planAnnex2Import,
  previewAnnex2Import,
} from '../../../../electron/services/annex2';
import type { AppContext } from '../../../../electron/services/context';
import { createEnterprise } from '../../../../electron/services/enterprises';
import { createProcess } from '../../../../electron/services/processes';
import type { ImportProblem } from '../../../../shared/api/contract';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { ProcessDraftSchema } from '../../../../shared/domain/process';
import { CODES } from '../../../fixtures/annex2/make-fixtures';
import { closeAppContext, createTestContext } from '../../../helpers/context';
import { edited, fixture, rejection, snapshot } from './helpers';

describe('附件2 import: planning against the registry', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext({ resources: 'shipped' });
  });
  afterEach(() => closeAppContext(ctx));

  it('updates only the fields a file changes, listing each from → to, through one op per row', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const seq = pendingOpCount(ctx.db);
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('G7').value = 'A级'; // 焦化 绩效现状 B- → A
      ws.getCell('L7').value = '2025年12月31日';
      ws.getCell('M5').value = '另涉及：石灰窑；二线已投产';
    });
    const preview = await previewAnnex2Import(ctx, file);
    expect(preview.changed).toEqual([
      {
        row: 5,
        enterprise: '宁夏瑞泰水泥有限公司',
        industry: '水泥（水泥熟料）',
        changes: [{ field: '备注', from: '新建二线同步改造', to: '二线已投产' }],
      },
      {
        row: 7,
        enterprise: '宁夏惠农焦化有限公司',
        industry: '焦化（常规机焦炉）',
        changes: [
          { field: '绩效现状', from: 'B-', to: 'A' },
          { field: '拟完成时间', from: '2025-09', to: '2025-12-31' },
        ],
      },
    ]);
    expect(preview.unchanged).toBe(4);
    expect(pendingOpCount(ctx.db)).toBe(seq);

    await importAnnex2(ctx, file);
    const ops = listOutbox(ctx.db, seq);
    expect(ops.map((o) => o.values)).toEqual([
      { remark: '二线已投产' },
      { currentGrade: 'A', dueDate: '2025-12-31' },
    ]);
  });

  it('matches an enterprise by 信用代码 before its name, so a renamed enterprise is updated, not added', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('D7').value = '宁夏惠农煤焦化有限公司';
    });
    const preview = await importAnnex2(ctx, file);
    expect(preview).toMatchObject({ enterprisesAdded: 0, processesAdded: 0 });
    expect(preview.changed).toEqual([
      {
        row: 7,
        enterprise: '宁夏惠农煤焦化有限公司',
        industry: null,
        changes: [
          { field: '企业名称', from: '宁夏惠农焦化有限公司', to: '宁夏惠农煤焦化有限公司' },
        ],
      },
    ]);
  });

  it('leaves the fields of a column the file does not have alone, and never erases a 信用代码 with an empty cell', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const file = await edited(fixture('good.xlsx'), (ws) => {
      // Columns the list does not know are ignored: no 差异化指标, 存在问题, 改进措施 any more.
      ws.getCell('I4').value = '联系人';
      ws.getCell('J4').value = '联系电话';
      ws.getCell('K4').value = '地址';
      ws.getCell('N7').value = null; // the 信用代码 of 宁夏惠农焦化有限公司
    });
    expect(await previewAnnex2Import(ctx, file)).toMatchObject({
      changed: [],
      problems: [],
      unchanged: 6,
    });
  });

  const PROBLEMS: [string, string, ImportProblem][] = [
    [
      'a wrong 统一社会信用代码 (the optional column, here in the middle of the table)',
      'bad-credit-code.xlsx',
      {
        row: 7,
        column: '统一社会信用代码',
        value: `${CODES.coking.slice(0, 17)}0`,
        message: `统一社会信用代码“${CODES.coking.slice(0, 17)}0”校验位错误：第18位应为“${CODES.coking.slice(17)}”，实为“0”`,
      },
    ],
    [
      'an unknown city',
      'unknown-city.xlsx',
      {
        row: 7,
        column: '地级市',
        value: '石嘴市',
        message:
          '未知的地级市“石嘴市”（可填：银川市、石嘴山市、吴忠市、固原市、中卫市、宁东能源化工基地）',
      },
    ],
    [
      'a county outside its city',
      'county-outside-city.xlsx',
      {
        row: 9,
        column: '县（市、区）',
        value: '利通县',
        message:
          '县（市、区）“利通县”不属于吴忠市（可填：利通区、红寺堡区、盐池县、同心县、青铜峡市）',
      },
    ],
    [
      'an unknown industry',
      'unknown-industry.xlsx',
      {
        row: 9,
        column: '重点行业类型',
        value: '铸造业',
        message:
          '未知的重点行业类型“铸造业”：应与行业目录（国家和宁夏重点行业应急减排技术指南）中的名称一致，也可填行业代码',
      },
    ],
    [
      'a branch its industry does not have',
      'unknown-branch.xlsx',
      {
        row: 7,
        column: '重点行业分支',
        value: '捣固焦炉',
        message: '“捣固焦炉”不是焦化的行业分支（可填：常规机焦炉、热回收焦炉、半焦（兰炭））',
      },
    ],
    [
      'a grade the branch’s scheme does not have',
      'grade-not-in-scheme.xlsx',
      {
        row: 5,
        column: '绩效现状',
        value: 'B-',
        message: '绩效现状“B-”不是水泥（水泥熟料）的等级（可选：A、B、C、D）',
      },
    ],
    [
      'a 拟完成时间 that is not a date',
      'bad-date.xlsx',
      {
        row: 9,
        column: '拟完成时间',
        value: '明年年底',
        message:
          '“明年年底”不是日期：拟完成时间应为日期，如 2025-09-30、2025-09、2025年9月 或 2025.9',
      },
    ],
    [
      'an empty 企业名称',
      'empty-name.xlsx',
      { row: 9, column: '企业名称', value: null, message: '企业名称不能为空' },
    ],
    [
      'the same enterprise and industry branch twice',
      'duplicate-row.xlsx',
      {
        row: 11,
        column: '重点行业分支',
        value: '常规机焦炉',
        message: '与第 7 行重复：同一企业的焦化（常规机焦炉）只能填一行',
      },
    ],
  ];

  it.each(PROBLEMS)(
    'refuses a file with %s, naming its row, column, value and reason, and writes nothing',
    async (_what, file, problem) => {
      const preview = await previewAnnex2Import(ctx, fixture(file));
      expect(preview.problems).toEqual([problem]);
      const e = await rejection(importAnnex2(ctx, fixture(file)));
      expect(e.code).toBe('invalid_input');
      expect(e.message).toBe('文件有 1 处问题，未导入任何内容');
      expect(e.issues).toEqual([
        {
          path: `第 ${problem.row} 行「${problem.column}」`,
          message: expect.stringContaining(problem.message) as string,
        },
      ]);
      expect(pendingOpCount(ctx.db)).toBe(0);
      expect(snapshot(ctx)).toEqual([]);
    },
  );

  it('reports every problem of a file at once', async () => {
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('B7').value = '石嘴市';
      ws.getCell('G8').value = 'A';
      ws.getCell('L9').value = '2025-13';
    });
    const preview = await previewAnnex2Import(ctx, file);
    expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
      [7, '地级市'],
      [8, '绩效现状'],
      [9, '拟完成时间'],
    ]);
  });

  it('refuses a grade no scheme has, naming the grades the branch allows', async () => {
    const e = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏惠农焦化有限公司',
        cityCode: '6402',
        countyCode: '640205',
      }),
    );
    createProcess(
      ctx,
      ProcessDraftSchema.parse({
        enterpriseId: e.id,
        industryCode: 'coking',
        branch: '常规机焦炉',
      }),
    );
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('G7').value = '优秀';
    });
    expect((await previewAnnex2Import(ctx, file)).problems).toEqual([
      {
        row: 7,
        column: '绩效现状',
        value: '优秀',
        message:
          '绩效现状“优秀”不是焦化（常规机焦炉）的等级（可选：A、B、B-、C、D、引领性、非引领性）',
      },
    ]);
  });

  it('exposes parse, plan and apply as separate steps, the plan writing nothing', async () => {
    const parsed = await parseAnnex2(fixture('good.xlsx'), ctx.catalog);
    expect(parsed.rows).toHaveLength(6);
    const plan = planAnnex2Import(ctx, parsed);
    expect(plan.newEnterprises).toHaveLength(5);
    expect(plan.newProcesses).toHaveLength(5);
    expect(pendingOpCount(ctx.db)).toBe(0);
  });
});
