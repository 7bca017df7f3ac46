/**
 * Hybrid logical clock (Kulkarni et al.), as Actual Budget uses it for last-writer-wins.
 *
 * A stamp is `WWWWWWWWWWWWWWW-CCCCCC-node`: wall-clock milliseconds (15 digits), a counter for
 * events within one millisecond (6 digits) and the device id. Stamps compare as plain strings,
 * so SQL `max()` and `<` order them correctly. A device's stamps strictly increase, even when its
 * wall clock goes backwards; a stamp received from another device moves the local clock past it.
 */

export interface Hlc {
  wallMs: number;
  counter: number;
  node: string;
}

/** A remote stamp further ahead of our wall clock than this is refused. */
export const MAX_DRIFT_MS = 5 * 60 * 1000;
const MAX_COUNTER = 999_999;
const STAMP = /^(\d{15})-(\d{6})-([0-9a-z-]{1,64})$/;

export class ClockError extends Error {}

export function formatHlc(h: Hlc): string {
  return `${String(h.wallMs).padStart(15, '0')}-${String(h.counter).padStart(6, '0')}-${h.node}`;
}

export function parseHlc(stamp: string): Hlc {
  const m = STAMP.exec(stamp);
  if (!m) throw new ClockError(`时间戳格式不正确：${stamp}`);
  return { wallMs: Number(m[1]), counter: Number(m[2]), node: m[3] as string };
}

export function isHlc(stamp: unknown): stamp is string {
  return typeof stamp === 'string' && STAMP.test(stamp);
}

function bump(last: Hlc | null, wallMs: number, node: string, remote: Hlc | null): Hlc {
  const candidates = [wallMs, last?.wallMs ?? 0, remote?.wallMs ?? 0];
  const ms = Math.max(...candidates);
  let counter = 0;
  if (last && last.wallMs === ms) counter = Math.max(counter, last.counter + 1);
  if (remote && remote.wallMs === ms) counter = Math.max(counter, remote.counter + 1);
  if (counter > MAX_COUNTER) throw new ClockError('同一毫秒内的修改过多，时钟计数溢出');
  return { wallMs: ms, counter, node };
}

/** The next clock for a local event, after `last`; the parsed form, for hot loops. */
export function nextHlc(last: Hlc | null, wallMs: number, node: string): Hlc {
  return bump(last, wallMs, node, null);
}

/** The next stamp for a local event, after `last` (the device's latest stamp, if any). */
export function tickHlc(last: string | null, wallMs: number, node: string): string {
  return formatHlc(bump(last === null ? null : parseHlc(last), wallMs, node, null));
}

/** The next local stamp after receiving `remote`; refuses a remote clock far in the future. */
export function receiveHlc(
  last: string | null,
  remote: string,
  wallMs: number,
  node: string,
): string {
  const r = parseHlc(remote);
  if (r.wallMs - wallMs > MAX_DRIFT_MS) {
    throw new ClockError(
      `对方时钟比本机快 ${Math.round((r.wallMs - wallMs) / 60000)} 分钟，超过允许的 5 分钟，请校准时间`,
    );
  }
  return formatHlc(bump(last === null ? null : parseHlc(last), wallMs, node, r));
}
