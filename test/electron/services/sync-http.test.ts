import { describe, expect, it } from 'vitest';

import { SyncTransport, type FetchLike } from '../../../electron/services/sync-http';

const GOOD = {
  table: 'enterprises',
  rowId: 'e1',
  values: { name: '宁夏瑞泰水泥有限公司' },
  clocks: { name: '001795868883195-000000-dev' },
};

function answering(body: unknown): SyncTransport {
  const fetch: FetchLike = () =>
    Promise.resolve(
      new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } }),
    );
  return new SyncTransport({ baseUrl: 'http://store', token: 't', appVersion: '0.1.0', fetch });
}

const page = (changes: unknown[]) => ({ changes, cursor: '1', more: false });

describe('SyncTransport.pull()', () => {
  it('takes a well-formed page as it came', async () => {
    await expect(answering(page([GOOD])).pull('d', null, 10)).resolves.toEqual(page([GOOD]));
  });

  it.each([
    ['a change without its row id', { ...GOOD, rowId: undefined }],
    ['an empty table name', { ...GOOD, table: '' }],
    ['a table name longer than any table', { ...GOOD, table: 'x'.repeat(65) }],
    ['values given as a list', { ...GOOD, values: ['宁夏'] }],
    ['clocks missing', { ...GOOD, clocks: null }],
    ['a clock that is a number', { ...GOOD, clocks: { name: 1795868883195 } }],
    ['a change that is a string', 'enterprises'],
  ])('refuses a page holding %s, naming the answer', async (_, change) => {
    await expect(answering(page([GOOD, change])).pull('d', null, 10)).rejects.toThrow(
      '中心服务器的拉取应答格式不正确',
    );
  });
});
