import {
  contract,
  isMethod,
  type EventName,
  type Events,
  type Input,
  type Method,
  type Output,
} from '../../shared/api/contract';
import { AppError, invalidInput, type ApiResult } from '../../shared/api/errors';
import type { Enterprise, EnterpriseListItem } from '../../shared/domain/enterprise';
import type { Transport } from '../../renderer/src/api';

type Handlers = { [M in Method]?: (input: Input<M>) => Output<M> | Promise<Output<M>> };

export interface FakeCall {
  method: string;
  input: unknown;
}

/**
 * A stand-in for the Node side: answers calls from `handlers` with the same envelopes the real
 * transports return (an AppError thrown by a handler becomes `{ ok: false, error }`), records every
 * call, and lets a test push events. Like the real host (electron/api/index.ts `dispatch`), it checks
 * each call's input against the contract's schema first: a call of the wrong shape is refused with
 * `invalid_input` and reaches no handler, so a renderer that sends what the host would refuse fails
 * here too. The handler still receives the input as sent (not the parsed value).
 */
export function fakeTransport(handlers: Handlers) {
  const calls: FakeCall[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();

  const transport: Transport = {
    async invoke(method, input): Promise<ApiResult<unknown>> {
      calls.push({ method, input });
      if (isMethod(method)) {
        const parsed = contract[method].input.safeParse(input === undefined ? {} : input);
        if (!parsed.success) return { ok: false, error: invalidInput(parsed.error).toShape() };
      }
      const handler = handlers[method as Method] as ((input: unknown) => unknown) | undefined;
      if (!handler) {
        return {
          ok: false,
          error: { code: 'unknown_method', message: `未知的接口方法：${method}` },
        };
      }
      try {
        return { ok: true, value: await handler(input) };
      } catch (e) {
        if (e instanceof AppError) return { ok: false, error: e.toShape() };
        throw e;
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };

  return {
    transport,
    calls,
    callsOf(method: Method): unknown[] {
      return calls.filter((c) => c.method === method).map((c) => c.input);
    },
    emit<E extends EventName>(event: E, payload: Events[E]): void {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
}

let serial = 0;

/** An enterprise as enterprise.list returns it. */
export function enterprise(
  fields: Partial<EnterpriseListItem> & Pick<Enterprise, 'name'>,
): EnterpriseListItem {
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    creditCode: null,
    cityCode: '6401',
    countyCode: '640104',
    address: null,
    contactPerson: null,
    contactPhone: null,
    createdAt: 1_700_000_000_000,
    updatedAt: '0000000001700000000000-0000-device',
    lockedUntil: null,
    currentGrade: { grade: null, visit: null, violation: null },
    official: { grade: null, since: null, cause: null },
    guarantee: false,
    ...fields,
  };
}
