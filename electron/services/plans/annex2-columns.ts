/**
 * How 企业确认 writes a plan into the registry's 附件2 columns: numbered lines, cut to the
 * column's size without splitting a character, per process.
 */

import type { ChangeSet } from '../../../db/changes';
import { listProcesses, updateProcessPlanColumns } from '../../../db/repositories/processes';
import type { PlanEdit } from '../../../shared/plan';
import type { AppContext } from '../context';
import { ANNEX2_TEXT_MAX } from './checks';

/** Numbered lines as 附件2 cells are written ("1.…\n2.…"); one item is written as it is. */
function numbered(items: readonly string[]): string[] {
  return items.length === 1 ? [...items] : items.map((t, i) => `${i + 1}.${t}`);
}

/** Cuts text to `n` UTF-16 units without splitting a surrogate pair. */
function cut(text: string, n: number): string {
  const code = text.charCodeAt(n - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? n - 1 : n);
}

/**
 * The lines of an 附件2 cell within `max` characters: whole lines while they fit; the first that
 * does not is cut with "…", and the number of lines left out is said at the end
 * ("…（另有 3 项，详见一企一策方案）"). null when there is nothing to write.
 */
export function fitLines(items: readonly string[], max = ANNEX2_TEXT_MAX): string | null {
  const lines = numbered(items.filter((t) => t.trim() !== ''));
  if (lines.length === 0) return null;
  const whole = lines.join('\n');
  if (whole.length <= max) return whole;
  const more = (left: number) => (left > 0 ? `\n…（另有 ${left} 项，详见一企一策方案）` : '');
  let text = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const sep = text === '' ? '' : '\n';
    const after = more(lines.length - i - 1);
    if (text.length + sep.length + line.length + after.length <= max) {
      text += sep + line;
      continue;
    }
    // This line does not fit whole: as much of it as leaves room for the note, if that is enough.
    const room = max - text.length - sep.length - after.length - 1;
    if (room >= 20) return `${text}${sep}${cut(line, room)}…${after}`;
    return `${text}${more(lines.length - i)}`;
  }
  return text;
}

/**
 * What the confirmed plan says of each process with measures, in 附件2's columns: 差异化指标 the
 * indicators and what they require, 存在问题 what the site showed, 改进措施 the measures, 拟完成时间
 * the latest deadline (left as it was when no measure has one). Written through writeChanges.
 */
export function fillAnnex2Columns(
  ctx: AppContext,
  changes: ChangeSet,
  enterpriseId: string,
  content: PlanEdit,
): number {
  let written = 0;
  for (const process of listProcesses(ctx.db, enterpriseId)) {
    const measures = content.measures.filter((m) => m.processId === process.id);
    if (measures.length === 0) continue;
    const deadlines = measures.flatMap((m) => (m.deadline ? [m.deadline] : [])).sort();
    const due = deadlines.at(-1);
    const fields = updateProcessPlanColumns(changes, process.id, {
      differentiators: fitLines(
        measures.map((m) => (m.required ? `${m.title}：${m.required}` : m.title)),
      ),
      problems: fitLines(measures.map((m) => (m.current ? `${m.title}：${m.current}` : m.title))),
      improvements: fitLines(measures.map((m) => m.measure)),
      ...(due !== undefined ? { dueDate: due } : {}),
    });
    if (fields.length > 0) written++;
  }
  return written;
}
