import { writeChanges } from '../../../db/changes';
import {
  findEdition,
  insertPublication,
  type PublicationValues,
} from '../../../db/repositories/reviews/publications';
import type { PublicationSummary } from '../../../shared/api/contract';
import { AppError } from '../../../shared/api/errors';
import { defaultPublicationTitle, publishProblem } from '../../../shared/domain/publication';
import type { PublishInput } from '../../../shared/domain/review';
import type { AppContext } from '../context';
import { deviceAccount } from '../signatures';

import { checkedScope, frozenContent, publishableRows, publisherAccount } from './preview';

/**
 * Publishes the scope's results list as its next edition (第 N 期): the rows as they stand now,
 * frozen as JSON in one write. Refused (changing nothing) when the account may not publish the
 * scope, when there is nothing to publish, or when nothing changed since the last edition.
 */
export function publishPublication(ctx: AppContext, input: PublishInput): PublicationSummary {
  const scope = checkedScope(input.scope);
  const problem = publishProblem(publisherAccount(ctx), scope);
  if (problem !== null) throw new AppError('forbidden', problem);
  return writeChanges(ctx.db, ctx.device, (changes) => {
    const rows = publishableRows(ctx, scope);
    if (rows.length === 0) throw new AppError('conflict', '没有可公示的认定结果');
    const content = frozenContent(rows);
    const last = findEdition(ctx.db, scope, null);
    if (last !== undefined && last.content === content) {
      throw new AppError('conflict', `与第${last.edition}期内容相同，无需重新发布`);
    }
    const edition = (last?.edition ?? 0) + 1;
    const values: PublicationValues = {
      scope,
      edition,
      title: input.title ?? defaultPublicationTitle(scope, edition),
      publishedAt: ctx.device.now(),
      publishedBy: input.publishedBy,
      account: deviceAccount(ctx),
      content,
      rowCount: rows.length,
    };
    const id = ctx.device.newId();
    insertPublication(changes, id, values);
    return {
      id,
      scope,
      edition,
      title: values.title,
      publishedAt: values.publishedAt,
      publishedBy: values.publishedBy,
      account: values.account,
      rowCount: values.rowCount,
    };
  });
}
