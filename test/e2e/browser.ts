import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export const ARTIFACTS = path.resolve('test-artifacts', 'e2e');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

export interface RunningApp {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts browser mode the way a person does (`uplift app`), on a free port and this data folder. */
export async function startApp(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<RunningApp> {
  const child = spawn(
    process.execPath,
    ['bin/uplift.js', 'app', '--port', '0', '--data-dir', dataDir, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+)/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`app exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/**
 * A table's rows that hold data: the body's rows with two cells or more (not the header's or a
 * summary's; the 暂无数据 row and an expanded row's details are one cell across; antd's measuring
 * row is hidden from the accessibility tree).
 */
export function tableRows(scope: Page | Locator): Locator {
  const page = 'page' in scope ? scope.page() : scope;
  return scope
    .locator('tbody')
    .getByRole('row')
    .filter({ has: page.getByRole('cell').nth(1) });
}

/**
 * The label of the radio named `name` in `scope`, which a person clicks: antd keeps the radio's
 * input itself under its label.
 */
export function radioLabel(scope: Locator, name: string): Locator {
  return scope
    .locator('label')
    .filter({ has: scope.page().getByRole('radio', { name, exact: true }) });
}

/** The dialog or drawer opened last (antd gives both role="dialog"; a closed one is hidden). */
export function lastDialog(page: Page): Locator {
  return page.getByRole('dialog').last();
}

/** Closes a drawer or dialog by its corner button, named 关闭 (the footer's is 关 闭). */
export async function closeByCorner(dialog: Locator): Promise<void> {
  await dialog.getByRole('button', { name: '关闭', exact: true }).click();
}

/**
 * A visible option of an open antd Select. Kept as a class: antd gives the options a person sees no
 * role (only a hidden three-item list for screen readers carries role="option").
 */
export function selectOption(page: Page, label: string): Locator {
  return page.locator('.ant-select-item-option', { hasText: label });
}

/** Picks an option of an antd Select by its visible label (typing first where it searches). */
export async function choose(
  page: Page,
  selectId: string,
  label: string,
  type = false,
): Promise<void> {
  // antd's select box has no role that holds both its search input and its shown value.
  const chosen = page
    .locator('.ant-select', { has: page.locator(`#${selectId}`) })
    // antd 6 names the choice in the title of the select's content (or of its value).
    .locator(`[title="${label}"]`)
    .first();
  // On a busy machine a click can land while the list is still opening: try again until the
  // select shows the choice.
  for (let attempt = 1; ; attempt++) {
    await page.locator(`#${selectId}`).click();
    if (type) await page.locator(`#${selectId}`).fill(label);
    // The options a person sees have no role (see selectOption); the list is known by its id.
    await page
      .locator(
        `.ant-select-dropdown:has(#${selectId}_list) .ant-select-item-option[title="${label}"]`,
      )
      .click();
    try {
      await chosen.waitFor({ timeout: 5_000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

/**
 * Enters a date in antd's DatePicker as a person does: clicks the box, types YYYY-MM-DD over what
 * it holds and presses Enter; then the box shows that date and the calendar has closed.
 */
export async function pickDate(input: Locator, date: string): Promise<void> {
  await input.click();
  await input.fill(date);
  await input.press('Enter');
  const shown = await input.inputValue();
  if (shown !== date) throw new Error(`the date picker shows ${shown}, not ${date}`);
  // antd's calendar popup has no role of its own.
  await input.page().locator('.ant-picker-dropdown:visible').waitFor({ state: 'hidden' });
}

/** Calls the app's API as the page does (to seed what other E2E tests already cover by hand). */
export async function apiCall<T>(app: RunningApp, method: string, input: unknown): Promise<T> {
  const url = new URL(app.url);
  const token = url.hash.replace('#token=', '');
  const response = await fetch(`${url.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message ?? `${method} failed`);
  return body.value as T;
}

/** `uplift serve` on a free port and its own folder (embedded PGlite), as an office runs it. */
export async function startCentral(
  dataDir: string,
): Promise<{ url: string; process: ChildProcess }> {
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
