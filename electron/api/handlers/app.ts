import { pendingOpCount } from '../../../db/repositories/device';
import { APP_NAME, APP_VERSION } from '../../services/app-version';
import { enterpriseCount } from '../../services/enterprises';
import type { HandlerGroup } from '../types';

export const appHandlers = {
  'app.info': (_input, ctx) => ({
    name: APP_NAME,
    version: APP_VERSION,
    mode: ctx.mode,
    dataDir: ctx.dataDir,
    databaseFile: ctx.db.file,
    deviceId: ctx.device.deviceId,
    pendingOps: pendingOpCount(ctx.db),
    enterpriseCount: enterpriseCount(ctx),
  }),
} satisfies HandlerGroup;
