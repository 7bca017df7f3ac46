import type {
  EventName,
  Events,
  Input,
  Method,
  Output,
  PreloadApi,
} from '../../shared/api/contract';
import {
  isApiErrorShape,
  type ApiErrorShape,
  type ErrorCode,
  type Issue,
} from '../../shared/api/errors';

/**
 * The renderer's one API client. Components and stores call `api.call` / `api.on` and nothing else:
 * never `window.uplift`, never `fetch`.
 *
 * Two transports, picked once at startup by `connect()`:
 * - Electron: the preload bridge `window.uplift` (IPC);
 * - browser mode: POST /api/<method> on the loopback host with `Authorization: Bearer <token>`,
 *   the token read from `#token=…` and kept in sessionStorage; events over an SSE stream read
 *   with fetch (EventSource cannot send headers), reconnected with backoff when it drops.
 * Both transports speak the same thing as `PreloadApi`: `invoke` resolves to the ApiResult envelope.
 */

declare global {
  interface Window {
    /** Set by electron/preload.ts in the desktop app; absent in browser mode. */
    uplift?: PreloadApi;
  }
}

/** A failed call, as the UI sees it: a code to branch on and a Chinese message to show. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly issues: readonly Issue[];

  constructor(shape: ApiErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    this.issues = shape.issues ?? [];
  }
}

export const UNREACHABLE_MESSAGE =
  '暂时连不上 Uplift：它可能已关闭或正在重新启动。请确认 Uplift 已打开，稍后再试；已输入的内容暂存在本机';
export const MISSING_TOKEN_MESSAGE = '这个地址缺少访问令牌，请用 Uplift 启动时显示的地址打开';
export const TOKEN_REJECTED_MESSAGE =
  'Uplift 已重新启动并更换了访问令牌，此页面不能再使用，请用 Uplift 新显示的地址重新打开';

/** What `api.call` and `api.on` run over; both transports implement it. */
export type Transport = PreloadApi;

export interface Api {
  call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>>;
  /** Listens to a pushed event; returns the function that stops listening. */
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function unwrap(raw: unknown): unknown {
  if (typeof raw === 'object' && raw !== null && 'ok' in raw) {
    const envelope = raw as { ok: unknown; value?: unknown; error?: unknown };
    if (envelope.ok === true) return envelope.value;
    if (envelope.ok === false && isApiErrorShape(envelope.error)) {
      throw new ApiError(envelope.error);
    }
  }
  throw new ApiError({ code: 'internal', message: '本机服务返回了无法识别的响应' });
}

/** An API client over the transport `getTransport` returns when a call is made. */
export function createApi(getTransport: () => Transport): Api {
  return {
    async call<M extends Method>(method: M, input: Input<M>): Promise<Output<M>> {
      let raw: unknown;
      try {
        raw = await getTransport().invoke(method, input);
      } catch (e) {
        if (e instanceof ApiError) throw e;
        throw new ApiError({ code: 'internal', message: `调用失败：${describe(e)}` });
      }
      return unwrap(raw) as Output<M>;
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      return getTransport().on(event, (payload) => listener(payload as Events[E]));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Browser mode

export const TOKEN_STORAGE_KEY = 'uplift.token';

/**
 * The access token: from `#token=…` when the address carries one (and then remembered for this
 * tab, so a reload without the hash still works), otherwise the one remembered earlier.
 */
export function readToken(hash: string, storage: Storage | null): string | null {
  const fromHash = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  if (fromHash) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromHash);
    } catch {
      // Storage may be unavailable (privacy settings); the hash still works for this page.
    }
    return fromHash;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

export interface SseMessage {
  event: string;
  data: string;
}

/** An incremental parser of a `text/event-stream` body (the subset our host writes, per spec). */
export function createSseParser(onMessage: (message: SseMessage) => void) {
  let buffer = '';
  let event = '';
  let data: string[] = [];

  function line(text: string): void {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    let value = colon < 0 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }

  return {
    push(chunk: string): void {
      buffer += chunk;
      for (;;) {
        const match = /\r\n|\r|\n/.exec(buffer);
        if (!match) return;
        // A lone '\r' at the end may be the first half of '\r\n': wait for the next chunk.
        if (match[0] === '\r' && match.index === buffer.length - 1) return;
        line(buffer.slice(0, match.index));
        buffer = buffer.slice(match.index + match[0].length);
      }
    },
  };
}

export interface BrowserTransportOptions {
  token: string;
  /** Prefix of the API paths; '' means the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Called when the host refuses the token (it was rotated with `--new-token`). */
  onUnauthorized?: () => void;
  /** Reconnect delays of the event stream, doubling from the first to the last. */
  reconnectMs?: { initial: number; max: number };
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * The event stream of browser mode: one SSE connection shared by all listeners, opened with the
 * first listener and closed with the last. After a reconnect it emits `data.changed` with no
 * tables ("anything may have changed"), since events sent while it was down are lost.
 */
function createEventStream(
  open: (signal: AbortSignal) => Promise<Response>,
  reconnectMs: { initial: number; max: number },
) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let controller: AbortController | null = null;

  function emit(event: string, payload: unknown): void {
    for (const listener of [...(listeners.get(event) ?? [])]) {
      try {
        listener(payload);
      } catch (e) {
        console.error('[uplift] event listener failed:', e);
      }
    }
  }

  function deliver(message: SseMessage): void {
    if (message.event === 'ready' || message.event === 'ping') return;
    let payload: unknown;
    try {
      payload = JSON.parse(message.data) as unknown;
    } catch {
      console.warn('[uplift] ignored an event whose data is not JSON:', message.event);
      return;
    }
    emit(message.event, payload);
  }

  async function run(signal: AbortSignal): Promise<void> {
    let delay = reconnectMs.initial;
    let connectedBefore = false;
    while (!signal.aborted) {
      try {
        const response = await open(signal);
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        if (connectedBefore) emit('data.changed', { tables: [] } satisfies Events['data.changed']);
        connectedBefore = true;
        delay = reconnectMs.initial;
        const reader = response.body.getReader();
        const cancel = () => void reader.cancel().catch(() => undefined);
        signal.addEventListener('abort', cancel);
        const decoder = new TextDecoder();
        const parser = createSseParser(deliver);
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            parser.push(decoder.decode(value, { stream: true }));
          }
        } finally {
          signal.removeEventListener('abort', cancel);
        }
      } catch {
        // Dropped or refused: retry below unless we were stopped.
      }
      if (signal.aborted) return;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, reconnectMs.max);
    }
  }

