import { listTrash, restoreFromTrash } from '../../services/trash';
import type { HandlerGroup } from '../types';

/** The 回收站: deleted enterprises, visits and plans of the last 30 days, and their restore. */
export const trashHandlers = {
  'trash.list': (_input, ctx) => listTrash(ctx),
  'trash.restore': (input, ctx) => restoreFromTrash(ctx, input),
} satisfies HandlerGroup;
