import type { InspectionSummary } from '../../../../shared/domain/inspection';
import type { PlanSummary } from '../../../../shared/plan/api';
import { gradeName } from './reviewText';

/** Finalized visits as a 申报 offers them: 编号 · 日期 · 核查等级, the newest first. */
export function visitOptions(visits: readonly InspectionSummary[]) {
  return [...visits]
    .filter((v) => v.status === 'finalized')
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0))
    .map((v) => ({
      value: v.id,
      label: `${v.number} · ${v.date} · 核查等级 ${v.grade === null ? '未定级' : gradeName(v.grade)}`,
    }));
}

/** An enterprise's plans: 编号 · 状态 · 措施数. */
export function planOptions(plans: readonly PlanSummary[]) {
  return plans.map((p) => ({
    value: p.id,
    label: `${p.number} · ${p.status} · ${p.measures} 项措施`,
  }));
}
