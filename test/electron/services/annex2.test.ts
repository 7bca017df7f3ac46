import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { listAnnex2Rows } from '../../../db/repositories/annex2';
import { listOutbox, pendingOpCount } from '../../../db/repositories/device';
import { searchIndexPaused } from '../../../db/repositories/enterprises';
import {
  exportAnnex2,
  exportAnnex2ToFile,
  importAnnex2,
  parseAnnex2,
  planImport,
  previewImport,
} from '../../../electron/services/annex2';
import { loadAnnex2Workbook } from '../../../electron/services/annex2/workbook';
import type { AppContext } from '../../../electron/services/context';
import { fillDemo } from '../../../electron/services/demo';
import { createEnterprise, listEnterprises } from '../../../electron/services/enterprises';
import { createProcess, listProcesses } from '../../../electron/services/processes';
import type { ImportProblem } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/errors';
import { EnterpriseDraftSchema } from '../../../shared/domain/enterprise';
import { ProcessDraftSchema, type ProcessDraftInput } from '../../../shared/domain/process';
import { CODES } from '../../fixtures/annex2/make-fixtures';
import { closeAppContext, createTestContext, tempDir } from '../../helpers/context';

const FIXTURES = path.resolve('test', 'fixtures', 'annex2');
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

const HEADERS = [
  '序号',
  '地级市',
  '县（市、区）',
  '企业名称',
  '重点行业类型',
  '重点行业分支',
  '绩效现状',
  '绩效提升目标',
  '差异化指标',
  '存在问题',
  '改进措施',
  '拟完成时间',
  '备注',
];

