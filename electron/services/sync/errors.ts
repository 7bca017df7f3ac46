/**
 * A sync failure as the user hears it: an HTTP or network error of the transport turned into the
 * app's typed AppError with its Chinese message.
 */

import { AppError } from '../../../shared/api/errors';
import { SyncHttpError } from '../sync-http';

/** A failure as the user hears it: typed, Chinese. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof SyncHttpError) {
    if (e.kind === 'network') return new AppError('internal', e.message);
    switch (e.code) {
      case 'unauthorized':
        return new AppError('unauthorized', e.message);
      case 'forbidden':
        return new AppError('forbidden', e.message);
      case 'invalid_input':
      case 'too_large':
        return new AppError('invalid_input', e.message);
      case 'upgrade_required':
        return new AppError('conflict', e.message);
      case 'too_many_attempts':
        return new AppError('conflict', e.message);
      case 'not_found':
        return new AppError('not_found', e.message);
      case 'conflict':
        return new AppError('conflict', e.message);
      default:
        return new AppError('internal', e.message);
    }
  }
  return new AppError('internal', e instanceof Error ? e.message : String(e));
}
