import { execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { appendOps } from '../../db/changes';
import type { SyncedTableName } from '../../db/synced-tables';
import { createEnterprise } from '../../electron/services/enterprises';
import { buildBundle } from '../../electron/services/sync-bundle';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import { formatHlc } from '../../shared/sync/hlc';
import { tempDir } from '../helpers/context';
import { closeAppContext, createDevice } from '../helpers/sync';

import {
  apiCall,
  closeByCorner,
  launchBrowser,
  screenshot,
  startApp,
  startCentral,
  tableRows,
  type RunningApp,
} from './browser';

const PASSWORD = 'Yinchuan-2026!';

let central: { url: string; process: ChildProcess };
let app: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const serverDir = tempDir('uplift-e2e-central-');
  execFileSync(
    process.execPath,
    [
      'bin/uplift.js',
      'user',
      'add',
      'ma.jianguo',
      '--role',
      '帮扶队员',
      '--scope',
      '银川市',
      '--name',
      '马建国',
      '--password',
      PASSWORD,
      '--data-dir',
      serverDir,
    ],
    { env: { ...process.env, DATABASE_URL: '' } },
  );
  central = await startCentral(serverDir);
  // Syncing by hand only: a background run would relay and pull between the steps.
  app = await startApp(tempDir('uplift-e2e-sync-'), { UPLIFT_BACKGROUND_SYNC: '0' });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await apiCall(app, 'enterprise.create', {
    name: '宁夏银川同步测试水泥有限公司',
    creditCode: null,
    cityCode: '6401',
    countyCode: '640104',
  });
});

/**
 * A USB bundle from a device running a newer Uplift: an enterprise with two fields this version
 * does not have, a row of a table it does not have (a review of that enterprise), and a process
 * of an enterprise that has not arrived. Returns the bundle's path.
 */
function newerDeviceBundle(): string {
  const ctx = createDevice(9, { now: () => Date.now() });
  try {
    const enterprise = createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏金鼎建材有限公司',
        cityCode: '6401',
        countyCode: '640104',
      }),
    );
    const hlc = formatHlc({ wallMs: Date.now(), counter: 0, node: ctx.device.deviceId });
    const op = (table: string, rowId: string, values: Record<string, unknown>) => ({
      table: table as SyncedTableName,
      rowId,
      values,
      hlc,
      baseClocks: null,
    });
    ctx.db.sqlite
      .transaction(() =>
        appendOps(ctx.db, ctx.device, [
          op('enterprises', enterprise.id, {
            emissionPermitNo: '91640100MA76XXXX01001P',
            gradeNote:
              '2026 年 10 月专家复核：回转窑脱硝已改造为 SCR，氮氧化物小时均值稳定在 50 mg/m³ 以下，' +
              '物料运输清洁方式占比 82%，建议按 B 级申报，待核查在线监测数据后确认。',
          }),
          op('reviews', ctx.device.newId(), {
            enterpriseId: enterprise.id,
            stage: '初审',
            verdict: '通过',
          }),
          op('enterprise_processes', ctx.device.newId(), {
            enterpriseId: '0190ffff-0000-7000-8000-0000000000e9',
            industryCode: 'cement',
            branch: '水泥熟料',
            createdAt: Date.now(),
          }),
        ]),
      )
      .immediate();
    const bundle = buildBundle(ctx);
    const file = path.join(tempDir('uplift-e2e-bundle-'), bundle.fileName);
    fs.writeFileSync(file, bundle.data);
    return file;
  } finally {
    closeAppContext(ctx);
  }
}

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  central?.process.kill('SIGTERM');
});

