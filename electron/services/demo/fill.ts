/**
 * Filling an empty data folder with the demo: enterprises, processes, inspections, violations,
 * plans, applications under review and a published results list, refused where the folder already holds enterprises.
 */

import { writeChanges } from '../../../db/changes';
import { insertEnterprise } from '../../../db/repositories/enterprises';
import { insertProcess } from '../../../db/repositories/processes';
import { AppError } from '../../../shared/api/errors';
import type { AppContext } from '../context';
import { enterpriseCount } from '../enterprises';
import { rulesetBrief } from '../processes';
import { demoEnterprises, demoProcesses } from './enterprises';
import { demoGeneralInspections, demoInspections } from './inspections';
import { demoPlans } from './plans';
import { demoReviews } from './reviews';
import { seededRandom } from './random';

export interface DemoResult {
  enterprises: number;
  processes: number;
  /** Site visits written, with answers and generated photos. */
  inspections: number;
  /** Evidence files attached (uses; identical photos are stored once). */
  evidence: number;
  /** 一企一策 plans drafted: one per enterprise with a finalized visit. */
  plans: number;
  /** Applications (申报) at every step of review, and editions of the results list published. */
  applications: number;
  publications: number;
}

/**
 * Fills an empty data folder with a demo registry so a new user can try the app at once, a few
 * site visits (answers, photos, one violation) where a process has a gradable ruleset, a few with
 * the 通用帮扶检查表 in industries that have none, and a plan for every enterprise with a finalized
 * visit.
 * It refuses a folder that already holds enterprises: demo data never mixes with real data.
 */
export function fillDemo(
  ctx: AppContext,
  options: {
    enterprises: number;
    seed?: number;
    inspections?: number;
    generalInspections?: number;
  },
): DemoResult {
  const existing = enterpriseCount(ctx);
  if (existing > 0) {
    throw new AppError(
      'conflict',
      `数据目录中已有 ${existing} 家企业。演示数据只写入空的数据目录，请用 --data-dir 指定一个新目录。`,
    );
  }
  const drafts = demoEnterprises(options.enterprises, options.seed);
  const rand = seededRandom((options.seed ?? 2025) + 1);
  const grades = (id: string) => rulesetBrief(ctx, id)?.grades;
  let processes = 0;
  writeChanges(ctx.db, ctx.device, (changes) => {
    for (const draft of drafts) {
      const id = ctx.device.newId();
      insertEnterprise(changes, id, draft, ctx.device.now());
      for (const p of demoProcesses(rand, id, draft.name, ctx.catalog, grades)) {
        insertProcess(changes, ctx.device.newId(), p, ctx.device.now());
        processes++;
      }
    }
  });
  const visits = demoInspections(ctx, options.inspections ?? 6, options.seed ?? 2025);
  const general = demoGeneralInspections(
    ctx,
    options.generalInspections ?? 4,
    options.seed ?? 2025,
  );
  const plans = demoPlans(ctx, options.seed ?? 2025);
  const reviews = demoReviews(ctx);
  return {
    enterprises: drafts.length,
    processes,
    inspections: visits.visits + general.visits,
    evidence: visits.evidence + general.evidence,
    plans,
    applications: reviews.applications,
    publications: reviews.publications,
  };
}
