/**
 * Demo 审核评定 and 信息公开: applications at every step of both routes, an approved one that sets
 * an official grade, a 保障类 enterprise, and a published edition of the region's results list.
 * The reviewers' decisions are made as the accounts that would make them (a 市级审核 of the
 * enterprise's city, the region's 自治区复审): the device is logged in as each in turn through its
 * sync settings, which are put back as they were at the end — a demo folder is never left logged in.
 */

import { readSyncSettings, writeSyncSettings } from '../../../db/repositories/sync';
import { AppError } from '../../../shared/api/errors';
import { cityName } from '../../../shared/domain/regions';
import {
  ApplicationDraftSchema,
  PublishSchema,
  ResubmitSchema,
  ReviewDecisionSchema,
  type ApplicationDetail,
  type Decision,
  type DecisionStep,
} from '../../../shared/domain/review';
import { REGION_SCOPE, type Role } from '../../../shared/sync/protocol';
import type { AppContext } from '../context';
import { listEnterprises } from '../enterprises';
import { listInspections } from '../inspections';
import { listPlans } from '../plans';
import { publishPublication } from '../publications';
import { applyForGrade, decideApplication, resubmitApplication } from '../reviews';

export interface DemoReviews {
  applications: number;
  /** Editions of the results list published (0 when no grade was approved). */
  publications: number;
}

type Scenario = {
  targetGrade: string;
  steps: [DecisionStep, Decision][];
  /** Resubmitted after the last step (a 退回补充), then taken through these steps. */
  again?: [DecisionStep, Decision][];
};

/** One application per enterprise with a finalized visit, in this order, until they run out. */
const SCENARIOS: readonly Scenario[] = [
  // The six statuses first (the demo has about six enterprises with a finalized visit).
  {
    targetGrade: 'B',
    steps: [
      ['市级初审', '通过'],
      ['自治区复审', '通过'],
    ],
  },
  { targetGrade: 'B', steps: [['市级初审', '通过']] },
  {
    targetGrade: 'A',
    steps: [
      ['市级初审', '通过'],
      ['自治区复审', '不予通过'],
    ],
  },
  { targetGrade: 'B-', steps: [['市级初审', '退回补充']] },
  { targetGrade: 'C', steps: [] },
  { targetGrade: 'A', steps: [] },
  { targetGrade: 'C', steps: [['市级评定', '通过']] },
  {
    targetGrade: 'B',
    steps: [['市级初审', '退回补充']],
    again: [
      ['市级初审', '通过'],
      ['自治区复审', '通过'],
    ],
  },
];

const OPINIONS: Record<Decision, string> = {
  通过: '申报材料齐全，现场核查结果与申报等级相符，同意。',
  退回补充: '请补充近一年在线监测数据和运输台账，完善后重新提交。',
  不予通过: '无组织排放控制未达到申报等级要求，不予通过。',
};

const REVIEWERS: Record<DecisionStep, { role: Role; name: string; username: string }> = {
  市级初审: { role: '市级审核', name: '李静', username: 'li.jing' },
  市级评定: { role: '市级审核', name: '李静', username: 'li.jing' },
  自治区复审: { role: '自治区复审', name: '赵敏', username: 'zhao.min' },
};

export function demoReviews(ctx: AppContext): DemoReviews {
  const saved = readSyncSettings(ctx.db);
  const as = (role: Role, name: string, username: string, scope: string) =>
    writeSyncSettings(ctx.db, {
      token: 'demo',
      user: { id: `demo-${username}`, username, displayName: name, role, scope },
    });
  let applications = 0;
  let publications = 0;
  try {
    const finalized = new Map<string, string[]>();
    for (const v of listInspections(ctx, { status: 'finalized' })) {
      finalized.set(v.enterpriseId, [...(finalized.get(v.enterpriseId) ?? []), v.id]);
    }
    let i = 0;
    for (const [enterpriseId, visits] of finalized) {
      const scenario = SCENARIOS[i];
      if (!scenario) break;
      const plan = listPlans(ctx, { enterpriseId })[0];
      let detail: ApplicationDetail;
      try {
        detail = applyForGrade(
          ctx,
          ApplicationDraftSchema.parse({
            enterpriseId,
            kind: '等级',
            targetGrade: scenario.targetGrade,
            inspectionIds: visits,
            planId: plan?.id ?? null,
            reason: `经帮扶整改，企业各项指标已达到${scenario.targetGrade}级要求，申请认定。`,
            applicant: '马建国',
          }),
        );
      } catch (e) {
        // An enterprise under a violation lock may not apply: the demo goes on with the next.
        if (e instanceof AppError) continue;
        throw e;
      }
      i++;
      applications++;
      const decideAll = (steps: readonly [DecisionStep, Decision][]) => {
        for (const [step, decision] of steps) {
          const who = REVIEWERS[step];
          as(
            who.role,
            who.name,
            who.username,
            who.role === '自治区复审' ? REGION_SCOPE : detail.cityCode,
          );
          detail = decideApplication(
            ctx,
            ReviewDecisionSchema.parse({
              applicationId: detail.id,
              step,
              decision,
              opinion: OPINIONS[decision],
              decidedBy: who.name,
              ...(decision === '通过' && step !== '市级初审'
                ? { documentNo: `宁环函〔2026〕${100 + i}号` }
                : {}),
            }),
          );
        }
      };
      decideAll(scenario.steps);
      if (scenario.again) {
        writeSyncSettings(ctx.db, { token: null, user: null });
        detail = resubmitApplication(
          ctx,
          ResubmitSchema.parse({
            applicationId: detail.id,
            reason: '已补充近一年在线监测数据和运输台账。',
            applicant: '马建国',
          }),
        );
        decideAll(scenario.again);
      }
    }
    // A 保障类 enterprise the city listed: the first enterprise without an application.
    const listed = listEnterprises(ctx, { offset: 0, limit: 50 }).items.find(
      (e) => !finalized.has(e.id),
    );
    if (listed) {
      writeSyncSettings(ctx.db, { token: null, user: null });
      const detail = applyForGrade(
        ctx,
        ApplicationDraftSchema.parse({
          enterpriseId: listed.id,
          kind: '保障类',
          reason: `承担${cityName(listed.cityCode)}城市集中供热，属于民生保障类企业。`,
          applicant: '马建国',
        }),
      );
      as('市级审核', '李静', 'li.jing', listed.cityCode);
      decideApplication(
        ctx,
        ReviewDecisionSchema.parse({
          applicationId: detail.id,
          step: '市级评定',
          decision: '通过',
          opinion: '承担民生保障任务，同意列为保障类企业。',
          decidedBy: '李静',
        }),
      );
      applications++;
    }
    as('自治区复审', '赵敏', 'zhao.min', REGION_SCOPE);
    try {
      publishPublication(ctx, PublishSchema.parse({ scope: REGION_SCOPE, publishedBy: '赵敏' }));
      publications++;
    } catch (e) {
      // Nothing approved (a tiny demo): there is no list to publish.
      if (!(e instanceof AppError)) throw e;
    }
  } finally {
    writeSyncSettings(ctx.db, { token: saved.token, user: saved.user });
  }
  return { applications, publications };
}
