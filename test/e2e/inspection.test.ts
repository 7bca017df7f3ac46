import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';

import { encodePng } from '../../electron/services/png';
import { tempDir } from '../helpers/context';

import {
  apiCall,
  choose,
  launchBrowser,
  pickDate,
  radioLabel,
  screenshot,
  selectOption,
  startApp,
  tableRows,
  type RunningApp,
} from './browser';

const COMPANY = '宁夏贺兰山水泥铸造有限公司';

let app: RunningApp;
let browser: Browser;
let page: Page;

function call<T>(method: string, input: unknown): Promise<T> {
  return apiCall<T>(app, method, input);
}

function card(title: string): Locator {
  return page.locator('section.indicator-card', { hasText: title });
}

function panel(): Locator {
  return page.locator('.grading-panel');
}

/** The grade the live panel shows for a process. */
function processGrade(label: string): Locator {
  return panel().locator('.grading-process', { hasText: label }).locator('.grade-tag-value');
}

/** The first reading box of an indicator's card (a text box: readings are typed as text). */
function reading(title: string): Locator {
  return card(title).getByRole('textbox', { name: /读数 1$/ });
}

/** Clicks an option of a choice answer by its label, as a person does (antd hides the input). */
async function choice(title: string, option: string): Promise<void> {
  await radioLabel(card(title), option).click();
}

async function answerYes(title: string): Promise<void> {
  await choice(title, '是');
}

