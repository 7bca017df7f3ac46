import { z } from 'zod';

/**
 * Well-formed text, the one rule for every boundary where text enters the app or the store: the
 * API's inputs, an Excel import, a USB bundle, a sync push or pull, a ruleset file.
 *
 * Refused everywhere:
 * - a lone UTF-16 surrogate (not Unicode at all: PostgreSQL, JSON encoders and PDF fonts choke);
 * - U+0000 (PostgreSQL's text and jsonb cannot hold it; C strings end at it);
 * - the other C0 controls, DEL and the C1 controls, except tab, line feed and carriage return
 *   where the text may span lines (a note, a finding);
 * - the bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069),
 *   which make a name read otherwise than it is stored (“报告\u202Efdp.exe”);
 * - the noncharacters U+FFFE and U+FFFF.
 *
 * Each problem is named in Chinese with where it is (the first one found).
 */

export interface TextRules {
  /** Tab, line feed and carriage return are allowed (notes, findings). Default: false. */
  multiline?: boolean;
}

function codeName(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** What is wrong with a string, in Chinese, or null when it is well-formed text. */
export function textProblem(text: string, rules: TextRules = {}): string | null {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `第 ${i + 1} 个字符是不成对的代理项（不是有效的 Unicode 文字）`;
    }
    if (code >= 0xdc00 && code <= 0xdfff) {
      return `第 ${i + 1} 个字符是不成对的代理项（不是有效的 Unicode 文字）`;
    }
    if (code === 0) return `第 ${i + 1} 个字符是空字符（U+0000）`;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) {
      if (rules.multiline && (code === 0x09 || code === 0x0a || code === 0x0d)) continue;
      if (code === 0x09 || code === 0x0a || code === 0x0d) {
        return `第 ${i + 1} 个字符是${code === 0x09 ? '制表符' : '换行符'}，此处只能填写一行文字`;
      }
      return `第 ${i + 1} 个字符是控制字符（${codeName(code)}）`;
    }
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) {
      return `第 ${i + 1} 个字符是改变文字方向的控制字符（${codeName(code)}）`;
    }
    if (code === 0xfffe || code === 0xffff) {
      return `第 ${i + 1} 个字符是非字符（${codeName(code)}）`;
    }
  }
  return null;
}

/** Whether a string is well-formed text under the rules. */
export function isCleanText(text: string, rules: TextRules = {}): boolean {
  return textProblem(text, rules) === null;
}

/**
 * The first ill-formed string anywhere in a JSON-like value (keys included), with its path, or
 * null. Strings inside may span lines (an op or a file does not say which fields are notes).
 */
export function findTextProblem(
  value: unknown,
  path = '',
  depth = 0,
): { path: string; problem: string } | null {
  if (depth > 64) return { path, problem: '嵌套层级过深' };
  if (typeof value === 'string') {
    const problem = textProblem(value, { multiline: true });
    return problem ? { path, problem } : null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTextProblem(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      const keyProblem = textProblem(key);
      const at = path ? `${path}.${key}` : key;
      if (keyProblem) return { path: at, problem: `字段名${keyProblem}` };
      const found = findTextProblem(v, at, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

/**
 * A zod string of well-formed single-line text: `text('企业名称').trim().min(1, …).max(50)`.
 * `label` names the field in the message (企业名称含有无效字符：第 3 个字符是…), so it reads
 * well where the message is shown away from its field; `typeError` is the message for a value
 * that is not a string at all.
 */
export function text(label?: string, typeError?: TypeError): z.ZodString {
  return wellFormed(label, typeError, {});
}

/** A zod string of well-formed text that may span lines (notes, findings, comments). */
export function multilineText(label?: string, typeError?: TypeError): z.ZodString {
  return wellFormed(label, typeError, { multiline: true });
}

/** The message for a value that is not a string (or a function of the issue, as zod takes). */
type TypeError = string | ((issue: { input?: unknown }) => string);

function wellFormed(label: string | undefined, typeError: TypeError | undefined, rules: TextRules) {
  const base = typeError === undefined ? z.string() : z.string({ error: typeError });
  return base.refine((s) => textProblem(s, rules) === null, {
    error: (issue) =>
      `${label ?? '文字'}含有无效字符：${textProblem(String(issue.input), rules) ?? ''}`,
  });
}

/** The string with each lone surrogate replaced by U+FFFD (as String.prototype.toWellFormed). */
export function toWellFormed(s: string): string {
  return s.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

/**
 * The text with every character `textProblem` refuses shown as U+FFFD (�), so a refused value
 * can be quoted back to a person (an import problem) without carrying the bad character on.
 */
export function shownText(text: string, rules: TextRules = {}): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += text.slice(i, i + 2);
        i++;
      } else out += '\uFFFD';
      continue;
    }
    const ch = text[i] as string;
    out += textProblem(ch, rules) === null ? ch : '\uFFFD';
  }
  return out;
}

/** Text columns that hold JSON: the strings inside (escaped in the text) are checked too. */
const JSON_FIELDS: ReadonlySet<string> = new Set([
  'rulesets\u0001json',
  'pinned_rulesets\u0001json',
  'inspection_answers\u0001fact',
  'plan_versions\u0001content',
]);

/**
 * Synced fields that hold one line (names, codes, phones, addresses), as the API's schemas take
 * them: a line break there would forge a second line in an Excel cell, a PDF or a log. Every other
 * text field (notes, findings, fields this version does not know) may span lines.
 */
const ONE_LINE_FIELDS: ReadonlySet<string> = new Set(
  [
    'enterprises.name',
    'enterprises.creditCode',
    'enterprises.cityCode',
    'enterprises.countyCode',
    'enterprises.address',
    'enterprises.contactPerson',
    'enterprises.contactPhone',
    'enterprise_processes.industryCode',
    'enterprise_processes.branch',
    'enterprise_processes.name',
    'enterprise_processes.rulesetId',
    'enterprise_processes.currentGrade',
    'enterprise_processes.targetGrade',
    'enterprise_processes.dueDate',
    'inspection_members.name',
    'inspection_members.role',
  ].map((f) => f.replace('.', '\u0001')),
);

/**
 * Why a synced field's value is not well-formed text, in Chinese, or null: any string in it, and
 * in a column that holds JSON, every string inside that JSON too; a line break in a one-line
 * field. The store (push) and every device (pull, bundles) apply this same rule.
 */
export function valueTextProblem(table: string, field: string, value: unknown): string | null {
  if (typeof value === 'string' && ONE_LINE_FIELDS.has(`${table}\u0001${field}`)) {
    return textProblem(value);
  }
  const found = findTextProblem(value);
  if (found) return found.problem;
  if (typeof value !== 'string' || !JSON_FIELDS.has(`${table}\u0001${field}`)) return null;
  if (!value.includes('\\u')) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  return findTextProblem(parsed)?.problem ?? null;
}
