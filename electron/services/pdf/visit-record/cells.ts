import { type InspectionAnswer, type InspectionDetail } from '../../../../shared/domain/inspection';
import { JUDGED_LABEL } from '../../../../shared/grading';
import type { GradeDisplay } from '../../../../shared/grading/display';
import { formatNumber } from '../../../../shared/grading/text';
import { COLOR, DRAFT_MARK, type PdfWriter, type Cell } from '../document';
import { formatDate } from '../format';

/** What the visit record prints in several places: its colours, the notices at the top, grade, judged and answer cells. */
export const RED = COLOR.red;
export const MUTED = COLOR.muted;

/** Red lines at the top: grades from drafts, and corrections. */
export function notices(w: PdfWriter, detail: InspectionDetail): void {
  const { grading, inspection } = detail;
  if (grading.unverified) {
    const drafts = grading.processes
      .filter((p) => p.unverified)
      .map((p) => `${p.rulesetName}（${p.edition} 版）`);
    w.paragraph(
      `${DRAFT_MARK}：本记录所用的${[...new Set(drafts)].join('、')}为草稿，尚未与官方文本逐条核对，据此评定的等级仅供参考。`,
      { size: 9, color: RED },
    );
  }
  const dateOf = (id: string) => detail.history.find((h) => h.id === id)?.date;
  const numberOf = (id: string) => detail.history.find((h) => h.id === id)?.number ?? id;
  if (inspection.revisionOf) {
    const date = dateOf(inspection.revisionOf);
    w.paragraph(
      `本记录是${date ? ` ${formatDate(date)} ` : ''}检查记录（编号 ${numberOf(inspection.revisionOf)}）的修订版本。`,
      { size: 9, color: MUTED },
    );
    if (inspection.correctionReason) {
      w.paragraph(`更正原因：${inspection.correctionReason}`, { size: 9, bold: true });
    }
  }
  if (detail.revisedBy) {
    const date = dateOf(detail.revisedBy.id);
    w.paragraph(
      `本记录已被${date ? ` ${formatDate(date)} 的` : ''}修订版本（编号 ${detail.revisedBy.number}${detail.revisedBy.status === 'draft' ? '，尚未定稿' : ''}）更正，请以修订版本为准。`,
      { size: 9, color: RED, bold: true },
    );
    if (detail.revisedBy.reason) {
      w.paragraph(`更正原因：${detail.revisedBy.reason}`, { size: 9, color: RED });
    }
  }
}

/**
 * A grade as the one rule reads it (shared/grading/display.ts): 未评定, 暂评 B级（尚有 3 项未填）
 * or B级; a finalized record's is the grade stored when it was finalized.
 */
export function gradeCell(display: GradeDisplay, unverified: boolean): Cell {
  if (display.grade === null) return { text: display.text, color: MUTED };
  if (!unverified) return { text: display.text, bold: display.kind === 'final' };
  return { text: `${display.text}（${DRAFT_MARK}）`, bold: true, color: RED };
}

/**
 * A grade the team judged with the 通用帮扶检查表: 专家判定 B级 for a process, B级（含专家判定）for a
 * visit where some process was judged. Ungraded cells stay as they are.
 */
export function judgedCell(cell: Cell, mode: '' | '含'): Cell {
  if (typeof cell === 'string') cell = { text: cell };
  if (cell.color === MUTED) return cell;
  return mode === ''
    ? { ...cell, text: `${JUDGED_LABEL} ${cell.text}` }
    : { ...cell, text: `${cell.text}（含${JUDGED_LABEL}）` };
}

/** The answer's note (现状), problems (存在问题) and readings (实测读数), as one cell. */
export function answerNotes(a: InspectionAnswer): string {
  const lines: string[] = [];
  if (a.note) lines.push(a.readings.length + a.problems.length > 0 ? `现状：${a.note}` : a.note);
  a.problems.forEach((p, i) => lines.push(`存在问题${a.problems.length > 1 ? i + 1 : ''}：${p}`));
  for (const r of a.readings) {
    const extra = [
      r.oxygenRef !== null ? `基准氧含量 ${formatNumber(r.oxygenRef)}%` : null,
      r.limit !== null ? `限值 ${formatNumber(r.limit)} ${r.unit}` : null,
    ].filter((x) => x !== null);
    lines.push(
      `实测：${r.outlet} ${r.pollutant} ${formatNumber(r.value)} ${r.unit}${extra.length > 0 ? `（${extra.join('，')}）` : ''}`,
    );
  }
  return lines.join('\n');
}
