import {
  index,
  integer,
  sqliteTable,
  text,
  uniqueIndex,
  type AnySQLiteColumn,
} from 'drizzle-orm/sqlite-core';

import { syncColumns, trashColumns } from './columns';
import { enterpriseProcesses, enterprises } from './enterprises';
import { pinnedRulesets } from './rulesets';

/**
 * Site visits (现场检查/帮扶记录): the visit, its team, the processes it covers and the answers
 * per indicator, and the violations (违法违规) found at an enterprise.
 */

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
