import path from 'node:path';

import { closeDatabase, openDatabase, type Db } from '../../db/client';
import { onTablesChanged, type Device } from '../../db/changes';
import { DRAFTS_FILE, openDraftStore, type DraftStore } from '../../db/drafts';
import { ensureDeviceId } from '../../db/repositories/device';
import { resumeSearchIndex, searchIndexPaused } from '../../db/repositories/enterprises';
import { newId as defaultNewId, systemClock, type Clock, type IdGenerator } from '../../shared/ids';

import { createEventHub, type EventHub } from './events';
import { databaseFile, resourcesDir } from './paths';
import { readGeneralChecklist } from './general-checklist';
import { readPlanData, type PlanData } from './plan-data';
import { readCatalog, shippedRulesets, type RulesetEntry } from './rulesets';
import { plainSecretBox, type SecretBox } from './secrets';
import { TaskRegistry } from './tasks';
import { purgeExpiredTrash } from './trash';
import type { Catalog } from '../../shared/domain/catalog';
import type { GeneralChecklistData } from '../../shared/grading';

export type RunMode = 'electron' | 'browser' | 'cli';

/** What every service receives: no module-level singletons anywhere. */
export interface AppContext {
  readonly db: Db;
  readonly device: Device;
  readonly dataDir: string;
  readonly mode: RunMode;
  readonly events: EventHub;
  /** Reference data shipped in resources/, loaded once when the context opens. */
  readonly shippedRulesets: readonly RulesetEntry[];
  readonly catalog: Catalog;
  /** The measure library and 附件1 that plans are drafted with (resources/plan). */
  readonly planData: PlanData;
  /** The 通用帮扶检查表's prompts, for processes without a ruleset (resources/general). */
  readonly generalChecklist: GeneralChecklistData;
  /** Long tasks running now, so task.cancel can reach them. */
  readonly tasks: TaskRegistry;
  /** Seals secrets kept in the data folder (the sync token): by the OS in the desktop app. */
  readonly secrets: SecretBox;
  /** Unsaved typing kept on this device (`drafts.db` in the data folder), opened on first use. */
  readonly drafts: LazyDraftStore;
}

export interface LazyDraftStore {
  get(): DraftStore;
  close(): void;
}

function lazyDraftStore(file: string, now: Clock): LazyDraftStore {
  let store: DraftStore | null = null;
  return {
    get() {
      store ??= openDraftStore(file, now);
      return store;
    },
    close() {
      store?.close();
      store = null;
    },
  };
}

export interface OpenContextOptions {
  dataDir: string;
  mode: RunMode;
  /** ':memory:' for tests that need no file. */
  databaseFile?: string;
  now?: Clock;
  newId?: IdGenerator;
  migrationsFolder?: string;
  /** resources/ by default; tests point it at fixtures. */
  resourcesDir?: string;
  /** How secrets are stored: the desktop app passes the OS key store; plain text by default. */
  secrets?: SecretBox;
}

export function openAppContext(options: OpenContextOptions): AppContext {
  const newId = options.newId ?? defaultNewId;
  const resources = options.resourcesDir ?? resourcesDir();
  const db = openDatabase(options.databaseFile ?? databaseFile(options.dataDir), {
    ...(options.migrationsFolder ? { migrationsFolder: options.migrationsFolder } : {}),
  });
  const deviceId = ensureDeviceId(db, newId);
  const events = createEventHub();
  // The write chokepoint and the sync apply announce what they changed once it has committed.
  onTablesChanged(db, (tables) => events.emit('data.changed', { tables }));
  // A pull interrupted by a crash left the search index paused: index what it brought.
  if (searchIndexPaused(db)) resumeSearchIndex(db);
  const ctx: AppContext = {
    db,
    device: { deviceId, now: options.now ?? systemClock, newId },
    dataDir: options.dataDir,
    mode: options.mode,
    events,
    shippedRulesets: shippedRulesets(path.join(resources, 'rulesets')),
    catalog: readCatalog(path.join(resources, 'industries.json')),
    planData: readPlanData(path.join(resources, 'plan')),
    generalChecklist: readGeneralChecklist(path.join(resources, 'general')),
    tasks: new TaskRegistry(),
    secrets: options.secrets ?? plainSecretBox,
    drafts: lazyDraftStore(path.join(options.dataDir, DRAFTS_FILE), options.now ?? systemClock),
  };
  // What has been in the 回收站 for 30 days leaves this device each time the app opens.
  purgeExpiredTrash(ctx);
  return ctx;
}

export function closeAppContext(ctx: AppContext): void {
  ctx.drafts.close();
  closeDatabase(ctx.db);
}
