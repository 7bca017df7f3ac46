import {
  applyForGrade,
  decideApplication,
  getApplicationDetail,
  listApplications,
  resubmitApplication,
  reviewAccount,
} from '../../services/reviews';
import type { HandlerGroup } from '../types';

/** Applications (申报) and their review: the account's permissions, apply, decide, read, list. */
export const reviewHandlers = {
  'review.account': (_input, ctx) => reviewAccount(ctx),
  'review.apply': (draft, ctx) => applyForGrade(ctx, draft),
  'review.resubmit': (input, ctx) => resubmitApplication(ctx, input),
  'review.decide': (input, ctx) => decideApplication(ctx, input),
  'review.get': (input, ctx) => getApplicationDetail(ctx, input.id),
  'review.list': (query, ctx) => listApplications(ctx, query),
} satisfies HandlerGroup;
