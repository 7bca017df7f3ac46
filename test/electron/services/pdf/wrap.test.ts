import { describe, expect, it } from 'vitest';

import { breakTokens, wrapLines } from '../../../../electron/services/pdf/wrap';

/** Every character one unit wide, a space half a unit. */
const measure = (s: string) => Array.from(s).reduce((n, ch) => n + (ch === ' ' ? 0.5 : 1), 0);

describe('wrapLines()', () => {
  it('never cuts a unit, a number or a word unless it is wider than a line', () => {
    expect(wrapLines('最高读数为 63 mg/m³', 9, measure)).toEqual(['最高读数为 63', 'mg/m³']);
    expect(wrapLines('流量 1200Nm³/h', 10, measure)).toEqual(['流量', '1200Nm³/h']);
    expect(wrapLines('IMG_20250601_103000.jpg', 10, measure)).toEqual([
      'IMG_202506',
      '01_103000.',
      'jpg',
    ]);
  });

  it('breaks between Chinese characters but keeps punctuation off the start of a line', () => {
    expect(wrapLines('窑尾氮氧化物排放浓度', 4, measure)).toEqual(['窑尾氮氧', '化物排放', '浓度']);
    expect(wrapLines('达到要求，未见异常。', 4, measure)).toEqual(['达到要', '求，未见', '异常。']);
    expect(wrapLines('说明（草稿）', 3, measure)).toEqual(['说明', '（草', '稿）']);
  });

  it('keeps explicit newlines and drops spaces at the edges of lines', () => {
    expect(wrapLines('  第一行  \n第二行', 10, measure)).toEqual(['第一行', '第二行']);
    expect(wrapLines('', 10, measure)).toEqual(['']);
  });

  it('glues an opening bracket to what follows it', () => {
    const texts = breakTokens('（一）').flatMap((t) => (t.kind === 'text' ? [t.text] : []));
    expect(texts).toEqual(['（一）']);
  });
});
