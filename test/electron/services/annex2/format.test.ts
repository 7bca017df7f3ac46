import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  ANNEX2_COLUMNS,
  composeRemark,
  dateLine,
  formatDue,
  headerKeyOf,
  normalizeGrade,
  otherIndustriesStripper,
  parseDue,
} from '../../../../electron/services/annex2/format';
import { readCatalog } from '../../../../electron/services/rulesets';

describe('附件2 cells', () => {
  it('has the 13 columns of the seed, in its order', () => {
    expect(ANNEX2_COLUMNS.map((c) => c.header)).toEqual([
      '序号',
      '地级市',
      '县（市、区）',
      '企业名称',
      '重点行业类型',
      '重点行业分支',
      '绩效现状',
      '绩效提升目标',
      '差异化指标',
      '存在问题',
      '改进措施',
      '拟完成时间',
      '备注',
    ]);
  });

  it('recognises headers wrapped or written with half-width brackets', () => {
    expect(headerKeyOf('序\n号')).toBe('no');
    expect(headerKeyOf('县（市、\n区）')).toBe('county');
    expect(headerKeyOf('县(市、区)')).toBe('county');
    expect(headerKeyOf('重点行\n业分支')).toBe('branch');
    expect(headerKeyOf(' 统一社会信用代码 ')).toBe('creditCode');
    expect(headerKeyOf('联系人')).toBeUndefined();
  });

  it.each([
    ['B级', 'B'],
    ['B－', 'B-'],
    ['B—', 'B-'],
    ['ｂ-级', 'B-'],
    ['A级企业', 'A'],
    ['绩效引领性', '引领性'],
    ['引领性企业', '引领性'],
    ['非绩效引领性', '非引领性'],
    ['绩效非引领性', '非引领性'],
    ['无', null],
    ['/', null],
    ['未评级', null],
    ['优秀', '优秀'],
  ])('reads the grade %s as %s', (written, grade) => {
    expect(normalizeGrade(written)).toBe(grade);
  });

  it.each([
    ['2025-09-30', '2025-09-30'],
    ['2025/9/3', '2025-09-03'],
    ['2025-09', '2025-09'],
    ['2025年9月', '2025-09'],
    ['2025年9月30日', '2025-09-30'],
    ['2025.9', '2025-09'],
    ['2025.09.30', '2025-09-30'],
    ['２０２５年１０月', '2025-10'],
    ['20250930', '2025-09-30'],
  ])('reads the date %s as %s', (written, stored) => {
    expect(parseDue(written)).toEqual({ ok: true, value: stored });
  });

  it('reads numbers typed as dates, and refuses 2025.1 as ambiguous unless the format shows two decimals', () => {
    expect(parseDue(2025.9)).toEqual({ ok: true, value: '2025-09' });
    expect(parseDue(2025.12)).toEqual({ ok: true, value: '2025-12' });
    expect(parseDue(45930)).toEqual({ ok: true, value: '2025-09-30' });
    expect(parseDue(2025.1)).toMatchObject({
      ok: false,
      message: expect.stringContaining('2025年10月') as string,
    });
    expect(parseDue(2025.1, 2)).toEqual({ ok: true, value: '2025-10' });
    expect(parseDue(2025)).toMatchObject({ ok: false });
  });

  it.each(['明年', '2025-13', '2025-02-30', '9月底', '2025年'])(
    'refuses %s as a date',
    (written) => {
      expect(parseDue(written)).toMatchObject({ ok: false });
    },
  );

  it('writes stored dates as the list does, and they read back the same', () => {
    expect(formatDue('2025-09')).toBe('2025年9月');
    expect(formatDue('2025-09-30')).toBe('2025年9月30日');
    for (const due of ['2025-01', '2026-12-31', '2024-02-29']) {
      expect(parseDue(formatDue(due))).toEqual({ ok: true, value: due });
    }
  });

  it('dates the list in Ningxia’s time', () => {
    expect(dateLine(Date.UTC(2025, 2, 6, 17, 0))).toBe('日期：2025年3月7日');
  });

  it('strips exactly the 另涉及 note export adds to 备注, for any remark', () => {
    const catalog = readCatalog();
    const strip = otherIndustriesStripper(catalog);
    const names = catalog.industries.map((i) => i.name);
    expect(composeRemark(['焦化', '再生铜、铝、铅、锌'], '已整改')).toBe(
      '另涉及：焦化、再生铜、铝、铅、锌；已整改',
    );
    expect(strip('另涉及：焦化、再生铜、铝、铅、锌；已整改')).toBe('已整改');
    expect(strip('另涉及：说明')).toBe('另涉及：说明');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...names), { minLength: 1, maxLength: 4 }),
        fc.option(fc.string({ minLength: 1 }), { nil: null }),
        (others, remark) => {
          const cell = composeRemark(others, remark) as string;
          expect(strip(cell)).toBe(remark ?? '');
        },
      ),
    );
  });
});
