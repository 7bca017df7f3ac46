/**
 * Committed migrations are never edited: a device or a store that already ran one would never
 * run the edit, and would differ from a fresh install for ever. test/fixtures/migration-hashes.json
 * holds the SHA-256 of every committed migration of the device (db/migrations) and of the central
 * store (server/db/migrations); a change is a new migration, never an edit of an old one.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

const MANIFEST = path.join('test', 'fixtures', 'migration-hashes.json');
const FOLDERS = ['db/migrations', 'server/db/migrations'];

/** The hash of a migration as committed; line endings do not count (a Windows checkout). */
function hashOf(file: string): string {
  const text = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  return crypto.createHash('sha256').update(text).digest('hex');
}

const committed = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, string>;
const present = FOLDERS.flatMap((folder) =>
  fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => `${folder}/${f}`),
);

describe('committed migrations', () => {
  it('are all still there, unedited', () => {
    const edited = Object.entries(committed)
      .filter(([file, hash]) => !fs.existsSync(file) || hashOf(file) !== hash)
      .map(([file]) => (fs.existsSync(file) ? `${file} was edited` : `${file} was removed`));
    expect(
      edited,
      'A committed migration never changes: put the change in a new migration, and restore these',
    ).toEqual([]);
  });

  it('are all in the manifest (a new migration is added to it once it is committed)', () => {
    const added = present
      .filter((file) => !(file in committed))
      .map((file) => `"${file}": "${hashOf(file)}"`);
    expect(added, `Add these lines to ${MANIFEST}`).toEqual([]);
  });
});
