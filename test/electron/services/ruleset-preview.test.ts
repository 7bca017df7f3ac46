import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { pendingOpCount } from '../../../db/repositories/device';
import { writeSyncSettings } from '../../../db/repositories/sync';
import { dispatch } from '../../../electron/api';
import { closeAppContext, type AppContext } from '../../../electron/services/context';
import { generatedIndicatorId, rulesetToWorkbook } from '../../../electron/services/ruleset-excel';
import { previewRuleset } from '../../../electron/services/ruleset-preview';
import { findRuleset, importRuleset, rulesetLibrary } from '../../../electron/services/rulesets';
import type { RulesetPreview } from '../../../shared/api/contract';
import type { Ruleset } from '../../../shared/grading/types';
import { createTestContext } from '../../helpers/context';

function signedInAs(ctx: AppContext, role: string): void {
  writeSyncSettings(ctx.db, {
    user: { id: 'u1', username: 'u1', displayName: '马专家', role, scope: 'region' },
  });
}

describe('previewRuleset()', () => {
  let ctx: AppContext;
  let cement: Ruleset;

  beforeEach(() => {
    ctx = createTestContext();
    cement = structuredClone(findRuleset(ctx, 'cement-clinker')?.ruleset as Ruleset);
  });
  afterEach(() => closeAppContext(ctx));

  it('lists a new ruleset’s indicators by dimension and installs nothing', () => {
    const fresh: Ruleset = { ...cement, id: 'lime-kiln', industry: '石灰', branch: '石灰窑' };
    const before = rulesetLibrary(ctx).length;
    const preview = previewRuleset(ctx, fresh);
    expect(preview.summary).toMatchObject({ id: 'lime-kiln', industry: '石灰', branch: '石灰窑' });
    expect(preview.dimensions.map((d) => d.dimension)).toEqual([
      ...new Set(cement.indicators.map((i) => i.dimension)),
    ]);
    expect(preview.dimensions.flatMap((d) => d.indicators.map((i) => i.id))).toEqual(
      cement.indicators.map((i) => i.id),
    );
    expect(preview.dimensions[0]?.indicators[0]?.kind).toBe('上限');
    expect(preview.installed).toBeNull();
    expect(preview.changes).toBeNull();
    expect(rulesetLibrary(ctx)).toHaveLength(before);
    expect(pendingOpCount(ctx.db)).toBe(0);
  });

  it('says what changes against the installed edition: added, removed and changed indicators', () => {
    const [first, second, ...rest] = cement.indicators;
    if (!first || !second) throw new Error('fixture has too few indicators');
    const edited: Ruleset = {
      ...cement,
      status: 'verified',
      indicators: [
        { ...first, title: `${first.title}（修订）`, require: { ...first.require, A: 40 } },
        ...rest,
        {
          id: 'monitoring.video',
          dimension: '监测监控水平',
          title: '视频监控',
          kind: 'bool',
          require: { A: true },
        },
      ],
    };
    const preview = previewRuleset(ctx, edited);
    expect(preview.installed).toMatchObject({ edition: cement.edition, origin: 'shipped' });
    expect(preview.identical).toBe(false);
    expect(preview.changes?.added.map((i) => i.id)).toEqual(['monitoring.video']);
    expect(preview.changes?.removed.map((i) => i.id)).toEqual([second.id]);
    expect(preview.changes?.changed).toHaveLength(1);
    expect(preview.changes?.changed[0]?.what).toEqual(
      expect.arrayContaining([
        `名称：${first.title} → ${first.title}（修订）`,
        `A级要求：≤ ${String(first.require.A)} → ≤ 40`,
      ]),
    );
    expect(preview.changes?.ruleset).toEqual(['状态：草稿 → 已核实']);
  });

  it('says when the very same content is installed already', () => {
    importRuleset(ctx, { ...cement, edition: '2026' });
    const preview = previewRuleset(ctx, { ...cement, edition: '2026' });
    expect(preview.identical).toBe(true);
    expect(preview.changes).toMatchObject({ added: [], removed: [], changed: [], ruleset: [] });
  });

  it('tells who may publish to the region, by the device’s sync account', () => {
    const publish = (): RulesetPreview['publish'] => previewRuleset(ctx, cement).publish;
    expect(publish()).toMatchObject({ role: null, allowed: false });
    expect(publish().message).toContain('尚未登录同步账号');
    signedInAs(ctx, '帮扶队员');
    expect(publish()).toMatchObject({ role: '帮扶队员', allowed: false });
    expect(publish().message).toContain('需要专家、自治区复审或管理员账号');
    signedInAs(ctx, '专家');
    expect(publish()).toMatchObject({ role: '专家', allowed: true });
    expect(publish().message).toContain('全区设备都会收到');
  });

  it('refuses an invalid ruleset with every problem, as import does', () => {
    expect(() => previewRuleset(ctx, { ...cement, status: 'done' })).toThrow('指标体系有 1 处问题');
  });

  it('reads a workbook through the API, with the reader’s warnings, and still installs nothing', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await rulesetToWorkbook({ ...cement, id: 'lime-kiln' })) as never);
    const sheet = wb.getWorksheet('指标');
    if (!sheet) throw new Error('no 指标 sheet');
    sheet.getCell('A2').value = null;
    const data = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await dispatch(ctx, 'ruleset.preview', {
      fileName: '石灰窑.xlsx',
      dataBase64: data.toString('base64'),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const preview = result.value as RulesetPreview;
    const generated = generatedIndicatorId(cement.indicators[0]?.title ?? '', '');
    expect(preview.summary.id).toBe('lime-kiln');
    expect(preview.warnings).toEqual([
      `「指标」第 2 行 A 列：「指标编号」为空，已按指标名称生成 ${generated}`,
    ]);
    expect(rulesetLibrary(ctx).some((e) => e.ruleset.id === 'lime-kiln')).toBe(false);
  });
});
