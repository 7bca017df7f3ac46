import { execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  choose,
  closeByCorner,
  launchBrowser,
  radioLabel,
  screenshot,
  startApp,
  startCentral,
  tableRows,
  type RunningApp,
} from './browser';

/**
 * 审核评定 from a team's finding to a published grade (issue #18): a team's finalized visit, its
 * 申报 B on the city's device, the city's 初审 there, the region's 复审 on another device after
 * both synced, the registry showing 认定等级 B, and the region publishing the list with it.
 */

const PASSWORD = 'Yinchuan-2026!';
const COMPANY = '宁夏银川审核测试水泥有限公司';

let central: { url: string; process: ChildProcess };
let city: RunningApp;
let region: RunningApp;
let browser: Browser;
let context: BrowserContext;
let cityPage: Page;
let regionPage: Page;

function addUser(dir: string, username: string, role: string, scope: string, name: string): void {
  execFileSync(
    process.execPath,
    [
      'bin/uplift.js',
      'user',
      'add',
      username,
      '--role',
      role,
      '--scope',
      scope,
      '--name',
      name,
      '--password',
      PASSWORD,
      '--data-dir',
      dir,
    ],
    { env: { ...process.env, DATABASE_URL: '' } },
  );
}

interface Detail {
  inspection: { id: string };
  members: { id: string }[];
}

/** A cement plant of 银川 whose finalized visit the team graded. */
async function seedFinalizedVisit(app: RunningApp): Promise<void> {
  const call = <T>(method: string, input: unknown) => apiCall<T>(app, method, input);
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: '91640100MA76AB123D',
    cityCode: '6401',
    countyCode: '640104',
  });
  const process = await call<{ id: string }>('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  const visit = await call<Detail>('inspection.start', {
    enterpriseId: enterprise.id,
    date: '2026-11-18',
    type: '核查',
    members: [
      { name: '马建国', role: '执法' },
      { name: '杨帆', role: '专家' },
    ],
    processIds: [process.id],
  });
  const id = visit.inspection.id;
  for (const [indicatorId, fact] of [
    ['transport.road-clean-share', 85],
    ['transport.road-other-guo4', true],
  ] as const) {
    await call('inspection.saveAnswer', {
      inspectionId: id,
      processId: process.id,
      indicatorId,
      fact,
    });
  }
  for (const member of visit.members) {
    await call('inspection.confirm', { inspectionId: id, memberId: member.id });
  }
  await call('inspection.finalize', { id });
}

async function logIn(app: RunningApp, username: string): Promise<void> {
  await apiCall(app, 'sync.configure', { server: central.url });
  await apiCall(app, 'sync.login', { username, password: PASSWORD });
}

async function sync(app: RunningApp): Promise<void> {
  await apiCall(app, 'sync.run', {});
}

async function openReviews(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: /审核评定/ }).click();
}

beforeAll(async () => {
  const serverDir = tempDir('uplift-e2e-review-central-');
  addUser(serverDir, 'li.jing', '市级审核', '银川市', '李静');
  addUser(serverDir, 'zhao.min', '自治区复审', '全区', '赵敏');
  central = await startCentral(serverDir);
  // Syncing by hand only: a background run would pull between the steps.
  const env = { UPLIFT_BACKGROUND_SYNC: '0' };
  [city, region] = await Promise.all([
    startApp(tempDir('uplift-e2e-review-city-'), env),
    startApp(tempDir('uplift-e2e-review-region-'), env),
  ]);
  await seedFinalizedVisit(city);
  await logIn(city, 'li.jing');
  await logIn(region, 'zhao.min');
  browser = await launchBrowser();
  context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  cityPage = await context.newPage();
  regionPage = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([city?.stop(), region?.stop()]);
  central?.process.kill('SIGTERM');
});

