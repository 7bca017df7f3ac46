import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  findTextProblem,
  isCleanText,
  multilineText,
  shownText,
  text,
  textProblem,
  toWellFormed,
  valueTextProblem,
} from '../../shared/text';

describe('well-formed text', () => {
  it('accepts Chinese, emoji made of a surrogate pair and ordinary punctuation', () => {
    expect(textProblem('宁夏某某水泥有限公司 🏭（一期）')).toBeNull();
  });

  it('names a lone high or low surrogate and where it is', () => {
    expect(textProblem('水泥\uD800厂')).toMatch(/第 3 个字符是不成对的代理项/);
    expect(textProblem('\uDC00')).toMatch(/第 1 个字符/);
    expect(textProblem('末尾\uD83D')).toMatch(/不成对/);
  });

  it('refuses NUL, other controls, DEL and C1 controls', () => {
    expect(textProblem('a\u0000b')).toMatch(/空字符/);
    expect(textProblem('a\u0007b')).toMatch(/U\+0007/);
    expect(textProblem('a\u007Fb')).toMatch(/U\+007F/);
    expect(textProblem('a\u0085b')).toMatch(/U\+0085/);
  });

  it('allows tab and line breaks only where the text may span lines', () => {
    expect(textProblem('第一行\n第二行')).toMatch(/换行符/);
    expect(textProblem('第一行\r\n第二行\t', { multiline: true })).toBeNull();
  });

  it('refuses the controls that reverse how a name reads', () => {
    expect(textProblem('报告\u202Efdp.exe')).toMatch(/U\+202E/);
    expect(textProblem('\u2067x')).toMatch(/U\+2067/);
  });

  it('agrees with String.prototype.isWellFormed on surrogates for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const wellFormed = (s as unknown as { isWellFormed(): boolean }).isWellFormed();
        if (!wellFormed) expect(isCleanText(s, { multiline: true })).toBe(false);
      }),
    );
  });

  it('finds a bad string deep inside a value, keys included, with its path', () => {
    expect(findTextProblem({ a: [1, { b: 'ok' }, { c: 'x\uD800' }] })?.path).toBe('a[2].c');
    expect(findTextProblem({ ['k\u0000']: 1 })?.problem).toMatch(/字段名/);
    expect(findTextProblem({ note: '一\n二', n: 3, ok: true, none: null })).toBeNull();
  });

  it('gives zod schemas that refuse bad text with a Chinese message and keep trimming', () => {
    expect(text().trim().max(5).parse('  水泥  ')).toBe('水泥');
    const r = text().safeParse('名\uD800');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/文字含有无效字符：第 2 个字符是不成对的代理项/);
    expect(multilineText().parse('一\n二')).toBe('一\n二');
    expect(text().safeParse('一\n二').success).toBe(false);
  });

  it('mends lone surrogates into U+FFFD and leaves pairs alone', () => {
    expect(toWellFormed('a\uD800b\uDC00c😀')).toBe('a\uFFFDb\uFFFDc😀');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const problem = textProblem(toWellFormed(s), { multiline: true }) ?? '';
        expect(problem).not.toContain('代理项');
      }),
    );
  });

  it('names the field in the message when the schema is given its label', () => {
    const r = text('企业名称', '企业名称应为文本').safeParse('水\u0000泥');
    expect(r.error?.issues[0]?.message).toBe('企业名称含有无效字符：第 2 个字符是空字符（U+0000）');
    expect(text('企业名称', '企业名称应为文本').safeParse(3).error?.issues[0]?.message).toBe(
      '企业名称应为文本',
    );
    expect(multilineText('说明').safeParse('一\u0007').error?.issues[0]?.message).toMatch(
      /^说明含有无效字符：第 2 个字符是控制字符/,
    );
  });

  it('shows a refused value with each bad character replaced, pairs kept', () => {
    expect(shownText('水\uD800泥\u0000🏭')).toBe('水\uFFFD泥\uFFFD🏭');
    expect(shownText('一\n二')).toBe('一\uFFFD二');
    expect(shownText('一\n二', { multiline: true })).toBe('一\n二');
  });
});

describe('valueTextProblem', () => {
  it('refuses a line break in a synced one-line field such as an enterprise’s name', () => {
    expect(valueTextProblem('enterprises', 'name', '正常企业\r\n伪造的第二行')).toContain('换行符');
    expect(valueTextProblem('inspection_members', 'name', '张三\t')).toContain('制表符');
  });

  it('lets notes and fields this version does not know span lines', () => {
    expect(valueTextProblem('enterprise_processes', 'problems', '一\n二')).toBeNull();
    expect(valueTextProblem('enterprises', 'futureField', '一\r\n二')).toBeNull();
  });

  it('finds bad text inside a column that holds JSON', () => {
    expect(valueTextProblem('plan_versions', 'content', '{"a":"\\u0000"}')).toContain('U+0000');
  });
});
