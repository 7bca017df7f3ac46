import { execFileSync, spawn, type ChildProcess } from 'node:child_process';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import { apiCall, launchBrowser, screenshot, startApp, type RunningApp } from './browser';

const PASSWORD = 'Yinchuan-2026!';

let central: { url: string; process: ChildProcess };
let app: RunningApp;
let browser: Browser;
let page: Page;

/** `uplift serve` on a free port and its own folder (embedded PGlite), as an office runs it. */
async function startCentral(dataDir: string): Promise<{ url: string; process: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['bin/uplift.js', 'serve', '--host', '127.0.0.1', '--port', '0', '--data-dir', dataDir],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: '' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/[\d.]+:\d+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1].replace('0.0.0.0', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)));
  });
  return { url, process: child };
}

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
  app = await startApp(tempDir('uplift-e2e-sync-'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  await apiCall(app, 'enterprise.create', {
    name: '宁夏银川同步测试水泥有限公司',
    creditCode: null,
    cityCode: '6401',
    countyCode: '640104',
  });
});

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
});
