import crypto from 'node:crypto';

import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';

import {
  CHUNK_BYTES_MAX,
  REGION_SCOPE,
  type MissingResponse,
  type UploadResponse,
} from '../../shared/sync/protocol';
import type { AuthUser } from '../auth/tokens';
import { attachmentChunks, attachments, rows } from '../db/schema';
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
 * Protocol (the routes live in server/http/app.ts):
 * - POST /sync/attachments/missing {hashes} → the hashes not held whole, with bytes received;
 * - PUT /sync/attachments/<sha256>?offset=N&size=TOTAL, body = the next ≤ 1 MB of the file;
 *   N must equal the bytes received so far (else 409 with `received`); when the last byte
 *   arrives the SHA-256 is checked, and a mismatch discards the upload (422);
 * - GET /sync/attachments/<sha256> → the file, to a user who may see a row that uses it.
 */

export const SHA256_HEX = /^[0-9a-f]{64}$/;
/** The largest file the store accepts (evidence photos and scans stay far below). */
export const ATTACHMENT_BYTES_MAX = 200 * 1024 * 1024;

export async function missingAttachments(
  db: ServerDb,
  hashes: readonly string[],
): Promise<MissingResponse> {
  const unique = [...new Set(hashes)];
  const held =
    unique.length === 0
      ? []
      : await db
          .select({
            sha256: attachments.sha256,
            received: attachments.received,
            complete: attachments.complete,
          })
          .from(attachments)
          .where(inArray(attachments.sha256, unique));
  const bySha = new Map(held.map((a) => [a.sha256, a]));
  return {
    missing: unique
      .filter((h) => bySha.get(h)?.complete !== true)
      .map((h) => ({ sha256: h, received: bySha.get(h)?.received ?? 0 })),
  };
}

async function sha256Of(tx: ServerDb, sha: string): Promise<string> {
  const hash = crypto.createHash('sha256');
  let offset = -1;
  for (;;) {
    const [chunk] = await tx
      .select({ offset: attachmentChunks.offset, data: attachmentChunks.data })
      .from(attachmentChunks)
      .where(and(eq(attachmentChunks.sha256, sha), gt(attachmentChunks.offset, offset)))
      .orderBy(asc(attachmentChunks.offset))
      .limit(1);
    if (!chunk) return hash.digest('hex');
    hash.update(chunk.data);
    offset = chunk.offset;
  }
}

/** Appends one chunk at `offset`; verifies the whole file when it is complete. */
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
  const result = await db.transaction(async (txDb) => {
    const tx = txDb as unknown as ServerDb;
    await tx
      .insert(attachments)
      .values({ sha256, size, uploadedBy: user.id, createdAt: new Date(now) })
      .onConflictDoNothing();
    const [row] = await tx
      .select()
      .from(attachments)
      .where(eq(attachments.sha256, sha256))
      .for('update');
    if (!row) throw new Error(`attachment ${sha256} vanished`);
    if (row.complete) return { sha256, received: row.size, complete: true };
    let received = row.received;
    if (row.size !== size) {
      if (offset !== 0) {
        throw new SyncFailure(
          'conflict',
          `文件大小与之前上传的不一致（之前为 ${row.size} 字节）；请从头上传`,
          { received: 0 },
        );
      }
      // A new start with another size: the earlier partial upload is dropped.
      await tx.delete(attachmentChunks).where(eq(attachmentChunks.sha256, sha256));
      await tx
        .update(attachments)
        .set({ size, received: 0, uploadedBy: user.id })
        .where(eq(attachments.sha256, sha256));
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
      await tx.insert(attachmentChunks).values({ sha256, offset, data });
    }
    received += data.length;
    if (received < size) {
      await tx.update(attachments).set({ received }).where(eq(attachments.sha256, sha256));
      return { sha256, received, complete: false };
    }
    if ((await sha256Of(tx, sha256)) !== sha256) {
      await tx.delete(attachments).where(eq(attachments.sha256, sha256));
      return null;
    }
    await tx
      .update(attachments)
      .set({ received, complete: true, completedAt: new Date(now) })
      .where(eq(attachments.sha256, sha256));
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

/**
 * Whether this user may download the file: a region account always; a city account when a row of
 * its city uses the file (attachment_uses), or when it uploaded the file itself.
 */
async function mayDownload(db: ServerDb, user: AuthUser, sha256: string, uploadedBy: string) {
  if (user.scope === REGION_SCOPE || uploadedBy === user.id) return true;
  const [use] = await db
    .select({ rowId: rows.rowId })
    .from(rows)
    .where(
      and(
        eq(rows.tableName, 'attachment_uses'),
        sql`(${rows.values} ->> 'attachmentId') = ${sha256}`,
        eq(rows.cityCode, user.scope),
      ),
    )
    .limit(1);
  return use !== undefined;
}

export interface Download {
  size: number;
  stream: ReadableStream<Uint8Array>;
}

/** A complete file the user may see, streamed chunk by chunk. */
export async function downloadAttachment(
  db: ServerDb,
  user: AuthUser,
  sha256: string,
): Promise<Download> {
  const [row] = await db.select().from(attachments).where(eq(attachments.sha256, sha256));
  if (!row?.complete) throw new SyncFailure('not_found', '中心库没有这个文件');
  if (!(await mayDownload(db, user, sha256, row.uploadedBy))) {
    throw new SyncFailure('forbidden', '无权下载这个文件：它不属于账号范围内的记录');
  }
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
