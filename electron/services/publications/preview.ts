import {
  findEdition,
  listPublishableGrades,
  type PublishableGrade,
} from '../../../db/repositories/reviews/publications';
import { readSyncSettings } from '../../../db/repositories/sync/settings';
import type { PublicationPreview } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/errors';
import type { Catalog } from '../../../shared/domain/catalog';
import {
  defaultPublicationTitle,
  isPublicationScope,
  publicationScopeName,
  publishProblem,
  REGION_SCOPE,
  type PublisherAccount,
} from '../../../shared/domain/publication';
import { cityName, countyName } from '../../../shared/domain/regions';
import type { PublicationRow } from '../../../shared/domain/review';
import { catalogIndex } from '../annex2/catalog';
import type { AppContext } from '../context';

/**
 * 信息公开's preview: every live enterprise in the scope with an official grade now (its own, or
 * one of its processes'), as the results list prints it, sorted by city, county and name.
 */

/** The scope asked for, checked; a Chinese refusal naming it when it is unknown. */
export function checkedScope(scope: string): string {
  if (!isPublicationScope(scope)) {
    throw new AppError('invalid_input', `未知的发布范围“${scope}”：应为某个地级市或全区`);
  }
  return scope;
}

/** The device's logged-in account as the publishing rule reads it, or null. */
export function publisherAccount(ctx: AppContext): (PublisherAccount & { name: string }) | null {
  const settings = readSyncSettings(ctx.db);
  if (settings.token === null || settings.user === null) return null;
  const { role, scope, displayName, username } = settings.user;
  return { role, scope, name: displayName || username };
}

/** A line of the list from an official grade: names from the regions and the catalogue. */
export function publicationRow(grade: PublishableGrade, catalog: Catalog): PublicationRow {
  const { names } = catalogIndex(catalog);
  const codes = (grade.industryCodes ?? '').split(',').filter((c) => c !== '');
  const industries = [...new Set(codes)].map((c) => names.get(c) ?? c);
  return {
    enterpriseName: grade.name,
    creditCode: grade.creditCode,
    cityName: cityName(grade.cityCode),
    countyName: grade.countyCode === null ? null : countyName(grade.cityCode, grade.countyCode),
    industries: industries.join('、'),
    grade: grade.grade,
    gradeDate: grade.gradeDate,
  };
}

/** The rows the scope's list would publish now. */
export function publishableRows(ctx: AppContext, scope: string): PublicationRow[] {
  const grades = listPublishableGrades(ctx.db, scope === REGION_SCOPE ? null : scope);
  return grades.map((g) => publicationRow(g, ctx.catalog));
}

/** Frozen content as stored: the rows as JSON. */
export function frozenContent(rows: readonly PublicationRow[]): string {
  return JSON.stringify(rows);
}

export function previewPublication(
  ctx: AppContext,
  input: { scope?: string | undefined },
): PublicationPreview {
  const account = publisherAccount(ctx);
  const own = account !== null && isPublicationScope(account.scope) ? account.scope : REGION_SCOPE;
  const scope = checkedScope(input.scope ?? own);
  const rows = publishableRows(ctx, scope);
  const last = findEdition(ctx.db, scope, null);
  const nextEdition = (last?.edition ?? 0) + 1;
  const sameAs = last !== undefined && last.content === frozenContent(rows) ? last.edition : null;
  const problem = publishProblem(account, scope);
  const why =
    problem ??
    (rows.length === 0
      ? '没有可公示的认定结果'
      : sameAs !== null
        ? `与第${sameAs}期内容相同，无需重新发布`
        : null);
  return {
    scope,
    scopeName: publicationScopeName(scope),
    rows,
    nextEdition,
    title: defaultPublicationTitle(scope, nextEdition),
    allowed: why === null,
    why,
    sameAs,
    accountScope: account?.scope ?? null,
    accountName: account?.name ?? null,
  };
}
