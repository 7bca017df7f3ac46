import fs from 'node:fs';
import path from 'node:path';

import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { tempDir } from '../helpers/context';

import { launchBrowser, screenshot, startApp, type RunningApp } from './browser';

const GOOD = path.resolve('test', 'fixtures', 'annex2', 'good-unmerged.xlsx');
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

let app: RunningApp;
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  dir = tempDir('uplift-e2e-annex2-');
  app = await startApp(path.join(dir, 'data'));
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

/** The list a city sent, with one county typed into the wrong city (惠农区 → 兴庆区 under 石嘴山市). */
async function badCopy(): Promise<string> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(GOOD);
  const ws = wb.worksheets[0]!;
  ws.getCell('C7').value = '兴庆区';
  const file = path.join(dir, '清单-有误.xlsx');
  await wb.xlsx.writeFile(file);
  return file;
}

async function importFile(file: string): Promise<void> {
  await page.locator('[data-testid="registry-file"]').setInputFiles(file);
  await page.getByRole('dialog', { name: '导入预览' }).waitFor();
  await page.waitForTimeout(400);
}

describe('a city officer exchanging the 提级扩面 list in Excel', () => {
  it('is shown the bad row of a list, and nothing is imported', async () => {
    await page.getByText('暂无企业').first().waitFor();
    await importFile(await badCopy());
    const problems = page.locator('table.import-problems, .import-problems table').first();
    await problems.waitFor();
    const text = (await problems.textContent()) ?? '';
    expect(text).toContain('7');
    expect(text).toContain('兴庆区');
    expect(text).toContain('不属于石嘴山市');
    expect(await page.getByRole('button', { name: /确认导入/ }).isDisabled()).toBe(true);
    await screenshot(page, 'annex2-01-problem');
    // The footer's 关 闭 (antd spaces two characters), not the corner's 关闭 icon.
    await page
      .getByRole('dialog', { name: '导入预览' })
      .getByRole('button', { name: /^关\s+闭$/ })
      .click();
    expect(await page.getByText('暂无企业').count()).toBeGreaterThan(0);
  });

  it('imports the corrected list after a preview', async () => {
    await importFile(GOOD);
    await screenshot(page, 'annex2-02-preview');
    await page
      .getByText(/新增企业\s*5 家/)
      .first()
      .waitFor();
    await screenshot(page, 'annex2-02-preview');
    await page.getByRole('button', { name: /确认导入/ }).click();
    await page.getByRole('cell', { name: '宁夏瑞泰水泥有限公司' }).waitFor();
    await expect.poll(() => page.getByText('共 5 家企业').count()).toBeGreaterThan(0);
  });

  it('finds an enterprise by part of its name', async () => {
    await page.getByLabel('搜索企业').fill('青铜峡铸');
    await expect.poll(() => page.getByText('共 1 家企业').count()).toBeGreaterThan(0);
    expect(await page.getByRole('cell', { name: '宁夏青铜峡铸造有限公司' }).count()).toBe(1);
    await screenshot(page, 'annex2-03-search');
    await page.getByLabel('搜索企业').fill('');
    await expect.poll(() => page.getByText('共 5 家企业').count()).toBeGreaterThan(0);
  });

  it('exports the list in the government’s layout', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出清单/ }).click(),
    ]);
    const file = path.join(dir, download.suggestedFilename());
    await download.saveAs(file);
    expect(fs.existsSync(file)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const cells = (r: number) =>
      (ws.getRow(r).values as unknown[])
        .slice(1)
        .map((v) =>
          typeof v === 'string'
            ? v
            : typeof v === 'number'
              ? String(v)
              : v
                ? JSON.stringify(v)
                : '',
        );
    expect(cells(2)[0]).toBe('重点行业绩效分级“提级扩面”企业清单');
    expect(cells(3)[0]).toMatch(/^日期：\d{4}年\d{1,2}月\d{1,2}日$/);
    expect(cells(4)).toEqual(HEADERS);
    const names = [5, 6, 7, 8, 9, 10].map((r) => cells(r)[3]);
    // The cement plant runs two industries: two lines, its name merged down both.
    expect(names.filter((n) => n === '宁夏瑞泰水泥有限公司')).toHaveLength(2);
    expect(names).toContain('宁夏宁东锰业有限公司');
    const remarks = [5, 6, 7, 8, 9, 10].map((r) => cells(r)[12] ?? '');
    expect(remarks.some((r) => r.startsWith('另涉及：石灰窑'))).toBe(true);
  });
});
