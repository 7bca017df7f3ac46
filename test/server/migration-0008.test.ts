import fs from 'node:fs';
import path from 'node:path';

import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';

const MIGRATIONS = path.resolve('server', 'db', 'migrations');

/** Runs one migration file as drizzle does: its statements between breakpoints, in order. */
async function apply(db: PGlite, file: string): Promise<void> {
  const text = fs.readFileSync(path.join(MIGRATIONS, file), 'utf8');
  for (const statement of text.split('--> statement-breakpoint')) {
    if (statement.trim()) await db.exec(statement);
  }
}

describe('server migration 0008 on a store that ran 0007', () => {
  const db = new PGlite();
  afterAll(() => db.close());

  it('makes every uploader a holder of its file, and frees devices met only through relays', async () => {
    const files = fs.readdirSync(MIGRATIONS).filter((f) => f.endsWith('.sql'));
    for (const f of files.filter((f) => f < '0008')) await apply(db, f);
    await db.exec(`
      INSERT INTO users (id, username, display_name, role, scope, password_hash, created_at)
        VALUES ('u1', 'office', '办公室', '帮扶队员', '6401', 'x', now());
      INSERT INTO devices (device_id, user_id, created_at) VALUES ('logged-in', 'u1', now()),
        ('relayed-only', 'u1', now());
      INSERT INTO devices (device_id, user_id, secret_hash, created_at)
        VALUES ('with-secret', 'u1', '${'a'.repeat(64)}', now());
      INSERT INTO tokens (token_hash, user_id, device_id, created_at)
        VALUES ('t1', 'u1', 'logged-in', now());
      INSERT INTO attachments (sha256, size, uploaded_by, created_at)
        VALUES ('${'b'.repeat(64)}', 10, 'u1', now());
    `);
    await apply(db, files.find((f) => f.startsWith('0008')) as string);

    const devices = await db.query<{ device_id: string; claimed: boolean }>(
      'SELECT device_id, claimed FROM devices ORDER BY device_id',
    );
    expect(devices.rows).toEqual([
      { device_id: 'logged-in', claimed: true },
      { device_id: 'relayed-only', claimed: false },
      { device_id: 'with-secret', claimed: true },
    ]);
    const holders = await db.query<{ sha256: string; user_id: string }>(
      'SELECT sha256, user_id FROM attachment_holders',
    );
    expect(holders.rows).toEqual([{ sha256: 'b'.repeat(64), user_id: 'u1' }]);
  });
});
