/**
 * 审核评定 on the device: applications (申报) and their review (初审, 复审, 评定), the account's
 * permissions, and reading them back. The rules themselves are shared/domain/review.ts; the
 * central store enforces roles and order whatever a device sends.
 *
 * - account.ts: what the logged-in account may do, and why not;
 * - apply.ts: 申报 and 重新提交 after 退回补充;
 * - decide.ts: a reviewer's decision, and the official grade (or 保障类) it sets;
 * - read.ts: one application with its materials, steps and actions;
 * - list.ts: the review queue, its statuses derived in SQL.
 */
export { reviewAccount } from './account';
export { applyForGrade, resubmitApplication } from './apply';
export { decideApplication } from './decide';
export { getApplicationDetail } from './read';
export { listApplications } from './list';
