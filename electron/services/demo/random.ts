/**
 * The demo's randomness: a small seeded generator, so one seed always makes the same demo, and
 * picks and digit strings drawn from it.
 */

/** A small seeded generator (mulberry32), so a demo is the same every time for one seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[] | string): T {
  const i = Math.floor(rand() * items.length);
  return (typeof items === 'string' ? items.charAt(i) : items[i]) as T;
}

export function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}
