import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';

/**
 * The local database. Every synced table carries the same sync columns:
 * `updatedAt` (hybrid logical clock of the latest change), `updatedBy` (device id), `deleted`
 * (a tombstone: rows are never hard-deleted before the central store has acknowledged it) and
 * `fieldClocks` (JSON `{field: hlc}`, the clock of each field for last-writer-wins merges).
 *
 * When adding a synced table: give it these columns (spread `syncColumns()`), register it in
 * db/synced-tables.ts, write it only through db/changes.ts, then run `npm run db:generate`.
 */
function syncColumns() {
  return {
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    fieldClocks: text('field_clocks').notNull().default('{}'),
  };
}

/**
 * The 回收站 (migration 0017) of the records a person deletes: enterprises, visits and plans.
 * A delete sets `deleted` and these in one op, so sync carries who, when and why; a restore
 * clears them. Rows under a deleted enterprise are not touched: they are hidden with it and come
 * back with it. Thirty days after `deletedAt` the device purges the row and everything under it
 * (electron/services/trash.ts); the central store keeps the tombstone.
 */
function trashColumns() {
  return {
    /** Epoch ms of the delete; null while live, and on tombstones made before 0017. */
    deletedAt: integer('deleted_at'),
    /** Who deleted it, as the person is named (the sync account's name, else the device's). */
    deletedBy: text('deleted_by'),
    /** Why: required to delete a finalized visit (an official record). */
    deleteReason: text('delete_reason'),
  };
}

export const enterprises = sqliteTable(
  'enterprises',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    creditCode: text('credit_code'),
    cityCode: text('city_code').notNull(),
    countyCode: text('county_code'),
    address: text('address'),
    contactPerson: text('contact_person'),
    contactPhone: text('contact_phone'),
    createdAt: integer('created_at').notNull(),
    ...trashColumns(),
    ...syncColumns(),
  },
  (t) => [
    // Not UNIQUE: two offline devices may file the same enterprise; the service refuses a
    // duplicate locally and sync reports the rest instead of failing to apply.
    index('enterprises_credit_code')
      .on(t.creditCode)
      .where(sql`${t.creditCode} IS NOT NULL`),
    index('enterprises_live_name').on(t.deleted, t.name),
    index('enterprises_live_region_name').on(t.deleted, t.cityCode, t.countyCode, t.name),
  ],
);

/**
 * One row per industry or process an enterprise runs (附件2 writes one line per row): its
 * industry and branch from resources/industries.json, the ruleset that grades it, its current
 * and target grade, and the 附件2 columns the improvement plan fills.
 */
export const enterpriseProcesses = sqliteTable(
  'enterprise_processes',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    industryCode: text('industry_code').notNull(),
    branch: text('branch').notNull(),
    /** The process as the site calls it (1#熟料线); optional. */
    name: text('name'),
    rulesetId: text('ruleset_id'),
    currentGrade: text('current_grade'),
    targetGrade: text('target_grade'),
    /** 差异化指标, 存在问题, 改进措施, 拟完成时间, 备注 of 附件2. */
    differentiators: text('differentiators'),
    problems: text('problems'),
    improvements: text('improvements'),
    dueDate: text('due_date'),
    remark: text('remark'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('enterprise_processes_enterprise').on(t.enterpriseId, t.deleted)],
);

/**
 * Rulesets experts imported, content-addressed: a row never changes, so an inspection that
 * pinned (rulesetId, edition, hash) finds exactly the table it was answered against.
 */
