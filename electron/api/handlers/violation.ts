import { createViolation, listViolations, withdrawViolation } from '../../services/violations';
import type { HandlerGroup } from '../types';

/** Violations and the lock they put on an enterprise (lockedUntil, for its page and the registry). */
export const violationHandlers = {
  'violation.create': (draft, ctx) => createViolation(ctx, draft),
  'violation.list': (input, ctx) => listViolations(ctx, input),
  'violation.withdraw': (input, ctx) => withdrawViolation(ctx, input),
} satisfies HandlerGroup;
