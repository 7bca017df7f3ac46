import { describe, expect, it } from 'vitest';

import { syncedTables, tableInfo, type SyncedTableName } from '../../db/synced-tables';
import { formatHlc } from '../../shared/sync/hlc';
import { DEFER_REASONS } from '../../shared/sync/status';
import {
  clockTime,
  deferReasonText,
  localTimeText,
  syncFieldName,
  syncSourceDevice,
  syncSourceText,
  syncTableName,
  syncValueText,
} from '../../shared/sync/wording';

describe('how sync’s set-aside values read to a person', () => {
  it('gives every reason a sentence in Chinese that says what it waits for', () => {
    expect(Object.fromEntries(DEFER_REASONS.map((r) => [r, deferReasonText(r)]))).toEqual({
      unknown_table: '来自较新版本的数据表，升级后生效',
      unknown_field: '较新版本的字段，升级后生效',
      parent_missing: '等待所属记录到达',
      incomplete: '记录不完整，等待其余字段',
      finalize: '等待检查记录其余部分到达后定稿',
      immutable: '已定稿的检查记录不能修改，中心的修改已保存待核对',
      duplicate: '与本机已有记录重复（如统一社会信用代码）',
      invalid: '数值格式不正确',
      bad_text: '含有无效字符（不成对的代理项、空字符或控制字符），未写入本机',
      forged: '指标内容与其编号（SHA-256 摘要）不符，可能被篡改，未写入本机',
    });
  });

  it('shows a reason a newer version wrote as it is', () => {
    expect(deferReasonText('quarantined')).toBe('quarantined');
    expect(deferReasonText('toString')).toBe('toString');
  });

  it('names every synced table in Chinese, and an unknown table by its own name', () => {
    for (const table of Object.keys(syncedTables)) {
      expect(syncTableName(table), table).toMatch(/^[\u4e00-\u9fff]+$/);
    }
    expect(syncTableName('enterprises')).toBe('企业');
    expect(
      ['grade_applications', 'review_steps', 'grade_events', 'publications'].map(syncTableName),
    ).toEqual(['申报', '审核记录', '等级变更记录', '公示名单']);
    expect(syncTableName('reviews')).toBe('reviews');
    expect(syncTableName('constructor')).toBe('constructor');
  });

  it('names every synced field of every table in Chinese, and an unknown field by its own name', () => {
    for (const table of Object.keys(syncedTables) as SyncedTableName[]) {
      for (const field of tableInfo(table).syncedFieldSet) {
        expect(syncFieldName(table, field), `${table}.${field}`).toMatch(/^[\u4e00-\u9fff]+$/);
      }
    }
    expect(syncFieldName('enterprises', 'creditCode')).toBe('统一社会信用代码');
    expect(syncFieldName('inspection_members', 'name')).toBe('姓名');
    expect(syncFieldName('enterprises', 'gradeLevel')).toBe('gradeLevel');
    expect(syncFieldName('reviews', 'createdAt')).toBe('创建时间');
    expect(syncFieldName('enterprises', 'constructor')).toBe('constructor');
  });

  it('shows moments as local times, flags as yes or no, and empty values as empty', () => {
    const ms = Date.UTC(2026, 10, 28, 3, 0, 0);
    expect(syncValueText('createdAt', ms)).toBe(localTimeText(ms));
    expect(syncValueText('createdAt', ms)).toMatch(/^2026-11-28 \d{2}:00:00$/);
    expect(syncValueText('size', 1795893410343)).toBe('1795893410343');
    expect(syncValueText('deleted', true)).toBe('是');
    expect(syncValueText('name', '')).toBe('（空字符串）');
    expect(syncValueText('name', null)).toBe('（空）');
    expect(syncValueText('fact', { value: 35 })).toBe('{"value":35}');
    expect(localTimeText(null)).toBe('未知');
  });

  it('says whether a value came from the central store or a USB bundle, and from which device', () => {
    expect(syncSourceText('server')).toBe('中心服务器');
    expect(syncSourceText('bundle:0190eeee-0000-7000-8000-000000000009')).toBe('U盘数据包');
    expect(syncSourceDevice('bundle:0190eeee-0000-7000-8000-000000000009')).toBe(
      '0190eeee-0000-7000-8000-000000000009',
    );
    expect(syncSourceDevice('server')).toBeNull();
    expect(syncSourceText('elsewhere')).toBe('elsewhere');
  });

  it('reads the wall time of a clock stamp, and nothing from what is not one', () => {
    const ms = Date.UTC(2026, 10, 28, 3, 0, 0);
    expect(clockTime(formatHlc({ wallMs: ms, counter: 4, node: 'abc' }))).toBe(ms);
    expect(clockTime('')).toBeNull();
  });
});
