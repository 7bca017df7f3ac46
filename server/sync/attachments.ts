import crypto from 'node:crypto';

import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';

import {
  CHUNK_BYTES_MAX,
  REGION_SCOPE,
  type MissingResponse,
  type UploadResponse,
} from '../../shared/sync/protocol';
import type { AuthUser } from '../auth/tokens';
import {
  attachmentChunks,
  attachmentHolders,
  attachments,
  devices,
  attachmentUploadChunks,
  attachmentUploads,
  rows,
} from '../db/schema';
import type { ServerDb } from '../db/store';
import { SyncFailure } from '../errors';

/**
 * Stored files (photos, scans), by SHA-256, uploaded in chunks that can resume.
 *
 * Where the bytes live: in PostgreSQL, as bytea rows of attachment_chunks (≤ 1 MB each), not as
 * files under the data folder. The store may run as several processes on several machines behind
 * a proxy, all sharing one database: a file on one machine's disk would be missing on the others,
 * while a row is everywhere at once. A chunk and the upload's progress commit in one transaction,
 * so a crash can never leave a counted chunk unwritten or a written chunk uncounted, and one
 * database backup holds the whole store. The price is database size; chunks of 1 MB keep each
 * value small (TOAST-compressed where it helps), and a download streams them one by one.
 *
 * Who may send a file: an account that may see a row using it — an attachment_uses row of its
 * city (any city's, for a region account). A device pushes its rows before it uploads the files
 * they use (electron/services/sync/run.ts), so its uploads find their use already here.
 *
 * Who may fetch a file: a file's hash is no secret (every city pulls the region-wide `attachments`
 * rows), so a use an account writes itself, naming the hash, must not be enough — it could name
 * any city's photo. The store keeps who has shown it holds the bytes (attachment_holders): the
 * accounts that uploaded the file whole, or downloaded it with a right to. An account may
 * download a file it holds, or one that a use in its scope names whose `attachmentId` was written
 * (the field's clock names the device, whose account the store knows) by a holder. So a team's
 * colleagues and the region fetch the photos the team took; a use invented elsewhere fetches
 * nothing. An account that uses a stored file it does not hold is told the file is missing, and
 * its device sends the bytes once to show it holds them (no one can fake a hash's content).
 *
 * An upload in progress belongs to the account sending it (attachment_uploads, one per file and
 * account): another account cannot reset, extend or finish it, only send its own. The first
 * upload to arrive whole and match its hash becomes the stored file, and the others are dropped.
 * Every chunk of one file is written under a transaction-scoped advisory lock on its hash, so two
 * accounts finishing the same file at once take turns.
 *
 * Protocol (the routes live in server/http/app.ts):
 * - POST /sync/attachments/missing {hashes} → the hashes not stored whole or not yet shown to be
 *   held by this account, with the bytes this account's own upload has received;
 * - PUT /sync/attachments/<sha256>?offset=N&size=TOTAL, body = the next ≤ 1 MB of the file;
 *   N must equal the bytes received so far (else 409 with `received`); when the last byte
 *   arrives the SHA-256 is checked, and a mismatch discards the upload (422);
 * - GET /sync/attachments/<sha256> → the file.
 * PUT answers 403 to an account no row of whose scope uses the file; GET to one that neither holds
 * it nor sees a use of it written by a holder.
 */

export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The largest file the store accepts (evidence photos and scans stay far below). */
export const ATTACHMENT_BYTES_MAX = 200 * 1024 * 1024;
/** The first key of the per-file advisory locks (the second is the hash's hashtext). */
const UPLOAD_LOCK = 70_419;

/**
 * Whether a row this user may see uses the file: an evidence use (attachment_uses) of the user's
 * city, or of any city for a region account. Tombstoned uses count: the account saw the row.
 */
/** The store's rows of `attachment_uses` that name the file, within the user's scope. */
function useOfFileInScope(user: AuthUser, sha256: string) {
  return and(
    eq(rows.tableName, 'attachment_uses'),
    sql`(${rows.values} ->> 'attachmentId') = ${sha256}`,
    user.scope === REGION_SCOPE ? undefined : eq(rows.cityCode, user.scope),
  );
}

async function usedInScope(db: ServerDb, user: AuthUser, sha256: string): Promise<boolean> {
  const [use] = await db
    .select({ rowId: rows.rowId })
    .from(rows)
    .where(useOfFileInScope(user, sha256))
    .limit(1);
  return use !== undefined;
}

async function holds(db: ServerDb, userId: string, sha256: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: attachmentHolders.userId })
    .from(attachmentHolders)
    .where(and(eq(attachmentHolders.sha256, sha256), eq(attachmentHolders.userId, userId)))
    .limit(1);
  return row !== undefined;
}

