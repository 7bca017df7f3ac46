import type { ReviewAccount } from '../../../shared/api/methods/reviews';
import {
  CITY_PUBLISHER,
  GRADE_CHANGERS,
  REGION_PUBLISHER,
  REVIEW_STEPS,
  STEP_ROLES,
  STEP_ROLES_TEXT,
  type ReviewStep,
} from '../../../shared/domain/review';

import type { AppContext } from '../context';
import { NOT_LOGGED_IN, identityOf } from './common';

/**
 * What this device's account may do in review: the steps it may take (提交 is everyone's), what
 * it may publish or change, and, when it may not review, why (for the screens to say so).
 */
export function reviewAccount(ctx: AppContext): ReviewAccount {
  const who = identityOf(ctx);
  const role = who.role;
  const steps: ReviewStep[] = REVIEW_STEPS.filter(
    (s) => s === '提交' || (role !== null && STEP_ROLES[s] === role),
  );
  let why: string | null = null;
  if (role === null) why = NOT_LOGGED_IN;
  else if (steps.length === 1) why = `${role}账号不能审核申报：${STEP_ROLES_TEXT}`;
  return {
    account: who.account,
    role,
    scope: who.scope,
    steps,
    mayPublishCity: role === CITY_PUBLISHER,
    mayPublishRegion: role === REGION_PUBLISHER,
    mayRecordAPlus: role === REGION_PUBLISHER,
    mayChangeGrade: role !== null && GRADE_CHANGERS.includes(role),
    why,
  };
}
