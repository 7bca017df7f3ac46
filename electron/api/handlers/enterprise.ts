import {
  createEnterprise,
  getEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../services/enterprises';
import { enterpriseDeletionSummary, trashEnterprise } from '../../services/trash';
import type { HandlerGroup } from '../types';

export const enterpriseHandlers = {
  'enterprise.list': (query, ctx) => listEnterprises(ctx, query),
  'enterprise.get': ({ id }, ctx) => getEnterprise(ctx, id),
  'enterprise.create': (draft, ctx) => createEnterprise(ctx, draft),
  'enterprise.update': ({ id, draft }, ctx) => updateEnterprise(ctx, id, draft),
  'enterprise.deletionSummary': ({ id }, ctx) => enterpriseDeletionSummary(ctx, id),
  'enterprise.delete': (input, ctx) => trashEnterprise(ctx, input),
} satisfies HandlerGroup;