/** The length of an HLC's `wallMs-counter-` prefix; the device id follows (shared/sync/hlc.ts). */
const HLC_NODE_FROM = 24;

/**
 * Whether the user may fetch the file: it holds it, or a use in its scope names it and the
 * account of the device that wrote that use's `attachmentId` holds it.
 */
async function mayDownload(db: ServerDb, user: AuthUser, sha256: string): Promise<boolean> {
  if (await holds(db, user.id, sha256)) return true;
  const writer = sql`substr(${rows.clocks} ->> 'attachmentId', ${HLC_NODE_FROM})`;
  const [use] = await db
    .select({ rowId: rows.rowId })
    .from(rows)
    .innerJoin(devices, eq(devices.deviceId, writer))
    .innerJoin(
      attachmentHolders,
      and(eq(attachmentHolders.sha256, sha256), eq(attachmentHolders.userId, devices.userId)),
    )
    .where(useOfFileInScope(user, sha256))
    .limit(1);
  return use !== undefined;
}

export async function missingAttachments(
  db: ServerDb,
  user: AuthUser,
  hashes: readonly string[],
): Promise<MissingResponse> {
  const unique = [...new Set(hashes)];
  if (unique.length === 0) return { missing: [] };
  // Stored, and this account has shown it holds the bytes: nothing to send.
  const held = await db
    .select({ sha256: attachmentHolders.sha256 })
    .from(attachmentHolders)
    .where(and(inArray(attachmentHolders.sha256, unique), eq(attachmentHolders.userId, user.id)));
  const mine = await db
    .select({ sha256: attachmentUploads.sha256, received: attachmentUploads.received })
    .from(attachmentUploads)
    .where(and(inArray(attachmentUploads.sha256, unique), eq(attachmentUploads.userId, user.id)));
  const whole = new Set(held.map((a) => a.sha256));
  const received = new Map(mine.map((u) => [u.sha256, u.received]));
  return {
    missing: unique
      .filter((h) => !whole.has(h))
      .map((h) => ({ sha256: h, received: received.get(h) ?? 0 })),
  };
}

async function sha256Of(tx: ServerDb, sha: string, userId: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  let offset = -1;
  for (;;) {
    const [chunk] = await tx
      .select({ offset: attachmentUploadChunks.offset, data: attachmentUploadChunks.data })
      .from(attachmentUploadChunks)
      .where(
        and(
          eq(attachmentUploadChunks.sha256, sha),
          eq(attachmentUploadChunks.userId, userId),
          gt(attachmentUploadChunks.offset, offset),
        ),
      )
      .orderBy(asc(attachmentUploadChunks.offset))
      .limit(1);
    if (!chunk) return hash.digest('hex');
    hash.update(chunk.data);
    offset = chunk.offset;
  }
}

