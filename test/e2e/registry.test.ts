import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { completeCreditCode } from '../../shared/domain/credit-code';
import { tempDir } from '../helpers/context';

import { choose, launchBrowser, screenshot, startApp, type RunningApp } from './browser';

const GOOD_CODE = completeCreditCode('91640100MA75X1234');
const BAD_CODE = `${GOOD_CODE.slice(0, 17)}${GOOD_CODE.endsWith('0') ? '1' : '0'}`;

let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 800 }, locale: 'zh-CN' });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a person keeping the enterprise registry in browser mode', () => {
  it('opens the app in Chinese on the registry', async () => {
    await page.goto(app.url);
    await expect
      .poll(() => page.getByRole('menuitem', { name: /企业台账/ }).count())
      .toBeGreaterThan(0);
    await expect.poll(() => page.getByText('暂无企业').count()).toBeGreaterThan(0);
    await screenshot(page, '01-empty-registry');
  });

  it('is refused a wrong credit code with its message, and nothing is saved', async () => {
    await page.getByRole('button', { name: /新增企业/ }).click();
    await page.locator('#enterprise_name').fill('宁夏瑞泰水泥有限公司');
    await page.locator('#enterprise_creditCode').fill(BAD_CODE);
    await choose(page, 'enterprise_cityCode', '银川市');
    await choose(page, 'enterprise_countyCode', '兴庆区');
    await page.locator('#enterprise_address').fill('宁夏回族自治区银川市兴庆区建设路1号');
    await page.locator('#enterprise_contactPerson').fill('王伟');
    await page.locator('#enterprise_contactPhone').fill('0951-5012345');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    const error = page.getByText(/校验位错误/).first();
    await error.waitFor();
    expect(await error.textContent()).toContain(`第18位应为“${GOOD_CODE.charAt(17)}”`);
    expect(await page.getByText('暂无企业').count()).toBeGreaterThan(0);
    await screenshot(page, '02-wrong-credit-code');
  });

  it('adds the enterprise once the code is right', async () => {
    await page.locator('#enterprise_creditCode').fill(GOOD_CODE);
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('cell', { name: '宁夏瑞泰水泥有限公司' }).waitFor();
    await expect.poll(() => page.getByRole('cell', { name: GOOD_CODE }).count()).toBe(1);
    await screenshot(page, '03-enterprise-added');
  });

  it('still shows the saved enterprise after a reload', async () => {
    await page.reload();
    await page.getByRole('cell', { name: '宁夏瑞泰水泥有限公司' }).waitFor();
    expect(await page.getByRole('cell', { name: '兴庆区', exact: true }).count()).toBe(1);
    await screenshot(page, '04-after-reload');
  });

  it('finds the enterprise by part of its name', async () => {
    await page.getByRole('button', { name: /新增企业/ }).click();
    await page.locator('#enterprise_name').fill('宁夏天元锰业有限公司');
    await choose(page, 'enterprise_cityCode', '宁东能源化工基地');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByRole('cell', { name: '宁夏天元锰业有限公司' }).waitFor();
    await page.getByLabel('搜索企业').fill('瑞泰');
    await expect
      .poll(() => page.getByRole('cell', { name: '宁夏天元锰业有限公司' }).count())
      .toBe(0);
    expect(await page.getByRole('cell', { name: '宁夏瑞泰水泥有限公司' }).count()).toBe(1);
    await screenshot(page, '05-search');
  });

  it('shows the data folder and pending changes on the settings screen', async () => {
    await page.getByRole('menuitem', { name: /设置/ }).click();
    await page.getByText('待同步的修改').waitFor();
    await screenshot(page, '06-settings');
  });
});
