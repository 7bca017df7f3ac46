import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';

import { tempDir } from '../helpers/context';

import {
  apiCall,
  ARTIFACTS,
  launchBrowser,
  screenshot,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

/** The laptop screens the teams carry: a small one and a common one. */
const VIEWPORTS = [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
] as const;

interface VisitRow {
  id: string;
  number: string;
  enterpriseName: string;
  status: 'draft' | 'finalized';
  judged: boolean;
  members: string[];
  revisionOf: string | null;
}

interface PlanRow {
  id: string;
  number: string;
  enterpriseName: string;
  status: string;
  measures: number;
}

let app: RunningApp;
let browser: Browser;
let rulesetVisit: VisitRow;
let generalVisit: VisitRow;
let plan: PlanRow;

beforeAll(async () => {
  const dir = tempDir('uplift-e2e-layout-');
  execFileSync(process.execPath, [
    'bin/uplift.js',
    'demo',
    '--enterprises',
    '40',
    '--data-dir',
    dir,
  ]);
  app = await startApp(dir);
  browser = await launchBrowser();
  const visits = await apiCall<VisitRow[]>(app, 'inspection.list', {});
  // A finalized ruleset visit (every header button) and a draft of the 通用帮扶检查表, both
  // with a team.
  const pick = (judged: boolean, status: VisitRow['status']) => {
    const found = visits.find(
      (v) => v.judged === judged && v.status === status && v.members.length > 0,
    );
    if (!found)
      throw new Error(`the demo has no ${status} ${judged ? 'general' : 'ruleset'} visit`);
    return found;
  };
  rulesetVisit = pick(false, 'finalized');
  generalVisit = pick(true, 'draft');
  const plans = await apiCall<PlanRow[]>(app, 'plan.list', {});
  const draft = plans.find((p) => p.status === '草稿' && p.measures > 0);
  if (!draft) throw new Error('the demo has no draft plan with measures');
  plan = draft;
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

interface Overflow {
  page: { scrollWidth: number; clientWidth: number };
  tables: { scrollWidth: number; clientWidth: number }[];
  /** Table cells whose content is wider than the cell (cut off), by their text. */
  clipped: string[];
  /** Column headers narrower than 40 px (squeezed out of sight), by their text. */
  squeezed: string[];
}

/** Horizontal overflow of the page, of every table on it and of their cells. */
function overflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const doc = document.scrollingElement ?? document.documentElement;
    const visible = (el: Element) => el.getBoundingClientRect().height > 0;
    // Measured, not clicked, and only antd Tables' cells (a Descriptions is a table too), their
    // scrolling boxes and ellipsis cells: by class, as no role tells them apart.
    const cells = [...document.querySelectorAll('.ant-table-thead th, .ant-table-tbody td')]
      .filter(visible)
      .filter((c) => !c.classList.contains('ant-table-cell-ellipsis'));
    return {
      page: { scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth },
      tables: [...document.querySelectorAll('.ant-table-content, .ant-table-body')].map((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      })),
      clipped: cells
        .filter((c) => c.scrollWidth > c.clientWidth + 1)
        .map((c) => `${c.textContent ?? ''} (${c.scrollWidth} > ${c.clientWidth})`),
      squeezed: [...document.querySelectorAll('.ant-table-thead th')]
        .filter(visible)
        .filter((th) => (th.textContent ?? '').trim() !== '' && th.clientWidth < 40)
        .map((th) => `${th.textContent ?? ''} (${th.clientWidth} px)`),
    };
  });
}

async function expectNoSidewaysScroll(page: Page, where: string): Promise<void> {
  const o = await overflow(page);
  console.log(`${where}: page ${o.page.scrollWidth}/${o.page.clientWidth}`, o.tables);
  expect(o.page.scrollWidth, `${where}: the page scrolls sideways`).toBeLessThanOrEqual(
    o.page.clientWidth,
  );
  for (const t of o.tables) {
    expect(t.scrollWidth, `${where}: a table scrolls sideways`).toBeLessThanOrEqual(t.clientWidth);
  }
  expect(o.clipped, `${where}: table cells cut off`).toEqual([]);
  expect(o.squeezed, `${where}: columns squeezed out of sight`).toEqual([]);
}