describe('a team syncing with the office on return', () => {
  it('shows pending changes and never says up to date before a sync', async () => {
    await page.goto(app.url);
    await page.getByRole('menuitem', { name: /同步/ }).click();
    await expect.poll(() => page.locator('.sync-line').textContent()).toContain('条修改待上传');
    await screenshot(page, 'sync-01-pending');
  });

  it('is refused a wrong password with a message, and nothing changes', async () => {
    await page.getByLabel('中心服务器地址').fill(central.url);
    await page.getByRole('button', { name: /保存地址/ }).click();
    await page.getByLabel('用户名').fill('ma.jianguo');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    // antd's message toasts have no role (no alert, no status): found by class.
    await page.locator('.ant-message').getByText(/密码/).waitFor();
    expect(await page.getByText('已登录').count()).toBe(0);
  });

  it('logs in, syncs, and then is up to date', async () => {
    await page.getByLabel('密码').fill(PASSWORD);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByText(/已登录：马建国/).waitFor();
    await page.getByRole('button', { name: /立即同步/ }).click();
    await expect
      .poll(() => page.locator('.sync-line').textContent(), { timeout: 60_000 })
      .toContain('已是最新');
    await screenshot(page, 'sync-02-up-to-date');
  });

  it('lists what a newer version’s bundle brought that this version keeps aside, and why', async () => {
    await page.locator('.sync-page input[type=file]').setInputFiles(newerDeviceBundle());
    await page.getByRole('button', { name: /知道了/ }).click();
    const notice = page.locator('.sync-deferred');
    await expect.poll(() => notice.textContent()).toContain('暂未应用');
    expect(await notice.textContent()).toContain('较新版本的字段，升级后生效（2 项）');
    // The toasts of the sync and the import must not cover what the screenshots show (a toast
    // has no role: found by class).
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await screenshot(page, 'sync-03-deferred-notice');
    await notice.getByRole('button', { name: /查\s*看/ }).click();
    const drawer = page.locator('.deferred-drawer');
    await drawer.getByText('暂未应用的数据（3 条记录，9 项）').waitFor();
    const rows = tableRows(drawer);
    expect(await rows.count()).toBe(3);
    const reviewRow = rows.filter({ hasText: 'reviews' });
    expect(await reviewRow.textContent()).toContain('宁夏金鼎建材有限公司');
    expect(await reviewRow.textContent()).toContain('来自较新版本的数据表，升级后生效');
    const enterpriseRow = rows.filter({ hasText: 'emissionPermitNo' });
    expect(await enterpriseRow.textContent()).toContain('宁夏金鼎建材有限公司');
    expect(await enterpriseRow.textContent()).toContain('U盘数据包');
    const waiting = rows.filter({ hasText: '等待所属记录到达' });
    expect(await waiting.locator('.deferred-label').textContent()).toBe('行业与工序');
    // Fields by their Chinese names; one this version does not know, by its own.
    expect(await waiting.textContent()).toContain('分支：');
    expect(await enterpriseRow.textContent()).toContain('emissionPermitNo：');
    // Let the drawer's opening animation finish before the picture.
    await page.waitForTimeout(600);
    await screenshot(page, 'sync-04-deferred-list');
    await enterpriseRow.locator('.deferred-value', { hasText: '…' }).hover();
    await page
      .getByRole('tooltip')
      .getByText(/待核查在线监测数据后确认/)
      .waitFor();
    await screenshot(page, 'sync-05-deferred-full-value');
  });

  it('relays the bundle’s ops to the central store on the next sync, and shows what it refused', async () => {
    await closeByCorner(page.locator('.deferred-drawer'));
    await page.locator('.deferred-drawer').waitFor({ state: 'hidden' });
    expect(await page.locator('.sync-line').textContent()).toContain('待转交');
    await page.getByRole('button', { name: /立即同步/ }).click();
    await expect
      .poll(() => page.locator('.sync-line').textContent(), { timeout: 60_000 })
      .not.toContain('待转交');
    const refused = page.locator('.sync-relay');
    await refused.waitFor();
    expect(await refused.textContent()).toContain('被中心退回');
    // A toast has no role: found by class.
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await screenshot(page, 'sync-06-relay');
    // The laptop still holds them: the office hands them back and the warning goes.
    const handBack = refused.getByRole('button', { name: '交由原设备处理' });
    expect(await handBack.count()).toBe(1);
    await handBack.click();
    await page.getByText('已交由原设备处理').waitFor();
    await expect.poll(() => refused.count()).toBe(0);
  });
});
