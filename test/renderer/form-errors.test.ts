import { describe, expect, it } from 'vitest';

import { ApiError } from '../../renderer/src/api';
import { fieldErrors, showRefusal } from '../../renderer/src/form-errors';

const FIELDS = ['date', 'kind', 'note'] as const;

function recorder() {
  const shown: { name: string; errors: string[] }[][] = [];
  return { shown, setFields: (f: { name: string; errors: string[] }[]) => shown.push(f) };
}

describe('form errors', () => {
  it('puts an issue under the last path segment that names a field', () => {
    const { byField, other } = fieldErrors(
      [
        { path: 'draft.date', message: '日期应为 YYYY-MM-DD' },
        { path: ['kind'], message: '请选择违法情形' },
        { path: 'inspectionId', message: '不是这家企业的检查记录' },
      ],
      FIELDS,
    );
    expect(Object.fromEntries(byField)).toEqual({
      date: ['日期应为 YYYY-MM-DD'],
      kind: ['请选择违法情形'],
    });
    expect(other).toEqual(['不是这家企业的检查记录']);
  });

  it('shows a refusal under its fields, clears the others, and returns what fits no field', () => {
    const form = recorder();
    const rest = showRefusal(
      form,
      FIELDS,
      new ApiError({
        code: 'invalid_input',
        message: '输入有误',
        issues: [
          { path: 'date', message: '日期应为 YYYY-MM-DD' },
          { path: 'inspectionId', message: '不是这家企业的检查记录' },
        ],
      }),
    );
    expect(form.shown[0]).toEqual([
      { name: 'date', errors: ['日期应为 YYYY-MM-DD'] },
      { name: 'kind', errors: [] },
      { name: 'note', errors: [] },
    ]);
    expect(rest).toBe('不是这家企业的检查记录');
  });

  it('returns the whole message of a refusal without issues, touching no field', () => {
    const form = recorder();
    const rest = showRefusal(
      form,
      FIELDS,
      new ApiError({ code: 'not_found', message: '企业不存在' }),
    );
    expect(rest).toBe('企业不存在');
    expect(form.shown).toEqual([]);
  });
});
