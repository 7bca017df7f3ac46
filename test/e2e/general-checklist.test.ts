import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  ARTIFACTS,
  launchBrowser,
  pickDate,
  radioLabel,
  screenshot,
  selectOption,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

const COMPANY = '宁夏启元药业有限公司';

let app: RunningApp;
let browser: Browser;
let page: Page;

function call<T>(method: string, input: unknown): Promise<T> {
  return apiCall<T>(app, method, input);
}

function dimension(title: string): Locator {
  return page.locator('section.dimension-card', { hasText: title });
}

async function judge(title: string, level: string): Promise<void> {
  await radioLabel(dimension(title), level).click();
}

const DIMENSIONS = [
  '装备水平',
  '能源类型',
  '原辅材料',
  '污染治理技术',
  '排放限值',
  '无组织排放',
  '监测监控水平',
  '环境管理水平',
  '运输方式',
  '运输监管',
];

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-general-'));
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  page = await context.newPage();
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6401',
    countyCode: '640181',
    address: '灵武市宁东能源化工基地',
  });
  await call('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'pharmaceutical',
    branch: '制药',
    name: '原料药车间',
    currentGrade: 'C',
    targetGrade: 'B',
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a team visiting a 制药 plant, an industry with no ruleset yet', () => {
  it('starts the visit: the process is offered with the 通用帮扶检查表', async () => {
    await page.goto(app.url);
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByRole('button', { name: /新建检查/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#visit_enterpriseId').click();
    await dialog.locator('#visit_enterpriseId').fill('启元');
    await selectOption(page, COMPANY).click();
    await pickDate(dialog.locator('#visit_date'), '2026-11-24');
    await dialog.getByLabel('成员 1 姓名').fill('马建国');
    await dialog.getByRole('button', { name: /添加成员/ }).click();
    await dialog.getByLabel('成员 2 姓名').fill('杨帆');
    const process = dialog.getByRole('checkbox', { name: /原料药车间.*通用帮扶检查表/ });
    await expect.poll(() => process.isChecked()).toBe(true);
    expect(await process.isDisabled()).toBe(false);
    await screenshot(page, 'general-01-start');
    await dialog.getByRole('button', { name: /开始检查/ }).click();
    await page.locator('.visit-title', { hasText: COMPANY }).waitFor();
    await page.locator('.general-checklist-note').waitFor();
    await expect.poll(() => page.locator('section.dimension-card').count()).toBe(10);
    expect(await dimension('无组织排放').textContent()).toContain('要看什么');
  });

  it('records findings, a reading and problems, judges every dimension, and sees the worst as 专家判定', async () => {
    for (const title of DIMENSIONS) {
      await judge(title, title === '无组织排放' || title === '运输方式' ? 'C级' : 'B级');
    }
    const fugitive = dimension('无组织排放');
    await fugitive.getByLabel('无组织排放 现状').fill('原料药粉碎、投料工序在敞开车间进行');
    await fugitive
      .getByLabel('无组织排放 存在问题')
      .fill('投料口未设集气罩，粉尘无组织逸散\n危废暂存间未密闭，VOCs 无组织排放');
    const emission = dimension('排放限值');
    await emission.getByRole('button', { name: /添加读数/ }).click();
    await emission.getByLabel('排放口').fill('DA001 发酵尾气排放口');
    await emission.getByLabel('污染物').fill('非甲烷总烃');
    // A reading typed through a Chinese IME is read as its number; text is refused under its box.
    const value = emission.getByLabel('实测值');
    /** The message under a number of the reading, the one that box names as its description. */
    const errorUnder = async (label: string) => {
      const id = await emission.getByLabel(label, { exact: true }).getAttribute('aria-describedby');
      return id ? page.locator(`[id="${id}"]`).textContent() : null;
    };
    await value.fill('abc');
    await expect
      .poll(() => errorUnder('实测值'))
      .toBe('“abc”不是数值，请填写数字（如 42.5）；未保存');
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    await value.fill('１２．５');
    await expect.poll(() => errorUnder('实测值')).toBeNull();
    expect(await emission.getByRole('alert').count()).toBe(0);
    await emission.getByLabel('限值', { exact: true }).fill('60');
    await emission.getByLabel('排放限值 现状').click();
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已保存');
    // Refused again, the number saved stays.
    await value.fill('abc');
    await expect
      .poll(() => errorUnder('实测值'))
      .toBe('“abc”不是数值，请填写数字（如 42.5）；未保存，仍为 12.5 mg/m³');
    await emission.getByLabel('基准氧含量').fill('２５');
    await expect
      .poll(() => errorUnder('基准氧含量'))
      .toBe('25% 超出范围：基准氧含量应在 0% 到 21% 之间；未保存');
    await emission.screenshot({ path: path.join(ARTIFACTS, 'general-02-reading-refused.png') });
    await emission.getByLabel('基准氧含量').fill('');

    const grade = page
      .locator('.grading-panel .grading-process', { hasText: '原料药车间' })
      .locator('.grade-tag-value');
    await expect.poll(() => grade.textContent()).toBe('专家判定 C级');
    expect(await page.locator('.grading-panel').textContent()).not.toContain('指标待核实');
    await screenshot(page, 'general-02-judged');

    // Reopened, the visit shows what was recorded.
    await page.reload();
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByText(COMPANY).first().click();
    await dimension('排放限值').waitFor();
    await expect
      .poll(() => dimension('排放限值').getByLabel('污染物').inputValue())
      .toBe('非甲烷总烃');
    expect(await dimension('排放限值').getByLabel('实测值').inputValue()).toBe('12.5');
    await expect
      .poll(() => dimension('无组织排放').getByLabel('无组织排放 存在问题').inputValue())
      .toContain('危废暂存间未密闭');
  });

  it('finalizes, drafts the plan from the problems and the dimension below target, and prints it', async () => {
    const team = page.locator('.team-card');
    await team.getByRole('button', { name: '展开检查组' }).click();
    await team.getByRole('button', { name: '马建国确认' }).click();
    await team.getByRole('button', { name: '杨帆确认' }).click();
    await team.getByRole('button', { name: /^定\s*稿$/ }).click();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /^定\s*稿$/ })
      .click();
    await expect.poll(() => page.locator('.visit-status').textContent()).toBe('已定稿');
    await screenshot(page, 'general-03-finalized');

    const [visitPdf] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出记录 PDF/ }).click(),
    ]);
    const visitFile = path.join(ARTIFACTS, 'general-visit.pdf');
    await visitPdf.saveAs(visitFile);
    const visitText = execFileSync('pdftotext', ['-layout', visitFile, '-'], { encoding: 'utf8' });
    expect(visitText).toContain('通用帮扶检查表');
    expect(visitText).toContain('专家判定');
    expect(visitText).toContain('投料口未设集气');
    expect(visitText).toContain('非甲烷总烃');

    await page.getByRole('button', { name: /起草提升方案/ }).click();
    await page.locator('.plan-page').waitFor();
    const rows = tableRows(page.locator('.measures-table'));
    // Two problems of 无组织排放, and 运输方式 below target B.
    await expect.poll(() => rows.count()).toBe(3);
    const text = await page.locator('.measures-table').textContent();
    expect(text).toContain('投料口未设集气罩，粉尘无组织逸散');
    expect(text).toContain('运输方式');
    await screenshot(page, 'general-04-plan');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 PDF/ }).click(),
    ]);
    const file = path.join(ARTIFACTS, 'general-plan.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe('%PDF');
    const planText = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(planText).toContain(COMPANY);
    expect(planText).toContain('通用帮扶检查表');
    expect(planText).toContain('危废暂存间未密闭');
    expect(planText).not.toContain('general-');
  });
});
