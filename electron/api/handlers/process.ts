import {
  createProcess,
  deleteProcess,
  listProcesses,
  updateProcess,
} from '../../services/processes';
import type { HandlerGroup } from '../types';

export const processHandlers = {
  'process.list': ({ enterpriseId }, ctx) => listProcesses(ctx, enterpriseId),
  'process.create': (draft, ctx) => createProcess(ctx, draft),
  'process.update': ({ id, draft }, ctx) => updateProcess(ctx, id, draft),
  'process.delete': ({ id }, ctx) => deleteProcess(ctx, id),
} satisfies HandlerGroup;
