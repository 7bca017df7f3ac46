import type { Enterprise } from '../../shared/domain/enterprise';

import type { Db } from '../client';
import { prepare } from '../prepared';

/**
 * The queries of 附件2: its rows for export, and the live registry an import matches
 * against. Each is one statement over the whole set (no query per row); rows come back as plain
 * objects in the shapes below.
 */

/** What the export may be narrowed by: enterprise fields, and fields of its processes. */
export interface Annex2Filter {
  /** Any part of the name, 信用代码 or address (as the registry's search). */
  text?: string;
  cityCode?: string;
  countyCode?: string;
  /** Only processes of this industry (catalogue code), and enterprises having one. */
  industryCode?: string;
  currentGrade?: string;
  targetGrade?: string;
}

/** The grading-plan columns of a process, as Annex 2 lists them and an import writes them. */
export interface ProcessPlanColumns {
  currentGrade: string | null;
  targetGrade: string | null;
  differentiators: string | null;
  problems: string | null;
  improvements: string | null;
  dueDate: string | null;
  remark: string | null;
}

/** One enterprise × process of 附件2; the process fields are null for an enterprise without one. */
export interface Annex2Row extends ProcessPlanColumns {
  enterpriseId: string;
  name: string;
  cityCode: string;
  countyCode: string | null;
  processId: string | null;
  industryCode: string | null;
  branch: string | null;
  /** 1 when the process passes the process filters (always 1 without them); 0 otherwise. */
  selected: number;
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The rows of 附件2, ordered by city, county, enterprise name, then the order the enterprise's
 * processes were added. Every live process of a selected enterprise is returned (the 另涉及 note
 * needs them); `selected` says which ones pass the process filters.
 */
export function listAnnex2Rows(db: Db, filter: Annex2Filter): Annex2Row[] {
  const where: string[] = ['e.deleted = 0'];
  const args: (string | number)[] = [];
  if (filter.cityCode) {
    where.push('e.city_code = ?');
    args.push(filter.cityCode);
  }
  if (filter.countyCode) {
    where.push('e.county_code = ?');
    args.push(filter.countyCode);
  }
  if (filter.text) {
    const p = likePattern(filter.text);
    where.push(
      "(e.name LIKE ? ESCAPE '\\' OR e.credit_code LIKE ? ESCAPE '\\' OR e.address LIKE ? ESCAPE '\\')",
    );
    args.push(p, p, p);
  }
  const processConditions: string[] = [];
  const processArgs: string[] = [];
  for (const [column, value] of [
    ['industry_code', filter.industryCode],
    ['current_grade', filter.currentGrade],
    ['target_grade', filter.targetGrade],
  ] as const) {
    if (value) {
      processConditions.push(`{p}.${column} = ?`);
      processArgs.push(value);
    }
  }
  let selected = '1';
  const selectArgs: string[] = [];
  if (processConditions.length > 0) {
    const on = (alias: string) => processConditions.join(' AND ').replaceAll('{p}', alias);
    selected = `CASE WHEN p.id IS NOT NULL AND ${on('p')} THEN 1 ELSE 0 END`;
    selectArgs.push(...processArgs);
    where.push(
      `EXISTS (SELECT 1 FROM enterprise_processes q WHERE q.enterprise_id = e.id AND q.deleted = 0 AND ${on('q')})`,
    );
    args.push(...processArgs);
  }
  const sql = `
    SELECT e.id AS enterpriseId, e.name AS name, e.city_code AS cityCode, e.county_code AS countyCode,
           p.id AS processId, p.industry_code AS industryCode, p.branch AS branch,
           p.current_grade AS currentGrade, p.target_grade AS targetGrade,
           p.differentiators AS differentiators, p.problems AS problems,
           p.improvements AS improvements, p.due_date AS dueDate, p.remark AS remark,
           ${selected} AS selected
    FROM enterprises e
    LEFT JOIN enterprise_processes p ON p.enterprise_id = e.id AND p.deleted = 0
    WHERE ${where.join(' AND ')}
    ORDER BY e.city_code, e.county_code, e.name, e.id, p.created_at, p.id`;
  return db.sqlite.prepare(sql).all(...selectArgs, ...args) as Annex2Row[];
}

/** A live enterprise as an import matches it. */
export type RegistryEnterprise = Omit<Enterprise, 'createdAt' | 'updatedAt'>;

/** A live process as an import matches and updates it. */
export interface RegistryProcess extends ProcessPlanColumns {
  id: string;
  enterpriseId: string;
  industryCode: string;
  branch: string;
  name: string | null;
  rulesetId: string | null;
}

const LIVE_ENTERPRISES = `
  SELECT id, name, credit_code AS creditCode, city_code AS cityCode, county_code AS countyCode,
         address, contact_person AS contactPerson, contact_phone AS contactPhone
  FROM enterprises WHERE deleted = 0`;

const LIVE_PROCESSES = `
  SELECT p.id, p.enterprise_id AS enterpriseId, p.industry_code AS industryCode, p.branch,
         p.name, p.ruleset_id AS rulesetId, p.current_grade AS currentGrade,
         p.target_grade AS targetGrade, p.differentiators, p.problems, p.improvements,
         p.due_date AS dueDate, p.remark
  FROM enterprise_processes p JOIN enterprises e ON e.id = p.enterprise_id
  WHERE p.deleted = 0 AND e.deleted = 0
  ORDER BY p.created_at, p.id`;

/** The whole live registry, in two statements, for an import to match its rows against. */
export function loadRegistry(db: Db): {
  enterprises: RegistryEnterprise[];
  processes: RegistryProcess[];
} {
  return {
    enterprises: prepare(db.sqlite, LIVE_ENTERPRISES).all() as RegistryEnterprise[],
    processes: prepare(db.sqlite, LIVE_PROCESSES).all() as RegistryProcess[],
  };
}
