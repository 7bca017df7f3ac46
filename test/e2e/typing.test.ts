import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  launchBrowser,
  screenshot,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

const COMPANY = '宁夏青铜峡水泥有限公司';
const NOTE = '厂区东侧料场未全封闭，道路有积尘';
const PLAN_COMPANY = '宁夏固原瑞安水泥有限公司';
const OWNER = '王经理（设备部）';

const dataDir = tempDir('uplift-e2e-typing-');
let app: RunningApp;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let visitId: string;

async function newTab(): Promise<Page> {
  context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  return context.newPage();
}

async function openVisit(p: Page): Promise<void> {
  await p.getByRole('menuitem', { name: /现场检查/ }).click();
  await tableRows(p).filter({ hasText: COMPANY }).first().getByText(COMPANY).click();
  await p.locator('.visit-title', { hasText: COMPANY }).waitFor();
}

beforeAll(async () => {
  app = await startApp(dataDir);
  browser = await launchBrowser();
  const enterprise = await apiCall<{ id: string }>(app, 'enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6403',
    countyCode: '640381',
    address: null,
  });
  const process = await apiCall<{ id: string }>(app, 'process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  const visit = await apiCall<{ inspection: { id: string } }>(app, 'inspection.start', {
    enterpriseId: enterprise.id,
    date: '2026-12-01',
    type: '核查',
    members: [{ name: '马建国', role: '执法' }],
    processIds: [process.id],
    note: null,
  });
  visitId = visit.inspection.id;
  await seedPlan();
});

/** A plan drafted from a finalized visit of a second plant (short of B on road transport). */
async function seedPlan(): Promise<void> {
  const enterprise = await apiCall<{ id: string }>(app, 'enterprise.create', {
    name: PLAN_COMPANY,
    creditCode: null,
    cityCode: '6404',
    countyCode: '640402',
    address: null,
  });
  const process = await apiCall<{ id: string }>(app, 'process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  const visit = await apiCall<{ inspection: { id: string }; members: { id: string }[] }>(
    app,
    'inspection.start',
    {
      enterpriseId: enterprise.id,
      date: '2026-11-18',
      type: '帮扶指导',
      members: [{ name: '杨帆', role: '专家' }],
      processIds: [process.id],
    },
  );
  const id = visit.inspection.id;
  for (const [indicatorId, fact] of [
    ['transport.road-clean-share', 62],
    ['transport.road-other-guo4', true],
    ['transport.in-plant-vehicles', true],
    ['transport.non-road-machinery', true],
  ] as const) {
    await apiCall(app, 'inspection.saveAnswer', {
      inspectionId: id,
      processId: process.id,
      indicatorId,
      fact,
    });
  }
  for (const member of visit.members) {
    await apiCall(app, 'inspection.confirm', { inspectionId: id, memberId: member.id });
  }
  await apiCall(app, 'inspection.finalize', { id });
  await apiCall(app, 'plan.draft', { enterpriseId: enterprise.id });
}

async function openPlan(p: Page): Promise<void> {
  await p.getByRole('menuitem', { name: /提升方案/ }).click();
  await p.getByText(PLAN_COMPANY).first().click();
  await p.locator('.plan-page').waitFor();
}

/** Kills the app with SIGKILL, closes the tab as a crashed window would, and starts it again. */
async function killAndRestart(): Promise<void> {
  const before = app.url;
  app.process.kill('SIGKILL');
  await new Promise((resolve) => app.process.once('exit', resolve));
  await context.close();
  app = await startApp(dataDir);
  expect(app.url).toBe(before);
}

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('typing when the app is killed', () => {
  it('comes back after a kill -9 mid-typing, with a notice of what was restored', async () => {
    page = await newTab();
    await page.goto(app.url);
    await openVisit(page);
    const before = app.url;
    await page.getByLabel('检查备注').pressSequentially(NOTE, { delay: 15 });
    // Killed right after the last keystrokes, before the autosave pause (400 ms) has passed.
    await page.waitForTimeout(200);
    app.process.kill('SIGKILL');
    await new Promise((resolve) => app.process.once('exit', resolve));
    // The tab dies too, as the window does with the desktop app: nothing kept in it helps.
    await context.close();

    app = await startApp(dataDir);
    expect(app.url).toBe(before);
    const saved = await apiCall<{ inspection: { note: string | null } }>(app, 'inspection.get', {
      id: visitId,
    });
    expect(saved.inspection.note).toBeNull();

    page = await newTab();
    await page.goto(app.url);
    await openVisit(page);
    await page.getByText('已恢复上次未保存的 1 处输入，并已重新保存').waitFor();
    expect(await page.getByLabel('检查备注').inputValue()).toBe(NOTE);
    await expect
      .poll(
        async () =>
          (
            await apiCall<{ inspection: { note: string | null } }>(app, 'inspection.get', {
              id: visitId,
            })
          ).inspection.note,
      )
      .toBe(NOTE);
    await page.locator('.save-status', { hasText: '已保存' }).waitFor();
    await screenshot(page, 'typing-01-restored');
  });

  it('brings back a plan field typed just before a kill -9, to be saved as a new version', async () => {
    await openPlan(page);
    const owner = tableRows(page.locator('.measures-table'))
      .first()
      .getByLabel(/责任人/);
    await owner.pressSequentially(OWNER, { delay: 15 });
    await page.waitForTimeout(200);
    await killAndRestart();

    page = await newTab();
    await page.goto(app.url);
    await openPlan(page);
    await page.getByText('已恢复上次未保存的 1 处输入（还需点“保存为新版本”）').waitFor();
    expect(
      await tableRows(page.locator('.measures-table'))
        .first()
        .getByLabel(/责任人/)
        .inputValue(),
    ).toBe(OWNER);
    await page.getByText('未保存（已暂存在本机').waitFor();
    await screenshot(page, 'typing-03-plan-restored');
    await page.getByRole('button', { name: /保存为新版本/ }).click();
    await page.getByText('已保存（第 2 版）').waitFor();
  });
});

describe('a tab left open across a restart', () => {
  it('keeps working after the app restarts with the same address', async () => {
    const before = app.url;
    await app.stop();
    app = await startApp(dataDir);
    expect(app.url).toBe(before);

    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    await tableRows(page).filter({ hasText: COMPANY }).first().waitFor();
    expect(await page.locator('body').textContent()).not.toContain('访问令牌');
  });

  it('says in Chinese how to reopen once the token was changed with --new-token', async () => {
    await app.stop();
    app = await startApp(dataDir, {}, ['--new-token']);

    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByText('Uplift 已更换访问令牌，这个页面不能再使用').waitFor();
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).toContain('请在浏览器中打开');
    expect(text).not.toMatch(/npm|缺少或错误的访问令牌/);
    await screenshot(page, 'typing-02-token-changed');
  });
});
