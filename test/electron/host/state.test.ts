import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  HOST_STATE_FILE,
  readHostState,
  tokenFor,
  writeHostState,
} from '../../../electron/host/state';
import { tempDir } from '../../helpers/context';

describe('the browser-mode token kept in the data folder', () => {
  it('is made once and reused on the next start, in a file only the user can read', () => {
    const dir = tempDir('uplift-host-state-');
    const first = tokenFor(dir, false);
    const second = tokenFor(dir, false);

    expect(first.token).toMatch(/^[\w-]{32}$/);
    expect(second.token).toBe(first.token);
    expect(fs.statSync(path.join(dir, HOST_STATE_FILE)).mode & 0o777).toBe(0o600);
  });

  it('is replaced by a new one when a new token is asked for, keeping the port', () => {
    const dir = tempDir('uplift-host-state-');
    const first = tokenFor(dir, false);
    writeHostState(dir, { token: first.token, port: 41234 });

    const rotated = tokenFor(dir, true);

    expect(rotated.token).not.toBe(first.token);
    expect(rotated.port).toBe(41234);
    expect(readHostState(dir)).toEqual({ token: rotated.token, port: 41234 });
  });

  it('is tightened to the user only when the file was readable by others', () => {
    const dir = tempDir('uplift-host-state-');
    const { token } = tokenFor(dir, false);
    const file = path.join(dir, HOST_STATE_FILE);
    fs.chmodSync(file, 0o644);

    expect(tokenFor(dir, false).token).toBe(token);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is made anew when the file is damaged', () => {
    const dir = tempDir('uplift-host-state-');
    fs.writeFileSync(path.join(dir, HOST_STATE_FILE), '{"token": "short"');

    const { token } = tokenFor(dir, false);

    expect(token).toMatch(/^[\w-]{32}$/);
    expect(readHostState(dir)?.token).toBe(token);
  });
});
