import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tempDir } from '../helpers/context';

import {
  choose,
  closeByCorner,
  lastDialog,
  launchBrowser,
  screenshot,
  startApp,
  type RunningApp,
} from './browser';

let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-library-'));
  browser = await launchBrowser();
  page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  await page.goto(app.url);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('an expert using the 分级指标库', () => {
  it('sees the shipped rulesets marked 指标待核实', async () => {
    await page.getByRole('menuitem', { name: /分级指标库/ }).click();
    await page.getByRole('cell', { name: '水泥熟料', exact: true }).waitFor();
    expect(await page.getByText('指标待核实').count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'library-01-list');
  });

  it('reads a ruleset as the guideline’s table, grades as columns', async () => {
    await page.getByRole('cell', { name: '水泥熟料', exact: true }).click();
    await page.getByText('运输方式').first().waitFor();
    for (const header of ['A', 'B', 'C', 'D']) {
      expect(
        await page.getByRole('columnheader', { name: new RegExp(`^${header}`) }).count(),
      ).toBeGreaterThan(0);
    }
    expect(await page.getByText(/≥\s*80/).count()).toBeGreaterThan(0);
    expect(await page.getByText('应急减排措施').count()).toBeGreaterThan(0);
    await screenshot(page, 'library-02-cement-table');
  });

  it('downloads the Excel template', async () => {
    await page.getByRole('button', { name: /返回指标库/ }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /下载模板/ }).click(),
    ]);
    const file = path.join(tempDir(), download.suggestedFilename());
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toContain('指标');
  });

  it('is shown every problem of a broken ruleset file, and nothing is imported', async () => {
    const broken = JSON.parse(
      fs.readFileSync(path.resolve('resources', 'rulesets', 'cement-clinker-2020.json'), 'utf8'),
    ) as { id: string; indicators: { require: Record<string, unknown> }[] };
    broken.id = 'cement-broken';
    broken.indicators[0]!.require.D = 10;
    broken.indicators[0]!.require.B = '八十';
    const file = path.join(tempDir(), 'cement-broken.json');
    fs.writeFileSync(file, JSON.stringify(broken));
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: /导入指标体系/ }).click(),
    ]);
    await chooser.setFiles(file);
    await page.getByText(/兜底等级，不能有要求/).waitFor();
    expect(await page.getByText(/应为数字，实为 “八十”/).count()).toBe(1);
    // Let the dialog's opening animation finish before the picture.
    await page.waitForTimeout(600);
    await screenshot(page, 'library-03-import-problems');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('cell', { name: 'cement-broken' }).count()).toBe(0);
  });
});

describe('a team recording an enterprise’s industries', () => {
  it('adds 水泥熟料 with its current and target grade to an enterprise', async () => {
    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    await page.getByRole('button', { name: /新增企业/ }).click();
    await page.locator('#enterprise_name').fill('宁夏瑞泰水泥有限公司');
    await choose(page, 'enterprise_cityCode', '石嘴山市');
    await choose(page, 'enterprise_countyCode', '平罗县');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('cell', { name: '宁夏瑞泰水泥有限公司' }).waitFor();

    await page
      .getByRole('button', { name: /行业与工序/ })
      .first()
      .click();
    await page.getByRole('button', { name: /新增行业\/工序/ }).click();
    await choose(page, 'process_industryCode', '水泥', true);
    await choose(page, 'process_branch', '水泥熟料');
    await choose(page, 'process_rulesetId', '水泥熟料分级指标（2020 版）');
    await choose(page, 'process_currentGrade', 'C');
    await choose(page, 'process_targetGrade', 'B');
    await page.locator('#process_name').fill('1#熟料线');
    await page.locator('#process_dueDate').fill('2025-09');
    await lastDialog(page)
      .getByRole('button', { name: /保\s*存/ })
      .click();
    await page.getByRole('cell', { name: '1#熟料线' }).waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, 'registry-07-processes');
  });
});

// Last: the new edition it installs becomes the library's latest for cement-clinker-2020.
describe('an expert importing a new edition of a ruleset', () => {
  it('sees what would change and who may publish it, then installs it', async () => {
    const edited = JSON.parse(
      fs.readFileSync(path.resolve('resources', 'rulesets', 'cement-clinker-2020.json'), 'utf8'),
    ) as {
      edition: string;
      status: string;
      indicators: {
        id: string;
        title: string;
        dimension: string;
        kind: string;
        require: Record<string, unknown>;
      }[];
    };
    edited.edition = '2026';
    edited.indicators[0]!.require.A = 35;
    edited.indicators.splice(1, 1);
    edited.indicators.push({
      id: 'monitoring.video-new',
      dimension: '监测监控水平',
      title: '厂区视频监控',
      kind: 'bool',
      require: { A: true },
    });
    const file = path.join(tempDir(), '水泥熟料2026.json');
    fs.writeFileSync(file, JSON.stringify(edited));
    // The drawers the team left open close first, the top one first.
    const open = page.getByRole('dialog');
    for (let count = await open.count(); count > 0; count--) {
      await closeByCorner(open.last());
      await expect.poll(() => open.count()).toBe(count - 1);
    }
    await page.getByRole('menuitem', { name: /分级指标库/ }).click();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByRole('button', { name: /导入指标体系/ }).click(),
    ]);
    await chooser.setFiles(file);
    const dialog = page.getByRole('dialog');
    await dialog.getByText(/新增 1 项、删除 1 项、修改 1 项指标/).waitFor();
    expect(await dialog.getByText(/本机尚未登录同步账号/).count()).toBe(1);
    expect(await dialog.getByText('厂区视频监控（是否）').count()).toBe(1);
    await page.waitForTimeout(600);
    await screenshot(page, 'library-04-import-preview');
    await dialog.getByRole('button', { name: /安\s*装/ }).click();
    await page.getByText('已导入').waitFor();
    await page.getByRole('cell', { name: '2026', exact: true }).first().waitFor();
  });
});
