import { z } from 'zod';
import { TrashRestoreSchema, type TrashItem } from '../../domain/trash';
import { text } from '../../text';
import { DraftListSchema, DraftWriteSchema, type Draft } from '../../drafts';
import { Empty, method } from './common';

/** The app's own methods: app.info, the drafts kept on this device, the 回收站 and task.cancel. */
export interface AppInfo {
  name: string;
  version: string;
  mode: 'electron' | 'browser' | 'cli';
  dataDir: string;
  databaseFile: string;
  deviceId: string;
  /** Local changes recorded in the outbox and not yet acknowledged by the central store. */
  pendingOps: number;
  enterpriseCount: number;
}

export const appMethods = {
  'app.info': method(Empty).returns<AppInfo>(),
  /** Keeps unsaved typing on this device (and clears what a save carried), in one write. */
  'draft.write': method(DraftWriteSchema).returns<{ kept: number; cleared: number }>(),
  /** A visit's or plan's unsaved typing kept on this device. */
  'draft.list': method(DraftListSchema).returns<Draft[]>(),
  /** The 回收站: what was deleted in the last 30 days, newest first. */
  'trash.list': method(Empty).returns<TrashItem[]>(),
  /** Brings an enterprise, visit or plan back from the 回收站 with everything under it. */
  'trash.restore': method(TrashRestoreSchema).returns<{ id: string }>(),
  'task.cancel': method(z.object({ taskId: text('任务编号').min(1).max(64) }).strict()).returns<{
    cancelled: boolean;
  }>(),
} as const;
