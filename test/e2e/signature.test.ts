import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import { apiCall, launchBrowser, screenshot, startApp, type RunningApp } from './browser';

const COMPANY = '宁夏石嘴山建材有限公司';

let app: RunningApp;
let browser: Browser;
let page: Page;
let visitId: string;

function call<T>(method: string, input: unknown): Promise<T> {
  return apiCall<T>(app, method, input);
}

/** Writes a name-like scrawl across the pad with the mouse: pointer events, as a hand would. */
async function scrawl(pad: Locator): Promise<void> {
  // The dialog zooms in; the pad takes no pointer until it stands still (a hand is slower).
  await expect
    .poll(async () => {
      const before = JSON.stringify(await pad.boundingBox());
      await page.waitForTimeout(100);
      return before === JSON.stringify(await pad.boundingBox());
    })
    .toBe(true);
  const box = await pad.boundingBox();
  if (!box) throw new Error('the signature pad is not on screen');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 40, y);
  await page.mouse.down();
  for (let i = 1; i <= 40; i++) {
    const x = box.x + 40 + i * ((box.width - 80) / 40);
    await page.mouse.move(x, y + Math.sin(i / 3) * (box.height / 4), { steps: 2 });
  }
  await page.mouse.up();
  await page.mouse.move(box.x + 80, box.y + 30);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width - 120, box.y + box.height - 30, { steps: 20 });
  await page.mouse.up();
}

/** Whether an <img> has loaded a picture of its own (not a broken image). */
function loaded(img: Locator): Promise<boolean> {
  return img.evaluate(
    (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
  );
}

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-sign-'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6402',
    countyCode: '640205',
    address: '石嘴山市惠农区工业园区',
  });
  const process = await call<{ id: string }>('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  const visit = await call<{ inspection: { id: string } }>('inspection.start', {
    enterpriseId: enterprise.id,
    date: '2026-11-21',
    type: '帮扶指导',
    members: [
      { name: '马建国', role: '执法' },
      { name: '杨帆', role: '专家' },
    ],
    processIds: [process.id],
  });
  visitId = visit.inspection.id;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('signing a visit record on screen', () => {
  it('lets a team member sign with the mouse, and shows the signature beside the name', async () => {
    await page.goto(app.url);
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByText(COMPANY).click();
    await page.locator('.visit-title', { hasText: COMPANY }).waitFor();
    const team = page.locator('.team-card');
    await team.getByRole('button', { name: '展开检查组' }).click();
    await team.getByRole('button', { name: '马建国签名' }).click();

    const dialog = page.getByRole('dialog', { name: /请马建国（执法）签名/ });
    const save = dialog.getByRole('button', { name: '保存签名' });
    expect(await save.isDisabled()).toBe(true);
    await scrawl(dialog.getByLabel('签名框'));
    await expect.poll(() => save.isDisabled()).toBe(false);
    await screenshot(page, 'sign-01-dialog');
    await save.click();
    await dialog.waitFor({ state: 'hidden' });

    const row = team.getByRole('row', { name: /马建国/ });
    const signature = row.getByRole('img', { name: '马建国的签名' });
    await signature.waitFor();
    await expect.poll(() => loaded(signature)).toBe(true);
    expect(await row.getByText(/已确认/).count()).toBe(1);
    // Only the one who signed is confirmed; the other still signs or confirms.
    const other = team.getByRole('row', { name: /杨帆/ });
    expect(await other.getByRole('button', { name: '杨帆签名' }).count()).toBe(1);
  });

  it('lets the enterprise’s representative sign under a name, kept as evidence of the visit', async () => {
    const team = page.locator('.team-card');
    await team.getByRole('button', { name: '企业陪同人员签名' }).click();
    const dialog = page.getByRole('dialog', { name: '企业陪同人员签名' });
    await dialog.getByLabel('签名人姓名').fill('王强');
    await scrawl(dialog.getByLabel('签名框'));
    await dialog.getByRole('button', { name: '保存签名' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const signature = team.getByRole('img', { name: '王强的签名' });
    await signature.waitFor();
    await expect.poll(() => loaded(signature)).toBe(true);
    await screenshot(page, 'sign-02-signed');

    const detail = await call<{
      signatures: { signerName: string; signerRole: string }[];
      evidence: unknown[];
    }>('inspection.get', { id: visitId });
    expect(detail.signatures.map((s) => [s.signerName, s.signerRole])).toEqual([
      ['马建国', '执法'],
      ['王强', '企业陪同人员'],
    ]);
    expect(detail.evidence).toEqual([]);
  });
});