/** The list's content of a registry, comparable across registries (no ids, no clocks). */
function snapshot(ctx: AppContext) {
  return listAnnex2Rows(ctx.db, {}).map((r) => ({
    name: r.name,
    cityCode: r.cityCode,
    countyCode: r.countyCode,
    industryCode: r.industryCode,
    branch: r.branch,
    currentGrade: r.currentGrade,
    targetGrade: r.targetGrade,
    differentiators: r.differentiators,
    problems: r.problems,
    improvements: r.improvements,
    dueDate: r.dueDate,
    remark: r.remark,
  }));
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function openWorkbook(data: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

/** Row values 1..13 as plain values (null for empty). */
function values(ws: ExcelJS.Worksheet, r: number): unknown[] {
  return HEADERS.map((_, c) => ws.getRow(r).getCell(c + 1).value ?? null);
}

/** Loads a workbook, lets `edit` change it, and returns the new file. */
async function edited(data: Buffer, edit: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  edit(wb.worksheets[0]!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('附件2 import', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext({ resources: 'shipped' });
  });
  afterEach(() => closeAppContext(ctx));

  it('imports a hand-filled list with its grades, dates and remarks normalised, one op per new row', async () => {
    const preview = await importAnnex2(ctx, fixture('good.xlsx'));
    expect(preview).toMatchObject({
      rows: 6,
      enterprisesAdded: 5,
      processesAdded: 5,
      changed: [],
      unchanged: 0,
      problems: [],
    });
    expect(pendingOpCount(ctx.db)).toBe(10);
    expect(snapshot(ctx)).toEqual([
      {
        name: '宁夏瑞泰水泥有限公司',
        cityCode: '6401',
        countyCode: '640181',
        industryCode: 'cement',
        branch: '水泥熟料',
        currentGrade: 'B',
        targetGrade: 'A',
        differentiators: '窑尾氮氧化物≤50mg/m³',
        problems: '脱硝效率偏低',
        improvements: '建设SCR脱硝',
        dueDate: '2025-09-30',
        remark: '新建二线同步改造',
      },
      {
        name: '宁夏瑞泰水泥有限公司',
        cityCode: '6401',
        countyCode: '640181',
        industryCode: 'lime-kiln',
        branch: '石灰窑',
        currentGrade: 'C',
        targetGrade: 'B',
        differentiators: null,
        problems: '无组织排放',
        improvements: '料场全封闭',
        dueDate: '2025-09',
        remark: null,
      },
      {
        name: '宁夏惠农焦化有限公司',
        cityCode: '6402',
        countyCode: '640205',
        industryCode: 'coking',
        branch: '常规机焦炉',
        currentGrade: 'B-',
        targetGrade: 'B',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2025-09',
        remark: null,
      },
      {
        name: '宁夏青铜峡铸造有限公司',
        cityCode: '6403',
        countyCode: '640381',
        industryCode: 'casting',
        branch: '铸件生产企业（采用天然气、电炉熔化设备）',
        currentGrade: 'D',
        targetGrade: 'C',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2025-12',
        remark: '园区统一供气后实施',
      },
      {
        name: '宁夏中宁新材料有限公司',
        cityCode: '6405',
        countyCode: '640521',
        industryCode: null,
        branch: null,
        currentGrade: null,
        targetGrade: null,
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: null,
        remark: null,
      },
      {
        name: '宁夏宁东锰业有限公司',
        cityCode: 'NINGDONG',
        countyCode: null,
        industryCode: 'ferroalloy',
        branch: '电解法金属锰（电解锰）',
        currentGrade: '非引领性',
        targetGrade: '引领性',
        differentiators: null,
        problems: null,
        improvements: null,
        dueDate: '2026-06',
        remark: null,
      },
    ]);
    const codes = ctx.db.sqlite
      .prepare('SELECT credit_code AS c FROM enterprises WHERE credit_code IS NOT NULL ORDER BY 1')
      .all() as { c: string }[];
    expect(codes.map((r) => r.c).sort()).toEqual([CODES.cement, CODES.coking].sort());
    // New processes are graded by their branch's shipped ruleset where it has one.
    const cement = ctx.db.sqlite
      .prepare("SELECT ruleset_id AS r FROM enterprise_processes WHERE industry_code = 'cement'")
      .get() as { r: string };
    expect(cement.r).toBe('cement-clinker-2020');
  });

  it('reads 序号, 地级市, 县（市、区） and 企业名称 merged down an enterprise’s rows as repeated values', async () => {
    const merged = await importAnnex2(ctx, fixture('good.xlsx'));
    const other = createTestContext({ resources: 'shipped' });
    try {
      expect(await importAnnex2(other, fixture('good-unmerged.xlsx'))).toEqual(merged);
      expect(snapshot(other)).toEqual(snapshot(ctx));
    } finally {
      closeAppContext(other);
    }

    const loaded = await loadAnnex2Workbook(fixture('good.xlsx'));
    if (!loaded || 'refused' in loaded) throw new Error('good.xlsx did not load');
    const ws = loaded.workbook.worksheets[0]!;
    // The merge list was taken aside (exceljs's own merging is quadratic) and resolved by cell().
    expect(ws.hasMerges).toBe(false);
    expect(loaded.cell(ws, 6, 4).value).toBe('宁夏瑞泰水泥有限公司');
    expect(loaded.cell(ws, 6, 14).value).toBe(CODES.cement);
    expect(loaded.cell(ws, 3, 5).value).toBe(null);
  });

  it('reads a 地级市 merged down a whole city or across 县（市、区）, and skips rows that only share merged cells', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.addRow(['重点行业绩效分级“提级扩面”企业清单']);
    ws.addRow(HEADERS);
    ws.addRow([1, '吴忠市', '利通区', '宁夏利通水泥有限公司', '水泥', '粉磨站', 'C', 'B']);
    ws.addRow([2, null, '青铜峡市', '宁夏青铜峡石灰有限公司', '石灰窑', '石灰窑', 'D', 'C']);
    ws.addRow([3, null, '青铜峡市', '宁夏青铜峡电石有限公司', '电石', '电石', 'C', 'B']);
    ws.addRow([4]); // a numbered template row left empty, inside the city's merge
    ws.addRow([5, '宁东基地', null, '宁夏宁东煤化工有限公司', '煤化工/现代煤化工']);
    ws.mergeCells('B3:B6');
    ws.mergeCells('C4:C5');
    ws.mergeCells('B7:C7'); // 宁东基地 across 地级市 and 县（市、区）
    const preview = await previewImport(ctx, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(preview).toMatchObject({
      rows: 4,
      enterprisesAdded: 4,
      processesAdded: 4,
      problems: [],
    });
  });

  it('changes nothing, and records no ops, when the same file is imported a second time', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const ops = pendingOpCount(ctx.db);
    const before = snapshot(ctx);
    const again = await importAnnex2(ctx, fixture('good.xlsx'));
    expect(again).toMatchObject({
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
      unchanged: 6,
    });
    expect(pendingOpCount(ctx.db)).toBe(ops);
    expect(snapshot(ctx)).toEqual(before);
    // The same list without its 信用代码 column matches by name and county just as well.
    expect(await previewImport(ctx, fixture('good-unmerged.xlsx'))).toMatchObject({
      enterprisesAdded: 0,
      processesAdded: 0,
      changed: [],
    });
  });

  it('updates only the fields a file changes, listing each from → to, through one op per row', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const seq = pendingOpCount(ctx.db);
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('G7').value = 'A级'; // 焦化 绩效现状 B- → A
      ws.getCell('L7').value = '2025年12月31日';
      ws.getCell('M5').value = '另涉及：石灰窑；二线已投产';
    });
    const preview = await previewImport(ctx, file);
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
    expect(await previewImport(ctx, file)).toMatchObject({
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
      const preview = await previewImport(ctx, fixture(file));
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
    const preview = await previewImport(ctx, file);
    expect(preview.problems.map((p) => [p.row, p.column])).toEqual([
      [7, '地级市'],
      [8, '绩效现状'],
      [9, '拟完成时间'],
    ]);
  });

  it.each([
    ['not a workbook', 'not-a-workbook.xlsx', '文件不是有效的 Excel 工作簿'],
    ['an empty workbook', 'empty.xlsx', '文件是空的'],
    ['a workbook without the list’s header', 'no-header.xlsx', '找不到表头'],
  ])('refuses a file that is %s, saying so', async (_what, file, says) => {
    const preview = await previewImport(ctx, fixture(file));
    expect(preview.problems).toEqual([
      { row: null, column: null, value: null, message: expect.stringContaining(says) as string },
    ]);
    const e = await rejection(importAnnex2(ctx, fixture(file)));
    expect(e.message).toContain(says);
    expect(e.message).toContain('未导入任何内容');
    expect(pendingOpCount(ctx.db)).toBe(0);
  });

  it('refuses a header that lacks a column the list needs', async () => {
    const file = await edited(fixture('good.xlsx'), (ws) => {
      ws.getCell('F4').value = '说明';
    });
    expect((await previewImport(ctx, file)).problems).toEqual([
      {
        row: 4,
        column: '重点行业分支',
        value: null,
        message: '缺少列「重点行业分支」（第 4 行是表头）',
      },
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
    expect((await previewImport(ctx, file)).problems).toEqual([
      {
        row: 7,
        column: '绩效现状',
        value: '优秀',
        message:
          '绩效现状“优秀”不是焦化（常规机焦炉）的等级（可选：A、B、B-、C、D、引领性、非引领性）',
      },
    ]);
  });

  it('stops before writing anything when cancelled during the check', async () => {
    const seen: string[] = [];
    const off = ctx.events.subscribe((event, payload) => {
      if (event !== 'task.progress') return;
      const p = payload as { phase: string; done: number; total: number };
      seen.push(p.phase);
      if (p.phase === '校验' && p.done === p.total) ctx.tasks.cancel('import-1');
    });
    const e = await rejection(
      ctx.tasks.run(ctx, 'import-1', (task) => importAnnex2(ctx, fixture('good.xlsx'), task)),
    );
    off();
    expect(e.code).toBe('cancelled');
    expect(seen).toContain('读取');
    expect(seen).not.toContain('写入');
    expect(pendingOpCount(ctx.db)).toBe(0);
    expect(snapshot(ctx)).toEqual([]);
  });

  it('exposes parse, plan and apply as separate steps, the plan writing nothing', async () => {
    const parsed = await parseAnnex2(fixture('good.xlsx'), ctx.catalog);
    expect(parsed.rows).toHaveLength(6);
    const plan = planImport(ctx, parsed);
    expect(plan.newEnterprises).toHaveLength(5);
    expect(plan.newProcesses).toHaveLength(5);
    expect(pendingOpCount(ctx.db)).toBe(0);
  });
});

describe('附件2 export', () => {
  let ctx: AppContext;
  beforeEach(() => {
    ctx = createTestContext({ resources: 'shipped' });
  });
  afterEach(() => closeAppContext(ctx));

  it('lays the list out as the seed: title, 日期, the 13 headers, one row per enterprise × industry, the 注 lines and print setup', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const result = await exportAnnex2(ctx, {});
    expect(result).toMatchObject({ rows: 6, enterprises: 5 });
    expect(result.fileName).toBe('提级扩面企业清单-20261128.xlsx');
    const ws = await openWorkbook(result.data);

    expect(ws.getCell('A1').value).toBe('附件2');
    expect(ws.getCell('A2').value).toBe('重点行业绩效分级“提级扩面”企业清单');
    expect(ws.getCell('M2').isMerged).toBe(true);
    expect(ws.getCell('M2').master.address).toBe('A2');
    // The test clock reads 2026-11-28 03:00 UTC: 11:00 in Ningxia.
    expect(ws.getCell('A3').value).toBe('日期：2026年11月28日');
    expect(values(ws, 4)).toEqual(HEADERS);

    expect(values(ws, 5)).toEqual([
      1,
      '银川市',
      '灵武市',
      '宁夏瑞泰水泥有限公司',
      '水泥',
      '水泥熟料',
      'B',
      'A',
      '窑尾氮氧化物≤50mg/m³',
      '脱硝效率偏低',
      '建设SCR脱硝',
      '2025年9月30日',
      '另涉及：石灰窑；新建二线同步改造',
    ]);
    // The second industry of the same enterprise: 序号 to 企业名称 merged with the row above.
    expect(values(ws, 6)).toEqual([
      1,
      '银川市',
      '灵武市',
      '宁夏瑞泰水泥有限公司',
      '石灰窑',
      '石灰窑',
      'C',
      'B',
      null,
      '无组织排放',
      '料场全封闭',
      '2025年9月',
      '另涉及：水泥',
    ]);
    for (const col of ['A', 'B', 'C', 'D'])
      expect(ws.getCell(`${col}6`).master.address).toBe(`${col}5`);
    expect(ws.getCell('E6').isMerged).toBe(false);
    expect(values(ws, 7).slice(0, 8)).toEqual([
      2,
      '石嘴山市',
      '惠农区',
      '宁夏惠农焦化有限公司',
      '焦化',
      '常规机焦炉',
      'B-',
      'B',
    ]);
    expect(values(ws, 9)).toEqual([
      4,
      '中卫市',
      '中宁县',
      '宁夏中宁新材料有限公司',
      ...Array<null>(9).fill(null),
    ]);
    expect(values(ws, 10).slice(0, 8)).toEqual([
      5,
      '宁东能源化工基地',
      null,
      '宁夏宁东锰业有限公司',
      '铁合金',
      '电解法金属锰（电解锰）',
      '非引领性',
      '引领性',
    ]);
    expect(ws.getCell('A11').text).toMatch(/^注：1\.重点行业类型及重点行业分支/);
    expect(ws.getCell('M11').master.address).toBe('A11');
    expect(ws.getCell('A12').text).toMatch(/^2\.企业存在跨行业时/);
    expect(ws.rowCount).toBe(12);

    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '4:4',
    });
    expect(ws.getColumn(4).width).toBeGreaterThan(ws.getColumn(1).width!);
    const cell = ws.getCell('J5');
    expect(cell.alignment).toMatchObject({ wrapText: true });
    expect(cell.border).toMatchObject({
      top: { style: 'thin' },
      left: { style: 'thin' },
      bottom: { style: 'thin' },
      right: { style: 'thin' },
    });
  });

  it('narrows by city and county, and by industry to that industry’s rows while 备注 still names the others', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const yinchuan = await openWorkbook((await exportAnnex2(ctx, { cityCode: '6401' })).data);
    expect(values(yinchuan, 5)[3]).toBe('宁夏瑞泰水泥有限公司');
    expect(values(yinchuan, 6)[3]).toBe('宁夏瑞泰水泥有限公司');
    expect(yinchuan.getCell('A7').text).toMatch(/^注/);

    const lime = await exportAnnex2(ctx, { industryCode: 'lime-kiln' });
    expect(lime).toMatchObject({ rows: 1, enterprises: 1 });
    const ws = await openWorkbook(lime.data);
    expect(values(ws, 5)).toEqual([
      1,
      '银川市',
      '灵武市',
      '宁夏瑞泰水泥有限公司',
      '石灰窑',
      '石灰窑',
      'C',
      'B',
      null,
      '无组织排放',
      '料场全封闭',
      '2025年9月',
      '另涉及：水泥',
    ]);
    expect((await exportAnnex2(ctx, { currentGrade: 'D' })).rows).toBe(1);
    expect((await exportAnnex2(ctx, { text: '焦化' })).enterprises).toBe(1);
  });

  it('round-trips a registry: export, import into an empty one gives the same list, and a second import changes nothing', async () => {
    fillDemo(ctx, { enterprises: 120, seed: 7 });
    const processes = (id: string) => listProcesses(ctx, id);
    // Texts in every column, and an enterprise of two industries with remarks of its own.
    const e = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({ name: '宁夏测试多行业有限公司', cityCode: 'NINGDONG' }),
    );
    const add = (over: Partial<ProcessDraftInput>) =>
      createProcess(
        ctx,
        ProcessDraftSchema.parse({
          enterpriseId: e.id,
          industryCode: 'coking',
          branch: '常规机焦炉',
          ...over,
        }),
      );
    add({
      currentGrade: 'B-',
      targetGrade: 'A',
      differentiators: '焦炉烟气\n颗粒物≤10',
      problems: '无组织；另涉及：不是行业',
      improvements: '干熄焦',
      dueDate: '2025-10-31',
      remark: '；以前缀分隔符开头',
    });
    add({ industryCode: 'lime-kiln', branch: '石灰窑', remark: '另涉及：说明文字不是行业' });
    add({ industryCode: 'nx-calcium-carbide', branch: '电石', dueDate: '2026-01' });
    createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏无行业有限公司',
        cityCode: '6404',
        countyCode: '640402',
      }),
    );
    expect(processes(e.id)).toHaveLength(3);

    const exported = await exportAnnex2(ctx, {});
    const ws = await openWorkbook(exported.data);
    const remarks = Array.from({ length: ws.rowCount }, (_, i) => ws.getCell(`M${i + 1}`).value);
    expect(remarks).toContain('另涉及：石灰窑、电石；；以前缀分隔符开头');
    expect(remarks).toContain('另涉及：焦化、电石；另涉及：说明文字不是行业');
    expect(remarks).toContain('另涉及：焦化、石灰窑');

    const other = createTestContext({ resources: 'shipped' });
    try {
      const first = await importAnnex2(other, exported.data);
      expect(first.problems).toEqual([]);
      expect(first.enterprisesAdded).toBe(122);
      expect(snapshot(other)).toEqual(snapshot(ctx));
      // 122 new enterprises are indexed for search together, and found at once.
      expect(searchIndexPaused(other.db)).toBe(false);
      const found = (text: string) => listEnterprises(other, { text, limit: 5, offset: 0 }).total;
      expect(found('测试多行业')).toBe(1);
      expect(found('无行')).toBe(1);
      other.db.sqlite
        .prepare(
          `INSERT INTO enterprises_fts (enterprises_fts, rank) VALUES ('integrity-check', 1)`,
        )
        .run();
      const ops = pendingOpCount(other.db);
      const second = await importAnnex2(other, exported.data);
      expect(second).toMatchObject({ enterprisesAdded: 0, processesAdded: 0, changed: [] });
      expect(pendingOpCount(other.db)).toBe(ops);
    } finally {
      closeAppContext(other);
    }
    // And into the registry it came from: nothing changes.
    const ops = pendingOpCount(ctx.db);
    expect(await importAnnex2(ctx, exported.data)).toMatchObject({
      changed: [],
      processesAdded: 0,
    });
    expect(pendingOpCount(ctx.db)).toBe(ops);
  });

  it('writes the file under a temporary name and renames it, leaving no file when cancelled', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const dir = tempDir();
    const file = path.join(dir, 'list.xlsx');
    const off = ctx.events.subscribe((event, payload) => {
      const p = payload as { phase: string };
      if (event === 'task.progress' && p.phase === '生成') ctx.tasks.cancel('export-1');
    });
    const e = await rejection(
      ctx.tasks.run(ctx, 'export-1', (task) => exportAnnex2ToFile(ctx, {}, file, task)),
    );
    off();
    expect(e.code).toBe('cancelled');
    expect(fs.readdirSync(dir)).toEqual([]);

    const done = await exportAnnex2ToFile(ctx, {}, file);
    expect(done.rows).toBe(6);
    expect(fs.readdirSync(dir)).toEqual(['list.xlsx']);
  });

  it('reports its phases 查询, 生成 and 写出 to a task', async () => {
    await importAnnex2(ctx, fixture('good.xlsx'));
    const phases = new Set<string>();
    const off = ctx.events.subscribe((event, payload) => {
      if (event === 'task.progress') phases.add((payload as { phase: string }).phase);
    });
    await ctx.tasks.run(ctx, 'export-2', (task) => exportAnnex2(ctx, {}, task));
    off();
    expect([...phases]).toEqual(['查询', '生成', '写出']);
  });
});
