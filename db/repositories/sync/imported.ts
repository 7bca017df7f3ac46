/**
 * Bundles: which ops of other devices were imported here from USB bundles.
 */

import { prepare } from '../../prepared';
import type { Db } from '../../client';

export function importedOpIds(db: Db, deviceId: string, opIds: readonly string[]): Set<string> {
  const stmt = prepare(
    db.sqlite,
    'SELECT 1 FROM sync_bundle_ops WHERE device_id = ? AND op_id = ?',
  );
  return new Set(opIds.filter((id) => stmt.get(deviceId, id) !== undefined));
}

export function recordImportedOp(
  db: Db,
  deviceId: string,
  opId: string,
  seq: number,
  now: number,
): void {
  prepare(
    db.sqlite,
    'INSERT INTO sync_bundle_ops (device_id, op_id, seq, imported_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  ).run(deviceId, opId, seq, now);
}