/** Every form control in `scope` lies inside the viewport, left to right. */
async function expectInputsInView(page: Page, scope: Locator, where: string): Promise<number> {
  const boxes = await scope.evaluate((root) =>
    [
      // antd's boxes round a select, picker or number (wider than their inputs) have no role.
      ...root.querySelectorAll(
        'input:not([type=hidden]):not([type=file]):not([type=radio]):not([type=checkbox]), textarea, .ant-select, .ant-picker, .ant-input-number',
      ),
    ]
      .map((el) => el.getBoundingClientRect())
      .filter((r) => r.width > 0)
      .map((r) => ({ left: r.left, right: r.right })),
  );
  const width = page.viewportSize()!.width;
  for (const b of boxes) {
    expect(b.left, `${where}: an input starts left of the window`).toBeGreaterThanOrEqual(0);
    expect(b.right, `${where}: an input runs past the window's right edge`).toBeLessThanOrEqual(
      width,
    );
  }
  return boxes.length;
}

/** The header's buttons stay on one line: they all share one top offset. */
async function expectHeaderOnOneLine(page: Page, where: string): Promise<void> {
  const header = page.locator('.page-header');
  await header.waitFor();
  const tops = await header.evaluate((el) =>
    [...el.querySelectorAll('.page-header-back, .page-header-actions button')].map((b) =>
      Math.round(b.getBoundingClientRect().top),
    ),
  );
  console.log(`${where}: header button tops`, tops);
  expect(tops.length).toBeGreaterThan(0);
  expect(new Set(tops).size, `${where}: the header's buttons wrap to another line`).toBe(1);
}

