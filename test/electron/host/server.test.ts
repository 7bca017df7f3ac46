import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startHost, type RunningHost } from '../../../electron/host/server';
import { pendingOpCount } from '../../../db/repositories/device';
import { closeAppContext, createTestContext, tempDir } from '../../helpers/context';

const ctx = createTestContext();
let host: RunningHost;

beforeAll(async () => {
  const renderer = tempDir('uplift-renderer-');
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Uplift</title>');
  host = await startHost({ ctx, port: 0, rendererDir: renderer, token: 'test-token-123' });
});
afterAll(async () => {
  await host.close();
  closeAppContext(ctx);
});

const DRAFT = { name: '宁夏瑞泰水泥有限公司', cityCode: '6401', countyCode: '640104' };

function post(
  method: string,
  body: unknown,
  headers: Record<string, string> = { authorization: 'Bearer test-token-123' },
) {
  return fetch(`${host.url}api/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A raw request, so the Host header can be forged (fetch will not let us). */
function rawRequest(hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        path: '/api/app.info',
        method: 'POST',
        headers: {
          host: hostHeader,
          authorization: 'Bearer test-token-123',
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

describe('browser-mode host', () => {
  it('listens on the loopback address only and prints an address carrying the token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}#token=test-token-123`);
  });

  it('answers an API call that carries the token', async () => {
    const res = await post('enterprise.create', DRAFT);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, value: { name: DRAFT.name } });
  });

  it('refuses a call without the token and changes nothing', async () => {
    const before = pendingOpCount(ctx.db);
    const res = await post('enterprise.create', { ...DRAFT, name: '无令牌' }, {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(pendingOpCount(ctx.db)).toBe(before);
  });

  it('refuses a call with a wrong token, and marks the refusal as the host’s own', async () => {
    const res = await post('app.info', {}, { authorization: 'Bearer test-token-124' });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-uplift-token')).toBe('rejected');
    const answered = await post('app.info', {});
    expect(answered.headers.get('x-uplift-token')).toBeNull();
  });

  it('refuses a Host header that is not the loopback address', async () => {
    expect(await rawRequest(`evil.example:${host.port}`)).toBe(403);
    expect(await rawRequest(`127.0.0.1:${host.port}`)).toBe(200);
  });

  it('refuses a call from another site', async () => {
    const res = await post(
      'app.info',
      {},
      { authorization: 'Bearer test-token-123', origin: 'http://evil.example' },
    );
    expect(res.status).toBe(403);
  });

  it('answers invalid input with 400 and the Chinese reasons', async () => {
    const res = await post('enterprise.create', { ...DRAFT, creditCode: '123' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toContain('统一社会信用代码应为18位');
  });

  it('refuses text that is not well-formed with 400, naming the field, and writes nothing', async () => {
    const before = pendingOpCount(ctx.db);
    // JSON carries a lone surrogate as an escape; PostgreSQL would refuse it at the store.
    const res = await post('enterprise.create', { ...DRAFT, name: '宁夏\uD800水泥有限公司' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      ok: false,
      error: {
        code: 'invalid_input',
        issues: [
          {
            path: 'name',
            message: '企业名称含有无效字符：第 3 个字符是不成对的代理项（不是有效的 Unicode 文字）',
          },
        ],
      },
    });
    const control = await post('enterprise.create', { ...DRAFT, address: '兴庆区\u0000工业园' });
    expect(await control.json()).toMatchObject({
      error: { message: '地址含有无效字符：第 4 个字符是空字符（U+0000）' },
    });
    expect(pendingOpCount(ctx.db)).toBe(before);
  });

  it('answers a search holding NUL without failing or matching every enterprise', async () => {
    for (const text of ['\u0000', '水泥\u0000有限', '\u0000\u0000\u0000']) {
      const res = await post('enterprise.list', { text });
      expect(res.status, JSON.stringify(text)).not.toBe(500);
      const body = (await res.json()) as { ok: boolean; value?: { total: number } };
      // Refused as input (400) or answered with no match; never everything.
      if (body.ok) expect(body.value?.total, JSON.stringify(text)).toBe(0);
      else expect(res.status).toBe(400);
    }
    const all = (await (await post('enterprise.list', {})).json()) as { value: { total: number } };
    expect(all.value.total).toBeGreaterThan(0);
  });

  it('answers a body that is not JSON with 400', async () => {
    const res = await post('enterprise.create', '{"name":');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { message: '请求内容不是有效的 JSON' } });
  });

  it('refuses an oversized body', async () => {
    const res = await post(
      'enterprise.create',
      JSON.stringify({ name: 'x'.repeat(31 * 1024 * 1024) }),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { message: '请求内容超过 30 MB' } });
  });

  it('answers an unknown method with 404', async () => {
    const res = await post('enterprise.drop', {});
    expect(res.status).toBe(404);
  });

  it('serves the renderer with a strict content security policy', async () => {
    const res = await fetch(host.url, { headers: {} });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await res.text()).toContain('<title>Uplift</title>');
  });

  it('streams data.changed events to a page that holds the token', async () => {
    const controller = new AbortController();
    const res = await fetch(`${host.url}api/events`, {
      headers: { authorization: 'Bearer test-token-123' },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil('event: ready');
    await post('enterprise.create', { ...DRAFT, name: '事件测试企业' });
    await readUntil('data.changed');
    expect(text).toContain('event: data.changed');
    expect(text).toContain('"tables":["enterprises"]');
    controller.abort();
  });

  it('refuses the event stream without the token', async () => {
    const res = await fetch(`${host.url}api/events`);
    expect(res.status).toBe(401);
  });
});
