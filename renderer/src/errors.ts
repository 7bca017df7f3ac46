/**
 * What went wrong, as the user reads it. Every message, alert and store error in the renderer
 * turns a caught value into text here: the service's refusals (ApiError) carry their own Chinese
 * message; anything else (a bug, a browser failure) is shown as its message, or as text.
 */
import { ApiError } from './api';

/**
 * The text of a caught `e`: an ApiError's message as it is; anything else as its message (or
 * `String(e)` when not an Error), after `prefix` when one is given (e.g. '删除失败：').
 */
export function errorText(e: unknown, prefix = ''): string {
  if (e instanceof ApiError) return e.message;
  return prefix + (e instanceof Error ? e.message : String(e));
}
