/**
 * Whether a text a team or an enterprise reads speaks their language (issue #15): no UUID, no
 * indicator or ruleset id, no English word. The E2E language test runs every screen's text and
 * both PDFs through `foreignTokens`; the shipped rulesets' field texts (`summary`, `hint`) are
 * checked with it too.
 *
 * What a team does read in Latin letters is allowed, and listed here explicitly:
 * - record numbers (银川-2026-0012-K7Q3, 宁夏-2026-3F9A2C) and 统一社会信用代码;
 * - standard numbers (GB 4915-2013, GB/T 16758, HJ 75-2017);
 * - permit outlet codes (DA001, DW002);
 * - file names' extensions (厂区全景.png), U盘, and a sync server's address by its IP
 *   (http://192.168.1.10:4791; a web address with a name or a path is still refused);
 * - the words of `ALLOWED_WORDS`: units, grade letters, PDF and Excel, and the few abbreviations
 *   the guidelines themselves use (VOCs, PM, CEMS…).
 */

export type ForeignKind = 'uuid' | 'indicator-id' | 'ruleset-id' | 'english';

export interface ForeignToken {
  kind: ForeignKind;
  token: string;
  /** A few characters around the token, to find it on the screen. */
  context: string;
}

/** The Latin-letter words a team reads as its own. Compared case-sensitively. */
export const ALLOWED_WORDS: ReadonlySet<string> = new Set([
  // Units (mg/m³ reads as mg and m, μg/m³ as g and m, Nm³ as Nm).
  'mg',
  'g',
  'kg',
  't',
  'm',
  'km',
  'Nm',
  'L',
  'mL',
  'h',
  'kWh',
  'kW',
  'MW',
  'Pa',
  'kPa',
  'MPa',
  'ppm',
  'pH',
  // Grade letters (A级, B-级).
  'A',
  'B',
  'C',
  'D',
  // Documents.
  'PDF',
  'Excel',
  // Abbreviations the guidelines and permits use as they are.
  'VOCs',
  'PM',
  'PM2.5',
  'PM10',
  'NOx',
  'SO2',
  'NH3',
  'CEMS',
  'SCR',
  'SNCR',
  'DCS',
  // The product's name, as on the window's title.
  'Uplift',
]);

/** Phrases allowed as a whole, taken out before the text is split into words. */
const ALLOWED_PATTERNS: readonly RegExp[] = [
  // Record numbers: 银川-2026-0012-K7Q3, and 宁夏-2026-3F9A2C for records made before numbers.
  /\p{Script=Han}+-\d{4}-(?:\d{4,}-[0-9A-HJKMNP-TV-Z]{4}|[0-9A-Z]{6})(?![0-9A-Za-z])/gu,
  // 统一社会信用代码 (GB 32100): 18 characters, no I, O, S, V, Z.
  /(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXY]{2}\d{6}[0-9A-HJ-NP-RTUWXY]{9}[0-9A-HJ-NP-RTUWXY](?![0-9A-Za-z])/g,
  // Standard numbers: GB 4915-2013, GB/T 16758, GB16297, HJ 75-2017, HJ/T 397, DB64/ 1234.
  /(?<![A-Za-z])(?:GB|HJ|DB\d*)(?:\s*\/\s*T)?\s*\/?\s*\d+(?:\.\d+)*(?:\s*[-—–]\s*\d{4})?/g,
  // Permit outlet codes: DA001 (废气), DW001 (废水).
  /(?<![A-Za-z])D[AW]\d{3}(?!\d)/g,
  // U盘, the Chinese word for a USB stick.
  /U\s*盘/g,
  // A sync server's address on the office network, as typed (http://192.168.1.10:4791).
  /https?:\/\/(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?(?![\w/.])/g,
  // A file name's extension.
  /(?<=[^\s.])\.(?:png|jpe?g|gif|webp|heic|bmp|tiff?|pdf|xlsx?|docx?|uplift-sync)(?![A-Za-z])/gi,
];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** An indicator id: dotted lower-case ASCII (equipment.level, transport.road-clean-share). */
const INDICATOR_ID =
  /(?<![A-Za-z0-9._-])[a-z][a-z0-9_-]*(?:\.[a-z0-9][a-z0-9_-]*)+(?![A-Za-z0-9_-])/g;
/** A generated indicator id (ind-1a2b3c4d): one without dots. */
const GENERATED_INDICATOR_ID = /^ind-[0-9a-f]{8}$/;
/** A ruleset id: hyphenated lower-case ASCII (cement-clinker-2020, general-a-b-c-d, rs-…). */
const RULESET_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;
/** A word: letters and digits, joined by - . _ / + ' (mg/m, SNCR+SCR, PM2.5, B-). */
const WORD = /[A-Za-z0-9]+(?:[._/+'’-][A-Za-z0-9]+)*/g;

function contextOf(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 12);
  const end = Math.min(text.length, index + length + 12);
  return text.slice(start, end).replace(/\s+/g, ' ').trim();
}

function blank(text: string, index: number, length: number): string {
  return text.slice(0, index) + ' '.repeat(length) + text.slice(index + length);
}

function allowedWord(word: string, allowed: ReadonlySet<string>): boolean {
  if (!/[A-Za-z]/.test(word) || allowed.has(word)) return true;
  // A compound reads as its parts: SNCR+SCR, mg/m, B-C.
  const parts = word.split(/[/+-]/);
  return parts.length > 1 && parts.every((p) => p === '' || !/[A-Za-z]/.test(p) || allowed.has(p));
}

/**
 * Every UUID, indicator id, ruleset id and English word in a text a team reads, in order of
 * appearance. `extraWords` adds to `ALLOWED_WORDS` (a screen's own allowance, named where used).
 */
export function foreignTokens(text: string, extraWords: Iterable<string> = []): ForeignToken[] {
  const allowed = new Set([...ALLOWED_WORDS, ...extraWords]);
  const found: { index: number; token: ForeignToken }[] = [];
  let rest = text;
  const take = (pattern: RegExp, kind: ForeignKind | null) => {
    for (const m of rest.matchAll(pattern)) {
      if (kind) {
        found.push({
          index: m.index,
          token: { kind, token: m[0], context: contextOf(text, m.index, m[0].length) },
        });
      }
      rest = blank(rest, m.index, m[0].length);
    }
  };
  take(UUID, 'uuid');
  for (const pattern of ALLOWED_PATTERNS) take(pattern, null);
  take(INDICATOR_ID, 'indicator-id');
  for (const m of rest.matchAll(WORD)) {
    const word = m[0];
    if (allowedWord(word, allowed)) continue;
    const kind: ForeignKind = GENERATED_INDICATOR_ID.test(word)
      ? 'indicator-id'
      : RULESET_ID.test(word)
        ? 'ruleset-id'
        : 'english';
    found.push({
      index: m.index,
      token: { kind, token: word, context: contextOf(text, m.index, word.length) },
    });
  }
  return found.sort((a, b) => a.index - b.index).map((f) => f.token);
}

const KIND_NAMES: Record<ForeignKind, string> = {
  uuid: 'UUID',
  'indicator-id': 'indicator id',
  'ruleset-id': 'ruleset id',
  english: 'English word',
};

/** One line per token, for a test's failure message: `UUID "…" in “…”`. */
export function describeForeign(tokens: readonly ForeignToken[]): string[] {
  return tokens.map((t) => `${KIND_NAMES[t.kind]} "${t.token}" in “${t.context}”`);
}
