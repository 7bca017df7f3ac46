import { and, asc, count, eq, isNull, ne, sql, type SQL } from 'drizzle-orm';

import type {
  Enterprise,
  EnterpriseDraft,
  EnterprisePage,
  EnterpriseQuery,
} from '../../shared/domain/enterprise';
import type { ChangeSet } from '../changes';
import type { Db } from '../client';
import { enterprises } from '../schema';

const columns = {
  id: enterprises.id,
  name: enterprises.name,
  creditCode: enterprises.creditCode,
  cityCode: enterprises.cityCode,
  countyCode: enterprises.countyCode,
  address: enterprises.address,
  contactPerson: enterprises.contactPerson,
  contactPhone: enterprises.contactPhone,
  createdAt: enterprises.createdAt,
  updatedAt: enterprises.updatedAt,
};

const live = eq(enterprises.deleted, false);

/** Escapes LIKE's wildcards so a search for "50%" finds "50%". */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function insertEnterprise(
  changes: ChangeSet,
  id: string,
  draft: EnterpriseDraft,
  createdAt: number,
): void {
  changes.insert('enterprises', id, { ...draft, createdAt });
}

/** Writes the fields that differ; returns their names. */
export function updateEnterprise(changes: ChangeSet, id: string, draft: EnterpriseDraft): string[] {
  return changes.update('enterprises', id, draft);
}

export function deleteEnterprise(changes: ChangeSet, id: string): boolean {
  return changes.markDeleted('enterprises', id);
}

export function getEnterprise(db: Db, id: string): Enterprise | undefined {
  return db.orm
    .select(columns)
    .from(enterprises)
    .where(and(live, eq(enterprises.id, id)))
    .get();
}

/** The live enterprise holding this credit code, other than `exceptId`. */
export function findEnterpriseByCreditCode(
  db: Db,
  creditCode: string,
  exceptId?: string,
): Enterprise | undefined {
  const conditions = [live, eq(enterprises.creditCode, creditCode)];
  if (exceptId) conditions.push(ne(enterprises.id, exceptId));
  return db.orm
    .select(columns)
    .from(enterprises)
    .where(and(...conditions))
    .get();
}

export function countEnterprises(db: Db): number {
  return db.orm.select({ n: count() }).from(enterprises).where(live).get()?.n ?? 0;
}

/** One page of the registry, filtered and ordered by city, county and name. */
export function listEnterprises(db: Db, query: EnterpriseQuery): EnterprisePage {
  const conditions: SQL[] = [live];
  if (query.cityCode) conditions.push(eq(enterprises.cityCode, query.cityCode));
  if (query.countyCode) conditions.push(eq(enterprises.countyCode, query.countyCode));
  if (query.text) {
    const p = likePattern(query.text);
    conditions.push(
      sql`(${enterprises.name} LIKE ${p} ESCAPE '\\' OR ${enterprises.creditCode} LIKE ${p} ESCAPE '\\' OR ${enterprises.address} LIKE ${p} ESCAPE '\\')`,
    );
  }
  const where = and(...conditions);
  const total = db.orm.select({ n: count() }).from(enterprises).where(where).get()?.n ?? 0;
  const items = db.orm
    .select(columns)
    .from(enterprises)
    .where(where)
    .orderBy(asc(enterprises.cityCode), asc(enterprises.countyCode), asc(enterprises.name))
    .limit(query.limit)
    .offset(query.offset)
    .all();
  return { total, items };
}

/** The live enterprise of this name in this city and county, other than `exceptId`. */
export function findEnterpriseByNameInCounty(
  db: Db,
  name: string,
  cityCode: string,
  countyCode: string | null,
  exceptId?: string,
): Enterprise | undefined {
  const conditions = [
    live,
    eq(enterprises.name, name),
    eq(enterprises.cityCode, cityCode),
    countyCode === null ? isNull(enterprises.countyCode) : eq(enterprises.countyCode, countyCode),
  ];
  if (exceptId) conditions.push(ne(enterprises.id, exceptId));
  return db.orm
    .select(columns)
    .from(enterprises)
    .where(and(...conditions))
    .get();
}
