import { AppError } from '../../../shared/api/errors';
import type { HandlerGroup } from '../types';

/**
 * TEMPORARY while #18 is being built in parallel: the review methods whose handlers have not
 * landed yet. Each branch that implements a method removes it from here; this file is deleted
 * before #18 is closed.
 */
const pending = (): never => {
  throw new AppError('internal', '该功能尚未完成');
};

export const reviewPendingHandlers = {
  'review.account': pending,
  'review.apply': pending,
  'review.resubmit': pending,
  'review.decide': pending,
  'review.get': pending,
  'review.list': pending,
  'publication.preview': pending,
  'publication.publish': pending,
  'publication.list': pending,
  'publication.get': pending,
  'publication.exportExcel': pending,
  'publication.exportPdf': pending,
} satisfies HandlerGroup;
