import { AppError } from '../../shared/api/errors';

/** Runs `fn`, expecting it to throw an AppError, and returns that error. */
export function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

/** Awaits `fn`, expecting it to reject with an AppError, and returns that error. */
export async function thrownAsync(fn: () => Promise<unknown>): Promise<AppError> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}
