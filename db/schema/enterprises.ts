import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

import { syncColumns, trashColumns } from './columns';

/**
 * Enterprises and the processes (industries) each runs: the rows the registry, 附件2 and every
 * visit and plan hang under.
 */

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
    /**
     * 保障类 (民生保障类) enterprise, as the city decided on an application (migration 0019): set
     * with the day and the application that did it, by a 市级审核 account only (the store checks).
     */
    guarantee: integer('guarantee', { mode: 'boolean' }).notNull().default(false),
    guaranteeSince: text('guarantee_since'),
    guaranteeApplicationId: text('guarantee_application_id'),
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
