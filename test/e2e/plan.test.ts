import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  ARTIFACTS,
  launchBrowser,
  pickDate,
  screenshot,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

const COMPANY = '宁夏六盘山水泥有限公司';

let app: RunningApp;
let browser: Browser;
let page: Page;

function call<T>(method: string, input: unknown): Promise<T> {
  return apiCall<T>(app, method, input);
}

interface Detail {
  inspection: { id: string };
  members: { id: string }[];
  processes: { processId: string }[];
}

/** A finalized visit of a cement plant short of its target B on clean road transport. */
async function seedFinalizedVisit(): Promise<void> {
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6404',
    countyCode: '640402',
    address: '固原市原州区工业园区',
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
    type: '帮扶指导',
    members: [
      { name: '马建国', role: '执法' },
      { name: '杨帆', role: '专家' },
    ],
    processIds: [process.id],
  });
  const id = visit.inspection.id;
  const answers: [string, unknown][] = [
    ['transport.road-clean-share', 62],
    ['transport.road-other-guo4', true],
    ['transport.in-plant-vehicles', false],
    ['transport.non-road-machinery', true],
  ];
  for (const [indicatorId, fact] of answers) {
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

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-plan-'));
  browser = await launchBrowser();
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  page = await context.newPage();
  await seedFinalizedVisit();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('an expert turning a finalized visit into the enterprise plan', () => {
  it('drafts the plan from the visit: one measure per gap to the target', async () => {
    await page.goto(app.url);
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByText(COMPANY).click();
    await page.getByRole('button', { name: /起草提升方案/ }).click();
    await page.locator('.plan-page').waitFor();
    const rows = tableRows(page.locator('.measures-table'));
    await expect.poll(() => rows.count()).toBe(2);
    const text = await page.locator('.measures-table').textContent();
    expect(text).toContain('清洁运输');
    expect(text).toContain('62%');
    await screenshot(page, 'plan-01-drafted');
  });

  it('edits a measure, enters a limit and readings, and saves a second version', async () => {
    const share = tableRows(page.locator('.measures-table')).filter({ hasText: '62%' });
    await share.getByLabel(/责任人/).fill('王经理');
    await pickDate(share.getByLabel(/完成期限/), '2027-06-30');
    await share.getByLabel(/预计投资/).fill('120');
    await share
      .getByLabel(/整改措施/)
      .fill('新购置国六重型货车20辆，淘汰国四车辆；与运输公司签订清洁运输协议');
    await page.getByText('未保存（已暂存在本机').waitFor();

    await page.getByRole('tab', { name: '环保税减免测算' }).click();
    await page.getByRole('button', { name: /添加限值/ }).click();
    await page.getByLabel('排放口编号').first().fill('DA001');
    await page.getByLabel('污染物').first().fill('颗粒物');
    await page.getByLabel('排放限值').fill('10');
    await page.getByLabel('执行标准').fill('GB 4915-2013');
    await page.getByRole('button', { name: /添加读数/ }).click();
    await page.getByLabel('监测浓度').fill('4.5');
    await expect.poll(() => page.locator('.tax-editor').textContent()).toContain('减按50%征收');
    await screenshot(page, 'plan-02-tax');

    await page.getByLabel('修改说明').fill('补充责任人与投资，录入颗粒物限值');
    await page.getByRole('button', { name: /保存为新版本/ }).click();
    await page.getByText('已保存（第 2 版）').waitFor();
    expect(await page.locator('.plan-versions').textContent()).toContain('补充责任人与投资');
  });

  it('is approved by the expert and confirmed by the enterprise, and the registry follows', async () => {
    await page.getByRole('button', { name: /专家审定/ }).click();
    await page.getByLabel('审定专家').fill('杨帆');
    await page.getByLabel('审定意见').fill('措施可行，同意按此方案实施');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await page.locator('.plan-versions', { hasText: '专家审定 · 杨帆' }).waitFor();
    await page.getByRole('button', { name: /企业确认/ }).click();
    await page.getByRole('dialog').getByText('书面回执', { exact: true }).click();
    await page.getByLabel('企业确认人').fill('李总');
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定/ })
      .click();
    await page.locator('.plan-versions', { hasText: '企业确认 · 李总' }).waitFor();
    await screenshot(page, 'plan-03-confirmed');

    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    const row = page.getByRole('row', { name: new RegExp(COMPANY) });
    await row.getByRole('button', { name: '行业与工序' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByRole('button', { name: '展开行' }).first().click();
    await expect.poll(() => drawer.textContent()).toContain('新购置国六重型货车20辆');
    await screenshot(page, 'plan-04-registry-columns');
    await drawer
      .getByRole('button', { name: /close|关闭/i })
      .first()
      .click();
  });

  it('prints the confirmed plan as a PDF that names the gaps and measures', async () => {
    await page.getByRole('menuitem', { name: /提升方案/ }).click();
    await page.getByText(COMPANY).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: /导出 PDF/ }).click(),
    ]);
    const file = path.join(ARTIFACTS, 'plan.pdf');
    await download.saveAs(file);
    expect(fs.readFileSync(file).subarray(0, 4).toString()).toBe('%PDF');
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(COMPANY);
    expect(text).toContain('新购置国六重型货车20辆');
    expect(text).toContain('指标待核实');
    expect(download.suggestedFilename()).toContain('一企一策提升方案');
  });
});
