/**
 * What a signed or confirmed record must say, checked where a row is written from outside the
 * app's services: the central store on every push (server/sync/push/check-op.ts). The device's SQLite
 * says the same in the triggers of migration 0018 (db/migrations/0018_signatures.sql), and the
 * services refuse it before either. Rows are values by field name (db/schema.ts's camelCase).
 *
 * Each rule looks only at the row as it would be (`next`) and as it was (`before`, absent for
 * a new row); rules that need another row (a signature's member, its plan) live in the push steps.
 */

export const CONFIRM_METHOD_VALUES: readonly string[] = ['现场签字', '电话确认', '书面回执'];

type Row = Readonly<Record<string, unknown>>;

function blank(v: unknown): boolean {
  return typeof v !== 'string' || v.trim() === '';
}

function changed(next: Row, before: Row | undefined, field: string): boolean {
  return before === undefined || (next[field] ?? null) !== (before[field] ?? null);
}

/** Why this row may not be written (in Chinese, for the person whose op is parked), or null. */
export function recordRuleProblem(
  table: string,
  next: Row,
  before: Row | undefined,
): string | null {
  switch (table) {
    case 'plans':
      if (
        next.reviewedAt !== null &&
        next.reviewedAt !== undefined &&
        changed(next, before, 'reviewedAt') &&
        blank(next.reviewOpinion)
      ) {
        return '专家审定须填写审定意见';
      }
      if (
        next.confirmedAt !== null &&
        next.confirmedAt !== undefined &&
        changed(next, before, 'confirmedAt') &&
        (blank(next.confirmedBy) || !CONFIRM_METHOD_VALUES.includes(String(next.confirmMethod)))
      ) {
        return '企业确认须写明确认人和确认方式（现场签字、电话确认或书面回执）';
      }
      return null;
    case 'inspections':
      if (
        typeof next.revisionOf === 'string' &&
        changed(next, before, 'correctionReason') &&
        blank(next.correctionReason)
      ) {
        return '更正须写明更正原因';
      }
      return null;
    case 'violations': {
      const fields = ['withdrawnAt', 'withdrawnBy', 'withdrawnAccount', 'withdrawReason'];
      if (
        before?.withdrawnAt !== null &&
        before?.withdrawnAt !== undefined &&
        fields.some((f) => changed(next, before, f))
      ) {
        return '违法记录已撤销，撤销人、时间和原因不能再改';
      }
      if (
        next.withdrawnAt !== null &&
        next.withdrawnAt !== undefined &&
        (blank(next.withdrawnBy) || blank(next.withdrawReason))
      ) {
        return '撤销违法记录须写明撤销人和撤销原因';
      }
      return null;
    }
    case 'attachment_uses': {
      const signature = (r: Row | undefined) =>
        r !== undefined &&
        ['signerRole', 'signerName', 'memberId', 'planId'].some(
          (f) => r[f] !== null && r[f] !== undefined,
        );
      if (!signature(next) && !signature(before)) return null;
      if (before?.planId !== null && before?.planId !== undefined) {
        const fields = ['attachmentId', 'signerName', 'signerRole', 'planId', 'planVersion'];
        if (fields.some((f) => changed(next, before, f)) || next.deleted === true) {
          return '方案上的签名签下后不能更换';
        }
      }
      if (blank(next.signerName) || blank(next.signerRole)) {
        return '签名须写明签名人姓名和身份';
      }
      const onVisit = typeof next.inspectionId === 'string';
      const onPlan = typeof next.planId === 'string';
      if (
        onVisit === onPlan ||
        (onPlan && typeof next.planVersion !== 'number') ||
        typeof next.answerId === 'string' ||
        typeof next.violationId === 'string'
      ) {
        return '签名须签在一次检查或一份方案的某一版上';
      }
      return null;
    }
    default:
      return null;
  }
}