/** Appends one chunk at `offset` to this user's upload; verifies the file when it is whole. */
export async function uploadChunk(
  db: ServerDb,
  user: AuthUser,
  upload: { sha256: string; offset: number; size: number; data: Buffer },
  now: number,
): Promise<UploadResponse> {
  const { sha256, offset, size, data } = upload;
  if (size > ATTACHMENT_BYTES_MAX) {
    throw new SyncFailure(
      'too_large',
      `文件超过 ${ATTACHMENT_BYTES_MAX / 1024 / 1024} MB，中心库不接收`,
    );
  }
  if (data.length > CHUNK_BYTES_MAX) {
    throw new SyncFailure('too_large', `每块最多 ${CHUNK_BYTES_MAX / 1024 / 1024} MB`);
  }
  if (!(await usedInScope(db, user, sha256))) {
    throw new SyncFailure(
      'forbidden',
      '无权上传这个文件：中心库中没有本账号范围内的记录使用它（请先同步使用它的检查记录）',
    );
  }
  const mine = and(eq(attachmentUploads.sha256, sha256), eq(attachmentUploads.userId, user.id));
  const result = await db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${UPLOAD_LOCK}, hashtext(${sha256}))`);
    const [stored] = await tx
      .select({ size: attachments.size })
      .from(attachments)
      .where(eq(attachments.sha256, sha256));
    if (stored && (await holds(tx, user.id, sha256))) {
      return { sha256, received: stored.size, complete: true };
    }
    const at = new Date(now);
    await tx
      .insert(attachmentUploads)
      .values({ sha256, userId: user.id, size, createdAt: at, updatedAt: at })
      .onConflictDoNothing();
    const [row] = await tx.select().from(attachmentUploads).where(mine);
    if (!row) throw new Error(`upload of ${sha256} vanished`);
    let received = row.received;
    if (row.size !== size) {
      if (offset !== 0) {
        throw new SyncFailure(
          'conflict',
          `文件大小与之前上传的不一致（之前为 ${row.size} 字节）；请从头上传`,
          { received: 0 },
        );
      }
      // This account starts over with another size: its earlier partial upload is dropped.
      await tx
        .delete(attachmentUploadChunks)
        .where(
          and(
            eq(attachmentUploadChunks.sha256, sha256),
            eq(attachmentUploadChunks.userId, user.id),
          ),
        );
      await tx.update(attachmentUploads).set({ size, received: 0, updatedAt: at }).where(mine);
      received = 0;
    }
    if (offset !== received) {
      throw new SyncFailure(
        'conflict',
        `上传位置不对：服务器已收到 ${received} 字节，请从第 ${received} 字节继续`,
        { received },
      );
    }
    if (received + data.length > size) {
      throw new SyncFailure('invalid_input', `这一块超出了文件大小（${size} 字节）`);
    }
    if (data.length === 0 && size > 0) {
      throw new SyncFailure('invalid_input', '上传的内容为空');
    }
    if (data.length > 0) {
      await tx.insert(attachmentUploadChunks).values({ sha256, userId: user.id, offset, data });
    }
    received += data.length;
    if (received < size) {
      await tx.update(attachmentUploads).set({ received, updatedAt: at }).where(mine);
      return { sha256, received, complete: false };
    }
    if ((await sha256Of(tx, sha256, user.id)) !== sha256) {
      await tx.delete(attachmentUploads).where(mine);
      return null;
    }
    const holder = { sha256, userId: user.id, at };
    if (stored) {
      // Another account stored it first: this upload only showed this account holds the bytes.
      await tx.insert(attachmentHolders).values(holder).onConflictDoNothing();
      await tx.delete(attachmentUploads).where(mine);
      return { sha256, received, complete: true };
    }
    // Whole and verified: the stored file, its chunks moved over inside the database.
    await tx.insert(attachments).values({
      sha256,
      size,
      uploadedBy: user.id,
      createdAt: row.createdAt,
      completedAt: at,
    });
    await tx.execute(
      sql`INSERT INTO attachment_chunks (sha256, "offset", data)
        SELECT sha256, "offset", data FROM attachment_upload_chunks
        WHERE sha256 = ${sha256} AND user_id = ${user.id}`,
    );
    await tx.insert(attachmentHolders).values(holder);
    // This account's upload is done. Another account's in progress goes on: finishing it shows
    // that account holds the bytes too.
    await tx.delete(attachmentUploads).where(mine);
    return { sha256, received, complete: true };
  });
  if (!result) {
    throw new SyncFailure(
      'invalid_input',
      '文件内容与 SHA-256 摘要不符，已丢弃；请重新上传（文件可能在传输中损坏）',
      { received: 0 },
      422,
    );
  }
  return result;
}

export interface Download {
  size: number;
  stream: ReadableStream<Uint8Array>;
}

/** A stored file the user may see, streamed chunk by chunk. */
export async function downloadAttachment(
  db: ServerDb,
  user: AuthUser,
  sha256: string,
  now: number,
): Promise<Download> {
  const [row] = await db.select().from(attachments).where(eq(attachments.sha256, sha256));
  if (!row || !(await mayDownload(db, user, sha256))) {
    // A use in scope whose writer has not shown it holds the bytes may yet be backed (its device
    // uploads them at its next sync): "not yet", as for a file not stored at all, so the device
    // asks again later, and the answer tells no one whether the store holds the file.
    if (await usedInScope(db, user, sha256)) {
      throw new SyncFailure(
        'not_found',
        '中心库还没有可供本账号下载的这个文件（拍摄它的设备尚未上传）；下次同步时再试',
      );
    }
    throw new SyncFailure('forbidden', '无权下载这个文件：它不属于账号范围内的记录');
  }
  // A download shows this account holds the bytes from now on; an upload of its own is moot.
  await db.transaction(async (tx) => {
    await tx
      .insert(attachmentHolders)
      .values({ sha256, userId: user.id, at: new Date(now) })
      .onConflictDoNothing();
    await tx
      .delete(attachmentUploads)
      .where(and(eq(attachmentUploads.sha256, sha256), eq(attachmentUploads.userId, user.id)));
  });
  let offset = -1;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const [chunk] = await db
        .select({ offset: attachmentChunks.offset, data: attachmentChunks.data })
        .from(attachmentChunks)
        .where(and(eq(attachmentChunks.sha256, sha256), gt(attachmentChunks.offset, offset)))
        .orderBy(asc(attachmentChunks.offset))
        .limit(1);
      if (!chunk) {
        controller.close();
        return;
      }
      offset = chunk.offset;
      controller.enqueue(new Uint8Array(chunk.data));
    },
  });
  return { size: row.size, stream };
}
