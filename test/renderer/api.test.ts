import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { AppInfo } from '../../shared/api/contract';
import {
  ApiError,
  createApi,
  createBrowserTransport,
  createSseParser,
  detectConnection,
  TOKEN_STORAGE_KEY,
  TOKEN_REJECTED_MESSAGE,
  UNREACHABLE_MESSAGE,
  type SseMessage,
} from '../../renderer/src/api';

const INFO: AppInfo = {
  name: 'Uplift',
  version: '0.1.0',
  mode: 'browser',
  dataDir: '/data',
  databaseFile: '/data/uplift.db',
  deviceId: 'device-1',
  pendingOps: 3,
  enterpriseCount: 7,
};

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** A response whose body streams `chunks`, then stays open until the reader cancels it. */
function eventStream(chunks: string[], { close = false } = {}): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      if (close) controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

function browserApi() {
  const connection = detectConnection();
  if (connection.kind !== 'browser')
    throw new Error(`expected browser mode, got ${connection.kind}`);
  return createApi(() => connection.transport);
}

describe('the browser-mode API client', () => {
  beforeEach(() => {
    sessionStorage.clear();
    window.location.hash = '';
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    delete window.uplift;
  });

  it('sends the Bearer token from the address hash and remembers it for a reload', async () => {
    const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
      Promise.resolve(json({ ok: true, value: INFO })),
    );
    vi.stubGlobal('fetch', fetchMock);
    window.location.hash = '#token=tok-abc123';

    await expect(browserApi().call('app.info', {})).resolves.toEqual(INFO);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/app.info');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok-abc123');
    expect(init.body).toBe('{}');
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('tok-abc123');

    // A reload without the hash still has the token.
    window.location.hash = '';
    await browserApi().call('app.info', {});
    const [, again] = fetchMock.mock.calls[1]!;
    expect(new Headers(again.headers).get('Authorization')).toBe('Bearer tok-abc123');
  });

  it('turns an {ok:false} envelope into an ApiError with its code, message and issues', async () => {
    const error = {
      code: 'invalid_input',
      message: '统一社会信用代码校验位错误',
      issues: [{ path: 'creditCode', message: '统一社会信用代码校验位错误' }],
    };
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.resolve(json({ ok: false, error }, 400))),
    );
    window.location.hash = '#token=t';

    const failure = await browserApi()
      .call('enterprise.create', { name: '甲', cityCode: '6401' })
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject(error);
  });

  it('turns a network failure into an internal ApiError with a Chinese message', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => Promise.reject(new TypeError('Failed to fetch'))),
    );
    window.location.hash = '#token=t';

    const failure = await browserApi()
      .call('app.info', {})
      .catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'internal', message: UNREACHABLE_MESSAGE });
  });

  it('forgets a remembered token the host refuses, says so in plain Chinese and tells the page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(() => {
        const refused = json(
          { ok: false, error: { code: 'unauthorized', message: '令牌错误' } },
          401,
        );
        refused.headers.set('X-Uplift-Token', 'rejected');
        return Promise.resolve(refused);
      }),
    );
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'stale');
    const rejected = vi.fn();
    const connection = detectConnection(rejected);
    if (connection.kind !== 'browser') throw new Error('expected browser mode');

    await expect(createApi(() => connection.transport).call('app.info', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message: TOKEN_REJECTED_MESSAGE,
    });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBeNull();
    expect(rejected).toHaveBeenCalledTimes(1);
  });

  it('passes on a method’s own unauthorized answer, such as a wrong password at the store, and keeps the tab', async () => {
    const message = '用户名或密码错误';
    vi.stubGlobal(
      'fetch',
      vi.fn(() =>
        Promise.resolve(json({ ok: false, error: { code: 'unauthorized', message } }, 401)),
      ),
    );
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'good');
    const rejected = vi.fn();
    const connection = detectConnection(rejected);
    if (connection.kind !== 'browser') throw new Error('expected browser mode');

    await expect(createApi(() => connection.transport).call('app.info', {})).rejects.toMatchObject({
      code: 'unauthorized',
      message,
    });
    expect(sessionStorage.getItem(TOKEN_STORAGE_KEY)).toBe('good');
    expect(rejected).not.toHaveBeenCalled();
  });

  it('reports a missing token when neither the hash nor the session has one', () => {
    expect(detectConnection().kind).toBe('missing-token');
  });

  it('uses the preload bridge when the desktop app provides one', async () => {
    const invoke = vi.fn((_method: string, _input: unknown) =>
      Promise.resolve({ ok: true, value: INFO }),
    );
    window.uplift = { invoke, on: () => () => undefined };

    const connection = detectConnection();
    expect(connection.kind).toBe('electron');
    if (connection.kind !== 'electron') return;
    await expect(createApi(() => connection.transport).call('app.info', {})).resolves.toEqual(INFO);
    expect(invoke).toHaveBeenCalledWith('app.info', {});
  });
});

describe('the browser-mode event stream', () => {
  it('delivers data.changed events read from the SSE stream with the Bearer header', async () => {
    const fetchMock = vi.fn((_url: string, _init: RequestInit) =>
      Promise.resolve(
        eventStream([
          'event: ready\ndata: {}\n\n',
          'event: data.chan',
          'ged\ndata: {"tables":["enterprises"]}\n',
          '\n',
        ]),
      ),
    );
    const transport = createBrowserTransport({
      token: 'tok',
      fetch: fetchMock as unknown as typeof fetch,
    });
    const api = createApi(() => transport);
    const received: unknown[] = [];

    const stop = api.on('data.changed', (p) => received.push(p));
    await vi.waitFor(() => expect(received).toEqual([{ tables: ['enterprises'] }]));
    stop();

    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/events');
    expect(new Headers(init.headers).get('Authorization')).toBe('Bearer tok');
    expect(init.signal?.aborted).toBe(true);
  });

  it('reconnects after the stream drops and says anything may have changed', async () => {
    const responses = [
      eventStream(['event: ready\ndata: {}\n\n'], { close: true }),
      eventStream([
        'event: ready\ndata: {}\n\n',
        'event: data.changed\ndata: {"tables":["x"]}\n\n',
      ]),
    ];
    const fetchMock = vi.fn(() => {
      const next = responses.shift();
      return next ? Promise.resolve(next) : Promise.reject(new TypeError('Failed to fetch'));
    });
    const transport = createBrowserTransport({
      token: 'tok',
      fetch: fetchMock,
      reconnectMs: { initial: 5, max: 20 },
    });
    const received: unknown[] = [];

    const stop = createApi(() => transport).on('data.changed', (p) => received.push(p));
    await vi.waitFor(() => expect(received).toEqual([{ tables: [] }, { tables: ['x'] }]));
    stop();
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});

describe('the SSE parser', () => {
  it('joins lines split across chunks, CRLF endings and multi-line data, and skips comments', () => {
    const messages: SseMessage[] = [];
    const parser = createSseParser((m) => messages.push(m));

    parser.push(': keep-alive\r');
    parser.push('\nevent: a\r\ndata: 1\r');
    parser.push('\ndata: 2\r\n\r\n');
    parser.push('data:plain\n\n');
    parser.push('event: empty\n\n');

    expect(messages).toEqual([
      { event: 'a', data: '1\n2' },
      { event: 'message', data: 'plain' },
    ]);
  });
});
