import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  launchBrowser,
  screenshot,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

const COMPANY = '宁夏贺兰山水泥有限公司';
const OTHER = '宁夏天元锰业有限公司';

let app: RunningApp;
let browser: Browser;
let page: Page;

function call<T>(method: string, input: unknown): Promise<T> {
  return apiCall<T>(app, method, input);
}

interface Detail {
  inspection: { id: string };
  members: { id: string }[];
}

/** A visit of the enterprise, signed by its team and finalized. */
async function finalizedVisit(enterpriseId: string, processId: string, date: string) {
  const visit = await call<Detail>('inspection.start', {
    enterpriseId,
    date,
    type: '帮扶指导',
    members: [{ name: '马建国', role: '执法' }],
    processIds: [processId],
  });
  for (const m of visit.members) {
    await call('inspection.confirm', { inspectionId: visit.inspection.id, memberId: m.id });
  }
  await call('inspection.finalize', { id: visit.inspection.id });
}

function row(name: string) {
  return tableRows(page).filter({ hasText: name });
}

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-trash-'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6401',
    countyCode: '640122',
    address: '贺兰县德胜工业园区',
  });
  const process = await call<{ id: string }>('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  await finalizedVisit(enterprise.id, process.id, '2026-10-12');
  await finalizedVisit(enterprise.id, process.id, '2026-11-20');
  await call('plan.draft', { enterpriseId: enterprise.id });
  await call('enterprise.create', { name: OTHER, creditCode: null, cityCode: 'NINGDONG' });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a person deleting an enterprise by mistake and getting it back', () => {
  it('sees what would go with the enterprise before anything is deleted', async () => {
    await page.goto(app.url);
    await row(COMPANY).waitFor();
    await row(COMPANY)
      .getByRole('button', { name: /^删\s*除$/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('该企业的以下记录将一并删除：').waitFor();
    const lines = await dialog.locator('.deletion-lines li').allTextContents();
    expect(lines).toEqual([
      '2 次检查，其中 2 次已定稿（签字确认的正式记录）',
      '一企一策方案 1 份',
      '行业与工序 1 项',
    ]);
    await dialog.getByText(/30 天内可连同以上记录一起恢复/).waitFor();
    const remove = dialog.getByRole('button', { name: '删除并移入回收站' });
    expect(await remove.isDisabled()).toBe(true);
  });

  it('can delete only after giving a reason and typing the enterprise’s full name', async () => {
    const dialog = page.getByRole('dialog');
    const remove = dialog.getByRole('button', { name: '删除并移入回收站' });
    await dialog.getByLabel('输入企业全称确认').fill('宁夏贺兰山水泥');
    await dialog.getByText('与企业全称不一致').waitFor();
    await dialog.getByLabel('输入企业全称确认').fill(COMPANY);
    // Finalized visits go too: the reason is required.
    expect(await remove.isDisabled()).toBe(true);
    await dialog.getByLabel('删除原因').fill('与另一条企业记录重复');
    await expect.poll(() => remove.isEnabled()).toBe(true);
    await page.waitForTimeout(400); // the button's colour transition, for the screenshot
    await screenshot(page, 'trash-01-confirm-delete');
    await remove.click();
    await page.getByText(`已将“${COMPANY}”移入回收站，30 天内可恢复`).waitFor();
    await expect.poll(() => row(COMPANY).count()).toBe(0);
    expect(await row(OTHER).count()).toBe(1);
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByRole('table').first().waitFor();
    await expect.poll(() => row(COMPANY).count()).toBe(0);
  });

  it('finds it in 回收站 with who deleted it, why and how long it stays, and restores it with its visits and plan', async () => {
    await page.getByRole('menuitem', { name: /回收站/ }).click();
    const entry = row(COMPANY);
    await entry.waitFor();
    const text = (await entry.textContent()) ?? '';
    expect(text).toContain('企业');
    expect(text).toContain('与另一条企业记录重复');
    expect(text).toContain('还剩 30 天');
    expect(text).toContain('本机');
    // antd's loading veil and its message toasts have no role: waited out by class.
    await expect.poll(() => page.locator('.ant-spin-blur, .ant-message-notice').count()).toBe(0);
    await screenshot(page, 'trash-02-recycle-bin');

    await entry.getByRole('button', { name: /^恢\s*复$/ }).click();
    await page.getByText(`已恢复“${COMPANY}”及其检查、方案等记录`).waitFor();
    await page.getByText('回收站是空的').waitFor();

    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    await row(COMPANY).waitFor();
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await expect.poll(() => row(COMPANY).count()).toBe(2);
    await page.getByRole('menuitem', { name: /提升方案/ }).click();
    await expect.poll(() => row(COMPANY).count()).toBe(1);
    await screenshot(page, 'trash-03-restored-plan');
  });

  it('deletes a plan from its page and brings it back from 回收站', async () => {
    await row(COMPANY).getByText(COMPANY).click();
    await page.locator('.plan-title').waitFor();
    await page.getByRole('button', { name: '删除方案' }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '删除这份提升方案？' });
    await confirm.waitFor();
    await confirm.getByRole('button', { name: '删除并移入回收站' }).click();
    await page.getByText('已将方案移入回收站，30 天内可恢复').waitFor();
    await expect.poll(() => row(COMPANY).count()).toBe(0);

    await page.getByRole('menuitem', { name: /回收站/ }).click();
    const entry = row(COMPANY);
    await entry.waitFor();
    expect(await entry.textContent()).toContain('一企一策方案');
    await entry.getByRole('button', { name: /^恢\s*复$/ }).click();
    await page.getByText(`已恢复一企一策方案（${COMPANY}）`).waitFor();
    await page.getByRole('menuitem', { name: /提升方案/ }).click();
    await expect.poll(() => row(COMPANY).count()).toBe(1);
  });
});
