/**
 * Export of the registry as 附件2 (export.ts): the seed's layout, the filters, a round trip through
 * import, the file written whole, and the task's phases.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pendingOpCount } from '../../../../db/repositories/device';
import { searchIndexPaused } from '../../../../db/repositories/enterprises';
import {
  exportAnnex2,
  exportAnnex2ToFile,
  importAnnex2,
} from '../../../../electron/services/annex2';
import type { AppContext } from '../../../../electron/services/context';
import { fillDemo } from '../../../../electron/services/demo';
import { createEnterprise, listEnterprises } from '../../../../electron/services/enterprises';
import { createProcess, listProcesses } from '../../../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { type ProcessDraftInput, ProcessDraftSchema } from '../../../../shared/domain/process';
import { closeAppContext, createTestContext, tempDir } from '../../../helpers/context';
import { HEADERS, fixture, openWorkbook, rejection, snapshot, values } from './helpers';

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