beforeAll(async () => {
  app = await startApp(tempDir('uplift-e2e-visit-'));
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const enterprise = await call<{ id: string }>('enterprise.create', {
    name: COMPANY,
    creditCode: null,
    cityCode: '6401',
    countyCode: '640122',
    address: '贺兰县德胜工业园区',
  });
  await call('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'cement',
    branch: '水泥熟料',
    rulesetId: 'cement-clinker-2020',
    currentGrade: 'C',
    targetGrade: 'B',
  });
  await call('process.create', {
    enterpriseId: enterprise.id,
    industryCode: 'casting',
    branch: '铸件生产企业（采用天然气、电炉熔化设备）',
    rulesetId: 'casting-castings-gas-electric-2023',
    currentGrade: 'C',
    targetGrade: 'B',
  });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('a team recording a site visit with no network', () => {
  it('starts a visit for a two-process enterprise with its team', async () => {
    await page.goto(app.url);
    await page.getByRole('menuitem', { name: /现场检查/ }).click();
    await page.getByRole('button', { name: /新建检查/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('#visit_enterpriseId').click();
    await dialog.locator('#visit_enterpriseId').fill('贺兰山');
    await selectOption(page, COMPANY).click();
    await pickDate(dialog.locator('#visit_date'), '2026-11-20');
    await dialog.getByText('核查', { exact: true }).click();
    await dialog.getByLabel('成员 1 姓名').fill('马建国');
    await dialog.getByRole('button', { name: /添加成员/ }).click();
    await dialog.getByLabel('成员 2 姓名').fill('丁晓梅');
    await expect.poll(() => dialog.getByRole('checkbox', { checked: true }).count()).toBe(2);
    await screenshot(page, 'visit-01-start');
    await dialog.getByRole('button', { name: /开始检查/ }).click();
    await page.locator('.visit-title', { hasText: COMPANY }).waitFor();
    await expect.poll(() => page.getByRole('tab').count()).toBe(2);
    // The team is filled in: folded to one line, the checklist comes up; unfolded on demand.
    const team = page.locator('.team-card');
    expect(await team.locator('.team-summary').textContent()).toContain('马建国（执法）');
    await team.getByRole('button', { name: '展开检查组' }).click();
    expect(await team.getByRole('cell', { name: '马建国', exact: true }).count()).toBe(1);
    expect(await team.getByRole('cell', { name: '丁晓梅', exact: true }).count()).toBe(1);
  });

  it('sees the grade change as a reading crosses a limit, and the gaps to the target', async () => {
    const share = card('公路运输使用国五及以上排放标准重型载货车辆');
    await reading('公路运输使用国五及以上排放标准重型载货车辆').fill('64');
    await answerYes('物料公路运输中其余车辆达到国四排放标准');
    await answerYes('厂内运输车辆全部达到国五及以上排放标准');
    await answerYes('厂内非道路移动机械全部达到国三及以上排放标准');
    await expect.poll(() => processGrade('水泥').textContent()).toBe('C级');
    const gaps = panel().getByRole('list', { name: /水泥.*差异化指标/ });
    await expect.poll(() => gaps.textContent()).toContain('要求 ≥ 80%，现为 64%');
    expect(await share.getByText(/未达目标 B 级/).count()).toBe(1);
    await screenshot(page, 'visit-02-below-limit');

    // Out of its unit's range: refused under the field, nothing saved, the grade unchanged.
    await reading('公路运输使用国五及以上排放标准重型载货车辆').fill('120');
    await share
      .getByRole('alert')
      .getByText(/120% 超出范围：百分比应在 0% 到 100% 之间/)
      .waitFor();
    await screenshot(page, 'visit-02b-reading-refused');
    expect(await processGrade('水泥').textContent()).toBe('C级');
    // Full-width digits, as a Chinese IME types them, are the number.
    await reading('公路运输使用国五及以上排放标准重型载货车辆').fill('８５');
    await expect.poll(() => processGrade('水泥').textContent()).toBe('B级');
    expect(await share.getByRole('alert').count()).toBe(0);
    await expect.poll(() => share.getByText(/未达目标/).count()).toBe(0);
    await expect.poll(() => page.locator('.save-status').textContent()).toContain('已保存');
    await screenshot(page, 'visit-03-reading-crosses-limit');
  });

  it('attaches a photo to an indicator, kept with its file name', async () => {
    const share = card('公路运输使用国五及以上排放标准重型载货车辆');
    await share.locator('input[type=file]').setInputFiles({
      name: '地磅运输台账.png',
      mimeType: 'image/png',
      buffer: encodePng(64, 48, (x, y) => [40 + x, 120, 200 - y]),
    });
    await share.locator('.evidence-caption', { hasText: '地磅运输台账.png' }).waitFor();
    await expect.poll(() => share.locator('img.evidence-thumb').count()).toBe(1);
  });

  it('answers the second process and follows a gap link to its indicator', async () => {
    await page.getByRole('tab', { name: /铸造/ }).click();
    const casting = panel().locator('.grading-process', { hasText: '铸造' });
    await expect.poll(() => casting.locator('.gap-item').count()).toBe(6);
    await choice('装备水平及生产工艺', 'B级');
    await answerYes('颗粒物有逸散工序采取二次捕集措施');
    await answerYes('采用袋式除尘、滤筒除尘等高效除尘工艺');
    await answerYes('制芯（热芯盒）');
    await card('制芯（冷芯盒）').getByText('不适用', { exact: true }).click();
    await expect.poll(() => casting.locator('.gap-item').count()).toBe(1);
    // The gap left names the resin-pouring indicator; its link leads there, from any tab.
    await page.getByRole('tab', { name: /水泥/ }).click();
    await casting.locator('.gap-item a', { hasText: '浇注（树脂砂）' }).click();
    const resin = card('浇注（树脂砂）');
    await expect.poll(() => resin.getAttribute('class')).toContain('indicator-card-focus');
    await choice('浇注（树脂砂）', '否');
    await expect.poll(() => processGrade('铸造').textContent()).toBe('C级');
    await screenshot(page, 'visit-04-gap-link');
    await choice('浇注（树脂砂）', '是');
    await expect.poll(() => processGrade('铸造').textContent()).toBe('B级');
    await expect
      .poll(() => panel().locator('.grading-enterprise .grade-tag-value').textContent())
      .toBe('B级');
  });

  it('finalizes once every member confirms, and then refuses an edit', async () => {
    const team = page.locator('.team-card');
    expect(await team.getByRole('button', { name: /^定\s*稿$/ }).isDisabled()).toBe(true);
    await team.getByRole('button', { name: '马建国确认' }).click();
    await team.getByRole('button', { name: '丁晓梅确认' }).click();
    await expect.poll(() => team.getByText(/已确认/).count()).toBe(2);
    await team.getByRole('button', { name: /^定\s*稿$/ }).click();
    await page
      .getByRole('tooltip')
      .getByRole('button', { name: /^定\s*稿$/ })
      .click();
    await expect.poll(() => page.locator('.visit-status').textContent()).toBe('已定稿');
    await page.getByText(/定稿，不可修改/).waitFor();
    expect(await page.locator('.indicator-card input').first().isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: /照片\/文件/ }).count()).toBe(0);
    await screenshot(page, 'visit-05-finalized');

    // The service refuses it too, whatever the screen allows.
    const visits = await call<{ id: string; status: string }[]>('inspection.list', {});
    const visit = visits.find((v) => v.status === 'finalized')!;
    const detail = await call<{ processes: { processId: string }[] }>('inspection.get', {
      id: visit.id,
    });
    await expect(
      call('inspection.saveAnswer', {
        inspectionId: visit.id,
        processId: detail.processes[0]!.processId,
        indicatorId: 'transport.road-clean-share',
        fact: 10,
      }),
    ).rejects.toThrow(/定稿|不可修改|不能修改/);
  });

  it('corrects it with a revision that names the original, and both stay in the history', async () => {
    await page.getByRole('button', { name: /更正（创建修订）/ }).click();
    const asked = page.getByRole('dialog', { name: '更正此记录' });
    const create = asked.getByRole('button', { name: '创建修订版本' });
    expect(await create.isDisabled()).toBe(true);
    await asked.getByLabel('更正原因').fill('运输车辆比例抄录有误，应为 100%');
    await create.click();
    await expect.poll(() => page.locator('.visit-status').textContent()).toBe('草稿');
    await page.getByText('更正原因：运输车辆比例抄录有误，应为 100%').waitFor();
    await page.getByText('修订版本', { exact: true }).first().waitFor();
    await page.getByRole('tab', { name: /水泥/ }).click();
    const share = card('公路运输使用国五及以上排放标准重型载货车辆');
    await expect
      .poll(() => reading('公路运输使用国五及以上排放标准重型载货车辆').inputValue())
      .toBe('85');
    await reading('公路运输使用国五及以上排放标准重型载货车辆').fill('100');
    await expect.poll(() => share.getByText('满足 A 级').count()).toBe(1);
    const history = page.locator('.visit-history');
    await expect.poll(() => history.getByText('原始记录').count()).toBe(1);
    expect(await history.getByText(/修订 1（当前）/).count()).toBe(1);
    await screenshot(page, 'visit-06-revision');

    await history.getByText('原始记录').click();
    await expect.poll(() => page.locator('.visit-status').textContent()).toBe('已定稿');
    // The corrected record shows why it was corrected too.
    await page.getByText(/此记录已被更正.*更正原因：运输车辆比例抄录有误/).waitFor();
    await expect
      .poll(() => reading('公路运输使用国五及以上排放标准重型载货车辆').inputValue())
      .toBe('85');
  });

  it('records a violation: the enterprise’s current grade drops to its floor and locks, the signed record keeps its grade', async () => {
    await page.getByRole('button', { name: /记录违法情形/ }).click();
    const dialog = page.getByRole('dialog');
    await choose(page, 'violation_kind', '超标排放');
    await pickDate(dialog.locator('#violation_date'), '2026-11-20');
    await dialog.locator('#violation_note').fill('窑尾颗粒物小时均值超标');
    await dialog.getByRole('button', { name: /保\s*存/ }).click();
    // The finalized original keeps the grade it was signed with; the violation is named beside it.
    await panel()
      .getByText('违法记录（2026-11-20，超标排放）：企业当前锁定至 2027-11-20')
      .waitFor();
    expect(await panel().locator('.grading-enterprise .grade-tag-value').textContent()).toBe('B级');
    expect(await panel().getByText('评级结果（定稿时）').count()).toBe(1);
    await screenshot(page, 'visit-07-violation');

    await page.getByRole('menuitem', { name: /企业台账/ }).click();
    const row = page.getByRole('row', { name: new RegExp(COMPANY) });
    await row.getByText('违法记录（2026-11-20）：锁定至 2027-11-20').waitFor();
    expect(await row.locator('.grade-tag-value').textContent()).toBe('D级');
    await screenshot(page, 'registry-current-grade-locked');
    await row.getByRole('button', { name: '检查记录' }).click();
    const drawer = page.getByRole('dialog');
    await drawer.locator('.grade-path').waitFor();
    expect(await drawer.locator('.violation-list').getByText('超标排放').count()).toBe(1);
    expect(await drawer.locator('.violation-lock').textContent()).toBe(
      '违法记录（2026-11-20，超标排放）：锁定至 2027-11-20，此前不得申请提级',
    );
    expect(await tableRows(drawer).count()).toBe(2);
    // Each visit with its record number, the one its printed pages carry.
    const numbers = await tableRows(drawer).locator('.record-number-cell').allTextContents();
    expect(numbers).toHaveLength(2);
    for (const n of numbers) expect(n).toMatch(/^银川-2026-\d{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(new Set(numbers).size).toBe(2);
    await screenshot(page, 'visit-08-enterprise-visits');

    // Recorded in error: withdrawn by someone with a reason; the lock goes, the record stays
    // listed, struck through, with who, when and why.
    await drawer.getByRole('button', { name: /撤\s*销/ }).click();
    await page.getByLabel('撤销人').fill('马建国');
    await page.getByLabel('撤销原因').fill('误录：当日为停产检修期间的数据');
    await page
      .getByRole('dialog', { name: /^撤销违法记录/ })
      .getByRole('button', { name: /撤\s*销/ })
      .click();
    const withdrawn = drawer.locator('.violation-withdrawn');
    await expect.poll(() => withdrawn.count()).toBe(1);
    expect(await withdrawn.getByText('超标排放').count()).toBe(1);
    expect(
      await withdrawn
        .locator('.violation-text')
        .evaluate((el) => getComputedStyle(el).textDecorationLine),
    ).toBe('line-through');
    expect(await withdrawn.locator('.violation-withdrawal').textContent()).toMatch(
      /^已撤销：马建国于 \d{4}-\d{2}-\d{2} \d{2}:\d{2} 撤销，原因：误录：当日为停产检修期间的数据$/,
    );
    await expect.poll(() => drawer.locator('.violation-lock').count()).toBe(0);
    await expect.poll(() => row.getByText(/锁定至/).count()).toBe(0);
    await screenshot(page, 'visit-09-violation-withdrawn');
  });
});