/** The window as a person sees it, scrolled to the top (besides the whole page). */
async function screenshots(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}-window.png`) });
}

/** Opens a visit from the 现场检查 list by its record number. */
async function openVisit(page: Page, visit: VisitRow): Promise<void> {
  await page.getByRole('menuitem', { name: /现场检查/ }).click();
  const row = tableRows(page).filter({ hasText: visit.number });
  await row.getByText(visit.enterpriseName).click();
  await page.locator('.visit-page .page-header', { hasText: visit.number }).waitFor();
}

/** Where the first checklist card starts, with the page scrolled to the top. */
async function firstCardTop(page: Page): Promise<{ top: number; headBottom: number }> {
  return page.evaluate(() => {
    window.scrollTo(0, 0);
    const card = document.querySelector('.indicator-card, .dimension-card');
    if (!card) throw new Error('no checklist card');
    const head = card.querySelector('.indicator-head') ?? card;
    return {
      top: card.getBoundingClientRect().top + window.scrollY,
      headBottom: head.getBoundingClientRect().bottom + window.scrollY,
    };
  });
}

async function checkVisit(page: Page, visit: VisitRow, name: string, size: string) {
  await openVisit(page, visit);
  await page.locator('.indicator-card, .dimension-card').first().waitFor();
  // The team is filled in: its card is folded to one line, the checklist comes up.
  const team = page.locator('.team-card');
  await team.locator('.team-summary').waitFor();
  expect(await team.getByRole('table').isVisible()).toBe(false);
  for (const member of visit.members) expect(await team.textContent()).toContain(member);
  await expectHeaderOnOneLine(page, `${name} ${size}`);
  await expectNoSidewaysScroll(page, `${name} ${size}`);
  await expectInputsInView(page, page.locator('.visit-page'), `${name} ${size}`);
  const { top, headBottom } = await firstCardTop(page);
  const height = page.viewportSize()!.height;
  console.log(`${name} ${size}: first card at ${top}, its head ends at ${headBottom} of ${height}`);
  expect(headBottom, `${name} ${size}: the first indicator is below the fold`).toBeLessThanOrEqual(
    height,
  );
  await screenshots(page, `layout-${size}-${name}`);
  // Unfolded, the team shows its table, still without scrolling sideways.
  await team.getByRole('button', { name: /展开检查组/ }).click();
  await team.getByRole('table').waitFor();
  await expectNoSidewaysScroll(page, `${name} team ${size}`);
  await team.getByRole('button', { name: /收起检查组/ }).click();
}

describe('the screens fit a laptop', () => {
  for (const viewport of VIEWPORTS) {
    const size = `${viewport.width}x${viewport.height}`;
    it(`at ${size}: the visit list, both checklists and the plan show every column`, async () => {
      const context = await browser.newContext({ viewport, locale: 'zh-CN' });
      const page = await context.newPage();
      try {
        await page.goto(app.url);
        await page.getByRole('menuitem', { name: /现场检查/ }).click();
        await tableRows(page).filter({ hasText: rulesetVisit.number }).waitFor();
        await expectNoSidewaysScroll(page, `visit list ${size}`);
        // Dates read YYYY-MM-DD.
        const dates = await tableRows(page)
          .locator('td.visit-date-cell')
          .evaluateAll((cells) => cells.map((c) => c.textContent ?? ''));
        expect(dates.length).toBeGreaterThan(0);
        for (const d of dates) expect(d).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        await screenshots(page, `layout-${size}-visits`);

        await checkVisit(page, rulesetVisit, 'checklist', size);
        await checkVisit(page, generalVisit, 'general', size);

        await page.getByRole('menuitem', { name: /提升方案/ }).click();
        await tableRows(page).filter({ hasText: plan.number }).waitFor();
        await expectNoSidewaysScroll(page, `plan list ${size}`);
        await screenshots(page, `layout-${size}-plans`);

        await tableRows(page)
          .filter({ hasText: plan.number })
          .getByText(plan.enterpriseName)
          .click();
        const table = page.locator('.measures-table');
        await tableRows(table).first().waitFor();
        await expectHeaderOnOneLine(page, `plan ${size}`);
        await expectNoSidewaysScroll(page, `plan ${size}`);
        const inputs = await expectInputsInView(page, table, `plan measures ${size}`);
        expect(inputs).toBeGreaterThanOrEqual(5);
        await screenshots(page, `layout-${size}-plan`);
      } finally {
        await context.close();
      }
    });
  }

  it('at 1280×720 an expert fills a measure’s 责任人 and 完成期限 without scrolling sideways', async () => {
    const context = await browser.newContext({
      viewport: { width: 1280, height: 720 },
      locale: 'zh-CN',
    });
    const page = await context.newPage();
    const scrolledSideways = () =>
      page.evaluate(() => {
        const doc = document.scrollingElement ?? document.documentElement;
        // antd's scrolling boxes round a table have no role.
        const tables = [...document.querySelectorAll('.ant-table-content, .ant-table-body')];
        return doc.scrollLeft + tables.reduce((sum, t) => sum + t.scrollLeft, 0);
      });
    const openPlan = async () => {
      await page.getByRole('menuitem', { name: /提升方案/ }).click();
      await tableRows(page).filter({ hasText: plan.number }).getByText(plan.enterpriseName).click();
      await tableRows(page.locator('.measures-table')).first().waitFor();
    };
    try {
      await page.goto(app.url);
      await openPlan();
      const row = tableRows(page.locator('.measures-table')).first();
      const responsible = row.getByLabel(/责任人$/);
      const deadline = row.getByLabel(/完成期限$/);
      await responsible.fill('');
      await responsible.pressSequentially('马晓燕');

      // The date is picked in antd's Chinese calendar: a month ahead, the 15th.
      await deadline.click();
      // antd's calendar popup, its month title and its weekday row have no role of their own.
      const panel = page.locator('.ant-picker-dropdown:visible');
      await panel.waitFor();
      expect(await panel.locator('.ant-picker-content thead').textContent()).toBe('一二三四五六日');
      expect(await panel.locator('.ant-picker-header-view').textContent()).toMatch(
        /^\d{4}年\d{1,2}月$/,
      );
      await panel.getByRole('button', { name: '下个月', exact: true }).click();
      const month = await panel.locator('.ant-picker-header-view').textContent();
      const [, y, m] = /^(\d{4})年(\d{1,2})月$/.exec(month ?? '')!;
      const day = `${y}-${m!.padStart(2, '0')}-15`;
      await panel.locator(`td[title="${day}"]`).click();
      await expect.poll(() => deadline.inputValue()).toBe(day);
      await panel.waitFor({ state: 'hidden' });
      expect(await scrolledSideways()).toBe(0);
      for (const field of [responsible, deadline]) {
        const box = (await field.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(1280);
      }
      await page.getByText('未保存（已暂存在本机').waitFor();
      await screenshots(page, 'layout-1280x720-plan-filled');

      await page.getByRole('button', { name: /保存为新版本/ }).click();
      await page.getByText(/已保存（第 \d+ 版）/).waitFor();
      expect(await scrolledSideways()).toBe(0);

      await page.reload();
      await openPlan();
      const saved = tableRows(page.locator('.measures-table')).first();
      expect(await saved.getByLabel(/责任人$/).inputValue()).toBe('马晓燕');
      expect(await saved.getByLabel(/完成期限$/).inputValue()).toBe(day);
      await screenshots(page, 'layout-1280x720-plan-saved');
    } finally {
      await context.close();
    }
  });
});