export const rulesets = sqliteTable(
  'rulesets',
  {
    /** SHA-256 of the canonical JSON. */
    id: text('id').primaryKey(),
    rulesetId: text('ruleset_id').notNull(),
    edition: text('edition').notNull(),
    json: text('json').notNull(),
    importedAt: integer('imported_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('rulesets_ruleset_edition').on(t.rulesetId, t.edition)],
);

/**
 * The exact content of every ruleset a visit pinned, by hash: a visit must grade the same way
 * forever, even after the app ships a corrected edition or the import that supplied it is gone.
 * Written once per hash; a row never changes.
 */
export const pinnedRulesets = sqliteTable('pinned_rulesets', {
  /** SHA-256 of the canonical JSON (the same hash `rulesets` uses). */
  id: text('id').primaryKey(),
  rulesetId: text('ruleset_id').notNull(),
  edition: text('edition').notNull(),
  json: text('json').notNull(),
  createdAt: integer('created_at').notNull(),
  ...syncColumns(),
});

/**
 * A site visit (现场检查/帮扶记录) of one enterprise. A draft is edited freely; once every member
 * has confirmed it is `finalized` and immutable (the service refuses edits, and triggers of
 * migration 0003 abort any UPDATE or DELETE). A correction is a new visit naming the one it
 * corrects in `revisionOf`.
 */
export const inspections = sqliteTable(
  'inspections',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** YYYY-MM-DD: the day of the visit, and the day its grade is computed as of. */
    date: text('date').notNull(),
    /** 帮扶指导, 核查 or 复核. */
    type: text('type').notNull(),
    /** draft or finalized. */
    status: text('status').notNull(),
    note: text('note'),
    revisionOf: text('revision_of').references((): AnySQLiteColumn => inspections.id),
    /**
     * The record number people say aloud (银川-2026-0012-K7Q3), written once when the visit is
     * made and never changed (electron/services/record-numbers.ts). Null on visits made before
     * numbers existed: their number is derived from the id instead.
     */
    number: text('number'),
    /** Epoch ms of finalization. */
    finalizedAt: integer('finalized_at'),
    /**
     * The grades finalization computed (JSON of a FrozenGrading), written in the same op as the
     * finalization: a signed record keeps its grade whatever is recorded later. Null for a draft,
     * and for visits finalized before this column existed (graded live, as they always were).
     */
    frozenGrading: text('frozen_grading'),
    /**
     * Why a correction (更正) was made: required on a visit naming one in `revisionOf` (the
     * triggers of migration 0018 and the store refuse one without it). The corrected visit is
     * finalized and never changes, so it shows its correction's reason, found through revisionOf.
     */
    correctionReason: text('correction_reason'),
    createdAt: integer('created_at').notNull(),
    ...trashColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('inspections_enterprise_date').on(t.enterpriseId, t.deleted, t.date),
    index('inspections_status').on(t.status, t.deleted),
    index('inspections_revision_of').on(t.revisionOf),
    // Not UNIQUE: sync must apply whatever two devices wrote; the scheme keeps numbers apart.
    index('inspections_number').on(t.number),
  ],
);

/** A member of the visiting team, with role and the moment they confirmed the record. */
export const inspectionMembers = sqliteTable(
  'inspection_members',
  {
    id: text('id').primaryKey(),
    inspectionId: text('inspection_id')
      .notNull()
      .references(() => inspections.id),
    name: text('name').notNull(),
    /** 执法, 监测 or 专家. */
    role: text('role').notNull(),
    /** Epoch ms of this member's confirmation (签字确认); null until they confirm. */
    confirmedAt: integer('confirmed_at'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('inspection_members_inspection').on(t.inspectionId, t.deleted)],
);

/**
 * A process (enterprise_processes row) a visit covers, with the ruleset it is answered against,
 * pinned when it joined the visit: id, edition and content hash (→ pinned_rulesets).
 */
export const inspectionProcesses = sqliteTable(
  'inspection_processes',
  {
    id: text('id').primaryKey(),
    inspectionId: text('inspection_id')
      .notNull()
      .references(() => inspections.id),
    processId: text('process_id')
      .notNull()
      .references(() => enterpriseProcesses.id),
    rulesetId: text('ruleset_id').notNull(),
    rulesetEdition: text('ruleset_edition').notNull(),
    rulesetHash: text('ruleset_hash')
      .notNull()
      .references(() => pinnedRulesets.id),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [uniqueIndex('inspection_processes_process').on(t.inspectionId, t.processId)],
);

/**
 * What the team found for one indicator of one visited process: the fact (JSON of a FactValue;
 * null while unanswered), a note, and the problems and readings recorded there. One row per (visited process, indicator), saved by upsert.
 */
export const inspectionAnswers = sqliteTable(
  'inspection_answers',
  {
    id: text('id').primaryKey(),
    inspectionId: text('inspection_id')
      .notNull()
      .references(() => inspections.id),
    inspectionProcessId: text('inspection_process_id')
      .notNull()
      .references(() => inspectionProcesses.id),
    indicatorId: text('indicator_id').notNull(),
    fact: text('fact'),
    /** What the team saw (现状); for the 通用帮扶检查表, the dimension's findings. */
    note: text('note'),
    /** JSON string[] of the problems found (存在问题); null when none. */
    problems: text('problems'),
    /** JSON of the measured readings (shared/domain/inspection.ts `Reading[]`); null when none. */
    readings: text('readings'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [
    uniqueIndex('inspection_answers_indicator').on(t.inspectionProcessId, t.indicatorId),
    index('inspection_answers_inspection').on(t.inspectionId),
  ],
);

/**
 * A stored file (photo or scan), by content: the id is its SHA-256 and the bytes live at
 * dataDir/attachments/<first 2 hex>/<sha256>. Stored once however often it is used.
 */
export const attachments = sqliteTable('attachments', {
  id: text('id').primaryKey(),
  size: integer('size').notNull(),
  mimeType: text('mime_type').notNull(),
  createdAt: integer('created_at').notNull(),
  ...syncColumns(),
});

/**
 * A finding (违法违规): 超标排放, 偷排偷放, 治理设施不正常运行 or 弄虚作假 on a date. It puts the
 * enterprise at its floor grade and locks it for a year from that date.
 */
export const violations = sqliteTable(
  'violations',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** YYYY-MM-DD of the finding. */
    date: text('date').notNull(),
    kind: text('kind').notNull(),
    note: text('note'),
    inspectionId: text('inspection_id').references(() => inspections.id),
    /**
     * A withdrawal (撤销) of a violation recorded in error: epoch ms, who (the person's name),
     * the device's sync account when it was logged in, and why. A withdrawn violation stays
     * listed (struck through) and no longer locks the enterprise; a withdrawal is never undone
     * (migration 0018's triggers).
     */
    withdrawnAt: integer('withdrawn_at'),
    withdrawnBy: text('withdrawn_by'),
    withdrawnAccount: text('withdrawn_account'),
    withdrawReason: text('withdraw_reason'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('violations_enterprise').on(t.enterpriseId, t.deleted, t.date)],
);

/**
 * One use of a stored file as evidence: of a visit (and optionally one of its answers) or of a
 * violation, with the file's original name and time.
 */
export const attachmentUses = sqliteTable(
  'attachment_uses',
  {
    id: text('id').primaryKey(),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    inspectionId: text('inspection_id').references(() => inspections.id),
    answerId: text('answer_id').references(() => inspectionAnswers.id),
    violationId: text('violation_id').references(() => violations.id),
    fileName: text('file_name').notNull(),
    /** Epoch ms the caller gave as the file's own time (a photo's lastModified); null if unknown. */
    takenAt: integer('taken_at'),
    /**
     * A signature (签名, a PNG drawn on screen) instead of a photo: the signer's name and part
     * (a team member's role, 企业陪同人员, 审定专家 or 企业确认人). Null on photos and scans.
     * A team member's signature names the member; a plan's names the plan and its version.
     */
    signerName: text('signer_name'),
    signerRole: text('signer_role'),
    memberId: text('member_id').references(() => inspectionMembers.id),
    planId: text('plan_id').references((): AnySQLiteColumn => plans.id),
    planVersion: integer('plan_version'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [
    index('attachment_uses_plan').on(t.planId, t.deleted),
    index('attachment_uses_inspection').on(t.inspectionId, t.deleted),
    index('attachment_uses_violation').on(t.violationId, t.deleted),
    index('attachment_uses_attachment').on(t.attachmentId),
  ],
);

/**
 * An enterprise's improvement plan (一企一策提升方案): one live plan per enterprise (not UNIQUE:
 * two offline devices may each draft one; the service reads the earliest). Its content lives in
 * plan_versions; the status names the version it applies to: `reviewedVersion` is the one an
 * expert approved (专家审定), `confirmedVersion` the one the enterprise confirmed (企业确认).
 */
export const plans = sqliteTable(
  'plans',
  {
    id: text('id').primaryKey(),
    enterpriseId: text('enterprise_id')
      .notNull()
      .references(() => enterprises.id),
    /** 草稿, 专家审定 or 企业确认. */
    status: text('status').notNull(),
    /** The record number (as inspections.number): written once, never changed. */
    number: text('number'),
    currentVersion: integer('current_version').notNull(),
    reviewedVersion: integer('reviewed_version'),
    reviewedBy: text('reviewed_by'),
    /** Epoch ms. */
    reviewedAt: integer('reviewed_at'),
    /** 审定意见: required with every 专家审定 (migration 0018's triggers, the store). */
    reviewOpinion: text('review_opinion'),
    /** The device's sync account (姓名（账号）) when it was logged in at 专家审定; else null. */
    reviewedAccount: text('reviewed_account'),
    confirmedVersion: integer('confirmed_version'),
    confirmedBy: text('confirmed_by'),
    /** Epoch ms. */
    confirmedAt: integer('confirmed_at'),
    /** How the enterprise confirmed: 现场签字, 电话确认 or 书面回执 (required with 企业确认). */
    confirmMethod: text('confirm_method'),
    /** The device's sync account (姓名（账号）) when it was logged in at 企业确认; else null. */
    confirmedAccount: text('confirmed_account'),
    createdAt: integer('created_at').notNull(),
    ...trashColumns(),
    ...syncColumns(),
  },
  (t) => [
    index('plans_enterprise').on(t.enterpriseId, t.deleted),
    index('plans_status').on(t.status),
    index('plans_number').on(t.number),
  ],
);

/**
 * One saved version of a plan: the whole content (JSON of a PlanEdit) and the expert's comment.
 * Written once and never changed (the triggers of migration 0005 refuse it). Not UNIQUE on
 * (planId, version), for the same reason as plans: sync must be able to apply what two devices
 * wrote offline; the service reads the latest row of a version.
 */
export const planVersions = sqliteTable(
  'plan_versions',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    version: integer('version').notNull(),
    content: text('content').notNull(),
    comment: text('comment'),
    createdAt: integer('created_at').notNull(),
    ...syncColumns(),
  },
  (t) => [index('plan_versions_plan_version').on(t.planId, t.version)],
);

/**
 * Local changes waiting for the central store, in the order they were made. One row is one op:
 * the values of one or more fields of one row, all stamped with one hybrid clock. `seq` is the
 * device's own sequence: it only grows, and the server keeps the last one it applied per device.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey(),
    // Unique by construction (UUIDv7); `seq` is the key that orders and deduplicates.
    opId: text('op_id').notNull(),
    deviceId: text('device_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    values: text('values').notNull(),
    hlc: text('hlc').notNull(),
    /**
     * For an update: JSON `{field: clock}` of the values it replaced (null where the field had
     * none). Never sent; sync compares a pulled value's clock with it to tell a value this device
     * had already seen from one written elsewhere meanwhile (a conflict). Null for inserts.
     */
    baseClocks: text('base_clocks'),
  },
  // Parked ops are found by op id; without this a sync scanned the whole outbox to find none.
  (t) => [index('outbox_op_id').on(t.opId)],
);

/** Small facts of this device and its sync: device id, last sequence, last clock, cursors. */
export const syncState = sqliteTable('sync_state', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

// ---------------------------------------------------------------------------------------------
// The device's side of sync (electron/services/sync.ts). None of these tables sync themselves:
// they record what this device sent, received, set aside and could not apply.
// Settings and cursors are keys of sync_state (db/repositories/sync.ts lists them).
// ---------------------------------------------------------------------------------------------

/**
 * A field both sides changed: a remote value (from the central store or a USB bundle) met a
 * local value that the central store had not acknowledged yet. Last writer by hybrid clock won;
 * the loser's value is kept here, shown until someone resolves it. Values are JSON.
 */
export const syncConflicts = sqliteTable(
  'sync_conflicts',
  {
    id: text('id').primaryKey(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    localValue: text('local_value').notNull(),
    localClock: text('local_clock').notNull(),
    remoteValue: text('remote_value').notNull(),
    remoteClock: text('remote_clock').notNull(),
    /** local or remote: whose value the row holds after the merge. */
    winner: text('winner').notNull(),
    /** server, or bundle:<deviceId> for a USB bundle. */
    source: text('source').notNull(),
    /** Epoch ms. */
    createdAt: integer('created_at').notNull(),
    resolvedAt: integer('resolved_at'),
    /** local or remote (the value someone chose), or superseded (another choice settled it). */
    resolution: text('resolution'),
  },
  (t) => [
    // The same pair of values is one conflict, however often it is seen again.
    uniqueIndex('sync_conflicts_pair').on(
      t.tableName,
      t.rowId,
      t.field,
      t.localClock,
      t.remoteClock,
    ),
    index('sync_conflicts_open').on(t.resolvedAt, t.createdAt),
  ],
);

/**
 * Ops of this device that the central store refused (scope, role, immutability…) and kept
 * aside. The op itself stays in the outbox. A retry sends its values again as a new op (retrySeq);
 * discarding only marks it: nothing of the user's data is deleted.
 */
export const syncParked = sqliteTable(
  'sync_parked',
  {
    opId: text('op_id').primaryKey(),
    seq: integer('seq').notNull(),
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    reason: text('reason').notNull(),
    /** Epoch ms. */
    parkedAt: integer('parked_at').notNull(),
    /** parked, retrying (sent again as retrySeq), discarded, or resolved (the retry was accepted). */
    status: text('status').notNull(),
    retrySeq: integer('retry_seq'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('sync_parked_status').on(t.status, t.seq),
    index('sync_parked_retry').on(t.retrySeq),
  ],
);

/**
 * Remote field values this device could not apply yet, kept instead of dropped: fields and
 * tables this version does not have (replayed after an upgrade adds them), rows whose parent has
 * not arrived, finalizations held until a pull has brought every row of the visit, and changes a
 * finalized visit refuses. One value per field: the one with the newest clock.
 */
export const syncDeferred = sqliteTable(
  'sync_deferred',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    field: text('field').notNull(),
    /** JSON. */
    value: text('value').notNull(),
    clock: text('clock').notNull(),
    /** unknown_table, unknown_field, parent_missing, incomplete, finalize, immutable, duplicate, invalid. */
    reason: text('reason').notNull(),
    source: text('source').notNull(),
    /** Epoch ms. */
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId, t.field] }),
    index('sync_deferred_reason').on(t.reason),
  ],
);

/**
 * Files (attachments, by SHA-256) on their way: `up` to the central store (doneBytes = bytes it
 * confirmed), `down` from it. A file is `done` only once verified against its hash.
 */
export const syncFiles = sqliteTable(
  'sync_files',
  {
    sha256: text('sha256').notNull(),
    /** up or down. */
    direction: text('direction').notNull(),
    size: integer('size').notNull(),
    doneBytes: integer('done_bytes').notNull().default(0),
    /** pending, done or failed (error says why; retried at the next sync). */
    status: text('status').notNull(),
    error: text('error'),
    /** Epoch ms. */
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sha256, t.direction] }),
    index('sync_files_status').on(t.direction, t.status),
  ],
);

/** Ops of other devices applied from USB bundles, so importing a bundle twice changes nothing. */
export const syncBundleOps = sqliteTable(
  'sync_bundle_ops',
  {
    deviceId: text('device_id').notNull(),
    opId: text('op_id').notNull(),
    seq: integer('seq').notNull(),
    /** Epoch ms. */
    importedAt: integer('imported_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.deviceId, t.opId] })],
);
