import type { HandlerGroup } from './types';

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/**
 * Merges the domain handler groups into one object. A method name defined by two groups is a
 * programming error and throws at start-up (names are globally unique, as in Actual's combine).
 */
export function mergeHandlers<T extends HandlerGroup[]>(
  ...groups: T
): UnionToIntersection<T[number]> {
  const merged: Record<string, unknown> = {};
  for (const group of groups) {
    for (const [name, handler] of Object.entries(group)) {
      if (name in merged) throw new Error(`API method defined twice: ${name}`);
      merged[name] = handler;
    }
  }
  return merged as UnionToIntersection<T[number]>;
}
