import {
  findEdition,
  getPublicationRecord,
  listPublicationRecords,
  type PublicationWithContent,
} from '../../../db/repositories/reviews/publications';
import type { PublicationSummary } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/errors';
import { publicationScopeName } from '../../../shared/domain/publication';
import type { Publication, PublicationRow } from '../../../shared/domain/review';
import type { AppContext } from '../context';

import { checkedScope } from './preview';

/** Published editions (信息公开): their list, one edition whole, an edition by its number. */

export function listPublications(
  ctx: AppContext,
  input: { scope?: string | undefined },
): PublicationSummary[] {
  const scope = input.scope === undefined || input.scope === '' ? null : checkedScope(input.scope);
  return listPublicationRecords(ctx.db, scope);
}

function isRow(v: unknown): v is PublicationRow {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    typeof r.enterpriseName === 'string' &&
    typeof r.grade === 'string' &&
    typeof r.gradeDate === 'string'
  );
}

/** The frozen rows of an edition as stored (rows that do not read as a line are left out). */
function rowsOf(content: string): PublicationRow[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  return parsed.filter(isRow).map((r) => ({
    enterpriseName: r.enterpriseName,
    creditCode: typeof r.creditCode === 'string' ? r.creditCode : null,
    cityName: typeof r.cityName === 'string' ? r.cityName : '',
    countyName: typeof r.countyName === 'string' ? r.countyName : null,
    industries: typeof r.industries === 'string' ? r.industries : '',
    grade: r.grade,
    gradeDate: r.gradeDate,
  }));
}

function whole(record: PublicationWithContent): Publication {
  return {
    id: record.id,
    scope: record.scope,
    edition: record.edition,
    title: record.title,
    publishedAt: record.publishedAt,
    publishedBy: record.publishedBy,
    account: record.account,
    rows: rowsOf(record.content),
  };
}

export function getPublication(ctx: AppContext, id: string): Publication {
  const record = getPublicationRecord(ctx.db, id);
  if (!record) throw new AppError('not_found', '未找到该期公示名单（可能尚未同步到本机）');
  return whole(record);
}

/** The scope's edition `edition` (its latest when null); a Chinese refusal naming what is missing. */
export function publicationEdition(
  ctx: AppContext,
  scope: string,
  edition: number | null,
): Publication {
  const record = findEdition(ctx.db, checkedScope(scope), edition);
  if (!record) {
    const name = publicationScopeName(scope);
    throw new AppError(
      'not_found',
      edition === null
        ? `${name}尚未发布认定结果公示名单（须先在“信息公开”中发布一期）`
        : `${name}没有第${edition}期认定结果公示名单`,
    );
  }
  return whole(record);
}
