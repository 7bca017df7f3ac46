import { describe, expect, it } from 'vitest';

import { MAX_FILE_NAME, safeFileName } from '../../shared/file-name';

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('现场照片 2025-06-01 (1).jpg')).toBe('现场照片 2025-06-01 (1).jpg');
    expect(safeFileName('监测报告😀.pdf')).toBe('监测报告😀.pdf');
  });

  it('drops NUL, control characters and direction overrides, so a name reads as it is', () => {
    expect(safeFileName('报告\u202Efdp.exe')).toBe('报告fdp.exe');
    expect(safeFileName('a\u0000b\u0007c\u009b\u200f\u2066d.png')).toBe('abcd.png');
    expect(safeFileName('x\uD800y.jpg')).toBe('xy.jpg');
  });

  it('turns path separators and the characters Windows refuses into "_", and drops leading dots', () => {
    expect(safeFileName('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(safeFileName('C:\\Users\\照片.jpg')).toBe('C__Users_照片.jpg');
    expect(safeFileName('a<b>c|d?*".png')).toBe('a_b_c_d___.png');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('scan.pdf. . ')).toBe('scan.pdf');
  });

  it('gives the fallback for a name with nothing left, and shortens a long one keeping its extension', () => {
    expect(safeFileName('\u202E\u0000 ..')).toBe('文件');
    expect(safeFileName('', '证据')).toBe('证据');
    const long = safeFileName(`${'长'.repeat(300)}.jpeg`);
    expect([...long]).toHaveLength(MAX_FILE_NAME);
    expect(long.endsWith('长.jpeg')).toBe(true);
  });
});
