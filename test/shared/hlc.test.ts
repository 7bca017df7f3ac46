import { describe, expect, it } from 'vitest';

import { ClockError, formatHlc, parseHlc, receiveHlc, tickHlc } from '../../shared/sync/hlc';

const NODE = '01900000-0000-7000-8000-000000000001';

describe('hybrid logical clock', () => {
  it('stamps a first event with the wall clock and counter zero', () => {
    expect(parseHlc(tickHlc(null, 1000, NODE))).toEqual({ wallMs: 1000, counter: 0, node: NODE });
  });

  it('strictly increases within one millisecond', () => {
    const a = tickHlc(null, 1000, NODE);
    const b = tickHlc(a, 1000, NODE);
    expect(b > a).toBe(true);
    expect(parseHlc(b).counter).toBe(1);
  });

  it('keeps increasing when the wall clock goes backwards', () => {
    const a = tickHlc(null, 5000, NODE);
    const b = tickHlc(a, 1000, NODE);
    expect(b > a).toBe(true);
    expect(parseHlc(b).wallMs).toBe(5000);
  });

  it('orders stamps as strings the same way as by time', () => {
    const early = formatHlc({ wallMs: 999, counter: 5, node: NODE });
    const late = formatHlc({ wallMs: 1000, counter: 0, node: NODE });
    expect(early < late).toBe(true);
  });

  it('moves past a received stamp from another device', () => {
    const remote = formatHlc({ wallMs: 9000, counter: 3, node: 'other' });
    const next = receiveHlc(tickHlc(null, 1000, NODE), remote, 8000, NODE);
    expect(next > remote).toBe(true);
    expect(parseHlc(next)).toMatchObject({ wallMs: 9000, counter: 4 });
  });

  it('refuses a remote clock more than five minutes ahead', () => {
    const remote = formatHlc({ wallMs: 1_000_000, counter: 0, node: 'other' });
    expect(() => receiveHlc(null, remote, 0, NODE)).toThrow(ClockError);
  });

  it('refuses a malformed stamp', () => {
    expect(() => parseHlc('yesterday')).toThrow(ClockError);
  });
});