  return {
    subscribe(event: string, listener: (payload: unknown) => void): () => void {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      set.add(listener);
      if (!controller) {
        controller = new AbortController();
        void run(controller.signal);
      }
      return () => {
        listeners.get(event)?.delete(listener);
        const remaining = [...listeners.values()].reduce((n, s) => n + s.size, 0);
        if (remaining === 0 && controller) {
          controller.abort();
          controller = null;
        }
      };
    },
  };
}

/** The browser-mode transport over the loopback host (electron/host/server.ts). */
export function createBrowserTransport(options: BrowserTransportOptions): Transport {
  const base = options.baseUrl ?? '';
  const doFetch: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const authorization = `Bearer ${options.token}`;

  const events = createEventStream(
    (signal) =>
      doFetch(`${base}/api/events`, {
        headers: { Authorization: authorization, Accept: 'text/event-stream' },
        cache: 'no-store',
        signal,
      }),
    options.reconnectMs ?? { initial: 1000, max: 30_000 },
  );

  return {
    async invoke(method: string, input: unknown): Promise<unknown> {
      let response: Response;
      try {
        response = await doFetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: authorization },
          body: JSON.stringify(input ?? {}),
          cache: 'no-store',
        });
      } catch {
        throw new ApiError({ code: 'internal', message: UNREACHABLE_MESSAGE });
      }
      let body: unknown;
      try {
        body = (await response.json()) as unknown;
      } catch {
        throw new ApiError({
          code: 'internal',
          message: `本机服务返回了无法识别的响应（HTTP ${response.status}）`,
        });
      }
      // Only the host's own refusal of the token (marked by its header) means this tab is shut
      // out; an 'unauthorized' answer of a method (a wrong password at the store) is an answer.
      if (response.headers.get('X-Uplift-Token') === 'rejected') {
        options.onUnauthorized?.();
        // The host's own words name the token; a field officer needs what happened and what to do.
        return {
          ok: false,
          error: { code: 'unauthorized', message: TOKEN_REJECTED_MESSAGE },
        } satisfies { ok: false; error: ApiErrorShape };
      }
      return body;
    },
    on(event: string, listener: (payload: unknown) => void): () => void {
      return events.subscribe(event, listener);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Startup

export type Connection =
  | { kind: 'electron'; transport: Transport }
  | { kind: 'browser'; transport: Transport }
  | { kind: 'missing-token' };

function sessionStore(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** Picks the transport for this page: the preload bridge if present, else browser mode. */
export function detectConnection(onRejected?: () => void): Connection {
  if (window.uplift) return { kind: 'electron', transport: window.uplift };
  const storage = sessionStore();
  const token = readToken(window.location.hash, storage);
  if (!token) return { kind: 'missing-token' };
  return {
    kind: 'browser',
    transport: createBrowserTransport({
      token,
      // A rotated token: forget it so a reload asks for the new address, and say so.
      onUnauthorized: () => {
        try {
          if (storage?.getItem(TOKEN_STORAGE_KEY) === token) storage.removeItem(TOKEN_STORAGE_KEY);
        } catch {
          // Nothing to forget.
        }
        onRejected?.();
      },
    }),
  };
}

let current: Transport | null = null;

/** Replaces the transport `api` uses (startup, and tests that fake the Node side). */
export function setTransport(transport: Transport | null): void {
  current = transport;
}

/** Chooses and installs the transport; main.tsx calls this once before rendering. */
export function connect(onRejected?: () => void): Connection['kind'] {
  const connection = detectConnection(onRejected);
  if (connection.kind !== 'missing-token') setTransport(connection.transport);
  return connection.kind;
}

function currentTransport(): Transport {
  if (current) return current;
  const connection = detectConnection();
  if (connection.kind === 'missing-token') {
    throw new ApiError({ code: 'unauthorized', message: MISSING_TOKEN_MESSAGE });
  }
  current = connection.transport;
  return current;
}

/** The API client every component and store uses. */
export const api: Api = createApi(currentTransport);
