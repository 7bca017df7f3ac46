/**
 * Demo 一企一策 plans: one per enterprise with a finalized inspection, some approved and confirmed.
 */

import type { PlanStatus } from '../../../shared/plan';
import type { AppContext } from '../context';
import { getEnterprise } from '../enterprises';
import { listInspections } from '../inspections';
import { draftPlanFor, savePlan, setPlanStatus } from '../plans';
import { GIVEN, SURNAMES } from './names';
import { pick, seededRandom } from './random';

/** The last day of the month `months` after a YYYY-MM-DD day: a plausible deadline. */
function monthEndAfter(date: string, months: number): string {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const end = new Date(Date.UTC(y, m - 1 + months + 1, 0));
  return end.toISOString().slice(0, 10);
}

/**
 * A 一企一策 plan for every enterprise with a finalized visit, drafted from its latest one. The
 * statuses are spread so each shows: the plans with the most measures are confirmed (企业确认) and
 * approved (专家审定) in turn, the rest stay 草稿. A plan past 草稿 first gets the expert's part
 * (responsible person, deadline, some investments) as a second version; a confirmed one fills its
 * processes' 附件2 columns.
 */
export function demoPlans(ctx: AppContext, seed: number): number {
  const rand = seededRandom(seed + 3);
  const enterpriseIds: string[] = [];
  for (const v of listInspections(ctx, { status: 'finalized' })) {
    if (!enterpriseIds.includes(v.enterpriseId)) enterpriseIds.push(v.enterpriseId);
  }
  const drafted = enterpriseIds
    .map((enterpriseId) => draftPlanFor(ctx, { enterpriseId }))
    .sort((a, b) => b.content.measures.length - a.content.measures.length);
  const order: readonly PlanStatus[] = ['企业确认', '专家审定', '草稿'];
  drafted.forEach((draft, i) => {
    const status = order[i % order.length] as PlanStatus;
    if (status === '草稿') return;
    const contact = getEnterprise(ctx, draft.plan.enterpriseId).contactPerson;
    const person = () => `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`;
    const content = structuredClone(draft.content);
    for (const m of content.measures) {
      m.responsible = rand() < 0.5 && contact ? contact : person();
      m.deadline = monthEndAfter(draft.source.date, 3 + Math.floor(rand() * 10));
      if (rand() < 0.6) m.investment = Math.round(5 + rand() * 300);
    }
    const plan = savePlan(ctx, {
      id: draft.plan.id,
      baseVersion: draft.plan.currentVersion,
      content,
      comment: '演示数据：填写责任人、完成期限和预计投资',
    });
    const expert = plan.source.members.find((m) => m.role === '专家')?.name ?? person();
    const ref = { id: plan.plan.id, version: plan.plan.currentVersion };
    setPlanStatus(ctx, {
      ...ref,
      status: '专家审定',
      by: expert,
      opinion: '同意按此方案实施，请企业按期完成各项措施',
    });
    if (status === '企业确认') {
      setPlanStatus(ctx, {
        ...ref,
        status: '企业确认',
        by: contact ?? person(),
        method: '书面回执',
      });
    }
  });
  return drafted.length;
}
