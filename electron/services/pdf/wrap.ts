/**
 * Line breaking for Chinese documents, done before pdfkit sees the text, so that:
 * - a Latin run (a unit such as mg/m³ or Nm³/h, a number, an id, a file name) is never cut
 *   unless it is wider than the whole line (pdfkit's UAX #14 breaker cuts mg/ | m³);
 * - closing punctuation never starts a line and opening punctuation never ends one (避头尾);
 * - between two Chinese characters a line may break anywhere.
 * The caller measures with the font and size it will draw with.
 */

/** Never at the start of a line: closing brackets and quotes, full stops, commas, marks. */
const NO_BREAK_BEFORE = new Set(
  Array.from('，。、；：！？）》」』】〕〗〉”’…—·%‰℃°％,.;:!?)]}>³²'),
);
/** Never at the end of a line: opening brackets and quotes. */
const NO_BREAK_AFTER = new Set(Array.from('（《「『【〔〖〈“‘([{<'));

/** Characters that make up an unbreakable Latin run: printable ASCII, superscripts, µ, °. */
function isLatin(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c > 0x20 && c < 0x7f) || ch === '³' || ch === '²' || ch === 'µ' || ch === '°';
}

type Token = { kind: 'text'; text: string } | { kind: 'space' } | { kind: 'newline' };

/** Splits text into the pieces a line may break between. */
export function breakTokens(text: string): Token[] {
  const tokens: Token[] = [];
  let glueNext = false;
  for (const ch of text.replace(/\r\n?/g, '\n')) {
    if (ch === '\n') {
      tokens.push({ kind: 'newline' });
      glueNext = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\u3000') {
      if (ch === '\u3000') {
        // An ideographic space is kept (it indents); it is a break opportunity like any space.
        tokens.push({ kind: 'text', text: ch });
      } else {
        tokens.push({ kind: 'space' });
      }
      glueNext = false;
      continue;
    }
    const last = tokens.at(-1);
    const joinLatin =
      last?.kind === 'text' && isLatin(ch) && isLatin(Array.from(last.text).at(-1) ?? '');
    if (last?.kind === 'text' && (joinLatin || glueNext || NO_BREAK_BEFORE.has(ch))) {
      last.text += ch;
    } else {
      tokens.push({ kind: 'text', text: ch });
    }
    glueNext = NO_BREAK_AFTER.has(ch);
  }
  return tokens;
}

/**
 * The lines of `text` at most `width` wide, as `measure` counts width. Explicit newlines are
 * kept; spaces at a line's edges are dropped; a piece wider than a whole line is cut by
 * characters.
 */
export function wrapLines(text: string, width: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  const space = measure(' ');
  let line = '';
  let lineWidth = 0;
  let pendingSpace = false;
  const push = () => {
    lines.push(line);
    line = '';
    lineWidth = 0;
    pendingSpace = false;
  };
  for (const token of breakTokens(text)) {
    if (token.kind === 'newline') {
      push();
      continue;
    }
    if (token.kind === 'space') {
      if (line !== '') pendingSpace = true;
      continue;
    }
    const w = measure(token.text);
    const gap = pendingSpace ? space : 0;
    if (lineWidth + gap + w <= width) {
      line += (pendingSpace ? ' ' : '') + token.text;
      lineWidth += gap + w;
      pendingSpace = false;
      continue;
    }
    if (w <= width) {
      if (line !== '') push();
      line = token.text;
      lineWidth = w;
      continue;
    }
    // Wider than a line: fill what is left of this one, then whole lines, by characters.
    let rest = Array.from(token.text);
    if (pendingSpace && line !== '') {
      line += ' ';
      lineWidth += space;
    }
    pendingSpace = false;
    while (rest.length > 0) {
      let n = 0;
      let taken = 0;
      for (; n < rest.length; n++) {
        const w = measure(rest[n] ?? '');
        if (lineWidth + taken + w > width) break;
        taken += w;
      }
      if (n === 0 && line === '') {
        n = 1;
        taken = measure(rest[0] ?? '');
      }
      if (n === 0) {
        push();
        continue;
      }
      line += rest.slice(0, n).join('');
      lineWidth += taken;
      rest = rest.slice(n);
      if (rest.length > 0) push();
    }
  }
  push();
  return lines;
}
