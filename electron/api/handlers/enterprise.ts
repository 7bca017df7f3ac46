import {
  createEnterprise,
  deleteEnterprise,
  getEnterprise,
  listEnterprises,
  updateEnterprise,
} from '../../services/enterprises';
import type { HandlerGroup } from '../types';

export const enterpriseHandlers = {
  'enterprise.list': (query, ctx) => listEnterprises(ctx, query),
  'enterprise.get': ({ id }, ctx) => getEnterprise(ctx, id),
  'enterprise.create': (draft, ctx) => createEnterprise(ctx, draft),
  'enterprise.update': ({ id, draft }, ctx) => updateEnterprise(ctx, id, draft),
  'enterprise.delete': ({ id }, ctx) => deleteEnterprise(ctx, id),
} satisfies HandlerGroup;