describe('an application from the team’s finding to a published grade', () => {
  it('applies for B on the registry, resting on the finalized visit', async () => {
    const page = cityPage;
    await page.goto(city.url);
    const row = tableRows(page).filter({ hasText: COMPANY });
    await row.getByRole('button', { name: '申报' }).click();
    const drawer = page.getByRole('dialog', { name: `申报：${COMPANY}` });
    await drawer.waitFor();
    await choose(page, 'apply_targetGrade', 'B');
    await drawer
      .locator('.apply-route')
      .getByText(/市级初审/)
      .waitFor();
    await drawer.locator('#apply_inspectionIds').click();
    await page.locator('.ant-select-item-option', { hasText: '2026-11-18' }).click();
    await drawer.getByLabel('申报人').fill('马建国');
    await screenshot(page, 'review-01-apply');
    await drawer.getByRole('button', { name: '提交申报' }).click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('lets the city’s reviewer see the materials side by side and pass the 初审', async () => {
    const page = cityPage;
    await openReviews(page);
    const row = tableRows(page).filter({ hasText: COMPANY });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('待初审');
    await screenshot(page, 'review-02-queue');
    await row.getByText(COMPANY).click();
    const drawer = page.locator('.ant-drawer-open').last();
    await drawer.getByText('审核意见').waitFor();
    // Let the drawer's opening animation finish before the picture.
    await page.waitForTimeout(600);
    await screenshot(page, 'review-03-materials');
    await radioLabel(drawer, '通过').click();
    await drawer
      .getByLabel('审核意见')
      .fill('材料齐全，现场核查结果与申报等级相符，同意报自治区复审。');
    await drawer
      .getByRole('button', { name: /提\s*交/ })
      .last()
      .click();
    await expect.poll(() => drawer.textContent()).toContain('待复审');
    await screenshot(page, 'review-04-after-first-review');
    await closeByCorner(drawer);
    await drawer.waitFor({ state: 'hidden' });
  });

  it('lets the region’s reviewer pass the 复审 on another device after both synced', async () => {
    await sync(city);
    await sync(region);
    const page = regionPage;
    await page.goto(region.url);
    await openReviews(page);
    const row = tableRows(page).filter({ hasText: COMPANY });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await row.textContent()).toContain('待复审');
    await row.getByText(COMPANY).click();
    const drawer = page.locator('.ant-drawer-open').last();
    await drawer.getByText('审核意见').waitFor();
    await radioLabel(drawer, '通过').click();
    await drawer.getByLabel('审核意见').fill('同意认定为B级。');
    await drawer.getByLabel('认定文号（选填）').fill('宁环函〔2026〕128号');
    await drawer
      .getByRole('button', { name: /提\s*交/ })
      .last()
      .click();
    await expect.poll(() => drawer.textContent()).toContain('已通过');
    expect(await drawer.textContent()).toContain('李静');
    await screenshot(page, 'review-05-approved');
    await closeByCorner(drawer);
    await drawer.waitFor({ state: 'hidden' });
  });

  it('shows 认定等级 B in the registry beside the team’s finding', async () => {
    const page = regionPage;
    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    const official = tableRows(page).filter({ hasText: COMPANY }).locator('.official-grade');
    await expect.poll(() => official.textContent()).toMatch(/^B级?\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator('thead').textContent()).toContain('核查等级');
    await screenshot(page, 'review-06-registry');
  });

  it('publishes the region’s list, and the exported workbook holds the enterprise at B', async () => {
    const page = regionPage;
    await page.getByRole('menuitem', { name: /信息公开/ }).click();
    const publish = page.getByRole('button', { name: '发布第1期' });
    await publish.click();
    const dialog = page.getByRole('dialog', { name: /第1期公示名单/ });
    await dialog.getByRole('button', { name: '发布第1期' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const edition = tableRows(page).filter({ hasText: '第1期' });
    await expect.poll(() => edition.count()).toBeGreaterThan(0);
    await screenshot(page, 'review-07-published');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '导出第1期 Excel' }).click(),
    ]);
    const file = path.join(tempDir('uplift-e2e-review-export-'), download.suggestedFilename());
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.worksheets[0]!;
    const lines: string[][] = [];
    sheet.eachRow((r) => {
      const values = Array.isArray(r.values) ? r.values : [];
      lines.push(
        values
          .slice(1)
          .map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : '')),
      );
    });
    const line = lines.find((l) => l.includes(COMPANY));
    expect(line).toBeDefined();
    expect(line).toContain('B');
    expect(line).toContain('91640100MA76AB123D');
    expect(line).toContain('银川市');
  });

  it('brings the official grade back to the city’s device on its next sync', async () => {
    await sync(region);
    await sync(city);
    const page = cityPage;
    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    const official = tableRows(page).filter({ hasText: COMPANY }).locator('.official-grade');
    await expect.poll(() => official.textContent(), { timeout: 20_000 }).toMatch(/^B级?\d{4}/);
  });
});
