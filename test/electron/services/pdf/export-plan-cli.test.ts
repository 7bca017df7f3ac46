import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { runUplift } from '../../../helpers/cli';
import { APP_VERSION } from '../../../../electron/services/app-version';
import {
  closeAppContext,
  openAppContext,
  type AppContext,
} from '../../../../electron/services/context';
import { createEnterprise, updateEnterprise } from '../../../../electron/services/enterprises';
import { draftPlanFor, listPlans } from '../../../../electron/services/plans';
import { EnterpriseDraftSchema } from '../../../../shared/domain/enterprise';
import { FIXTURE_RESOURCES, sequentialIds, steppingClock, tempDir } from '../../../helpers/context';
import { pdfText, printedVisit, squeeze } from '../../../helpers/pdf';

const NAME = '宁夏瑞泰水泥有限公司';
const CREDIT_CODE = '91110000600037341L';

const run = runUplift;

/**
 * A data folder holding a plan (version 1) drafted from a finalized visit of 宁夏瑞泰水泥有限公司
 * (with a credit code), and two enterprises of one name in two counties, neither with a plan.
 */
function dataDirWithPlan(): string {
  const dir = tempDir();
  const ctx = openAppContext({
    dataDir: dir,
    mode: 'cli',
    now: steppingClock(),
    newId: sequentialIds(),
    resourcesDir: FIXTURE_RESOURCES,
  });
  try {
    const { site } = printedVisit(ctx);
    updateEnterprise(
      ctx,
      site.enterpriseId,
      EnterpriseDraftSchema.parse({
        name: NAME,
        creditCode: CREDIT_CODE,
        cityCode: '6401',
        countyCode: '640104',
      }),
    );
    draftPlanFor(ctx, { enterpriseId: site.enterpriseId });
    createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏同名建材有限公司',
        cityCode: '6401',
        countyCode: '640104',
      }),
    );
    createEnterprise(
      ctx,
      EnterpriseDraftSchema.parse({
        name: '宁夏同名建材有限公司',
        cityCode: '6402',
        countyCode: '640202',
      }),
    );
    return dir;
  } finally {
    closeAppContext(ctx);
  }
}

function withContext<T>(dir: string, use: (ctx: AppContext) => T): T {
  const ctx = openAppContext({ dataDir: dir, mode: 'cli', resourcesDir: FIXTURE_RESOURCES });
  try {
    return use(ctx);
  } finally {
    closeAppContext(ctx);
  }
}

describe('uplift export plan', () => {
  it('writes the plan of an enterprise named by credit code or full name as a PDF', async () => {
    const dir = dataDirWithPlan();
    const out = path.join(tempDir(), '方案.pdf');
    const r = await run(['--data-dir', dir, 'export', 'plan', '--enterprise', NAME, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^已导出一企一策提升方案（\d+ 页）：/);
    const bytes = fs.readFileSync(out);
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = squeeze(pdfText(bytes));
    expect(text).toContain('一企一策提升方案');
    expect(text).toContain(NAME);
    expect(text).toContain('第1版·草稿');

    const json = await run([
      '--data-dir',
      dir,
      '--json',
      'export',
      'plan',
      '--enterprise',
      CREDIT_CODE.toLowerCase(),
      '--version',
      '1',
      '--out',
      out,
    ]);
    expect(json.err).toBe('');
    expect(JSON.parse(json.out)).toMatchObject({
      file: out,
      fileName: `一企一策提升方案-${NAME}-第1版.pdf`,
      bytes: fs.readFileSync(out).length,
    });
  });

  it('writes the plan a record number names, and says so when no plan bears the number', async () => {
    const dir = dataDirWithPlan();
    const number = withContext(dir, (ctx) => listPlans(ctx)[0]?.number as string);
    const out = path.join(tempDir(), '方案.pdf');
    const r = await run(['--data-dir', dir, 'export', 'plan', '--number', number, '--out', out]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(squeeze(pdfText(fs.readFileSync(out)))).toContain(`方案编号：${number}`);

    const unknown = await run([
      '--data-dir',
      dir,
      'export',
      'plan',
      '--number',
      '银川-2026-0999-ZZZZ',
      '--out',
      out,
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('未找到编号为“银川-2026-0999-ZZZZ”的一企一策提升方案');
    const neither = await run(['--data-dir', dir, 'export', 'plan', '--out', out]);
    expect(neither.code).toBe(2);
    expect(neither.err).toContain('二者选一');
  });

  it('exits 2 with a Chinese message for an unknown or ambiguous enterprise, writing nothing', async () => {
    const dir = dataDirWithPlan();
    const out = path.join(tempDir(), 'x.pdf');
    const args = (enterprise: string) => [
      '--data-dir',
      dir,
      'export',
      'plan',
      '--enterprise',
      enterprise,
      '--out',
      out,
    ];

    const unknown = await run(args('宁夏不存在的企业'));
    expect(unknown.code).toBe(2);
    expect(unknown.out).toBe('');
    expect(unknown.err).toContain(
      '错误：未找到企业“宁夏不存在的企业”（请给出统一社会信用代码或企业全称）',
    );

    // Part of a name is not enough: the name must be whole.
    expect((await run(args('瑞泰水泥'))).code).toBe(2);

    const ambiguous = await run(args('宁夏同名建材有限公司'));
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.err).toContain('错误：有 2 家企业名为“宁夏同名建材有限公司”');
    expect(ambiguous.err).toContain('请改用统一社会信用代码');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exits 2 for an enterprise without a plan, a version it does not have, or no --out', async () => {
    const dir = dataDirWithPlan();
    const out = path.join(tempDir(), 'x.pdf');
    const base = ['--data-dir', dir, 'export', 'plan', '--out', out];

    const site = openAppContext({ dataDir: dir, mode: 'cli', resourcesDir: FIXTURE_RESOURCES });
    const withoutPlan = createEnterprise(
      site,
      EnterpriseDraftSchema.parse({
        name: '宁夏无方案企业',
        cityCode: '6401',
        countyCode: '640104',
      }),
    );
    closeAppContext(site);
    const none = await run([...base, '--enterprise', withoutPlan.name]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('错误：该企业还没有一企一策提升方案');

    const version = await run([...base, '--enterprise', NAME, '--version', '9']);
    expect(version.code).toBe(2);
    expect(version.err).toContain('方案没有第 9 版');

    const bad = await run([...base, '--enterprise', NAME, '--version', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('版本号应为正整数');

    expect((await run(['--data-dir', dir, 'export', 'plan', '--enterprise', NAME])).code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('leaves --version alone to print the app’s version', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run([flag]);
      expect(r.code).toBe(0);
      expect(r.out).toBe(`${APP_VERSION}\n`);
    }
  });
});
