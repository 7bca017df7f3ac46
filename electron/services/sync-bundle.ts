import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import { PRIVATE_FILE } from '../../db/client';
import { getAttachment } from '../../db/repositories/attachments';
import { ensureDeviceSecret, toSyncOp } from '../../db/repositories/device';
import {
  listUnsentOps,
  noteRelaySecretHash,
  queueRelay,
  setFileTransfer,
} from '../../db/repositories/sync';
import { applyBundleOps, contentProblem, valueTextProblem } from '../../db/sync-apply';
import { AppError } from '../../shared/api/errors';
import { fileStamp } from '../../shared/local-time';
import { MAX_DRIFT_MS } from '../../shared/sync/hlc';
import { OpSchema, PROTOCOL_VERSION, Sha256Schema, type SyncOp } from '../../shared/sync/protocol';
import type { BundleExportSummary, BundleImportSummary } from '../../shared/sync/status';
import { syncFieldName, syncTableName } from '../../shared/sync/wording';
import { textProblem } from '../../shared/text';

import { APP_VERSION } from './app-version';
import { attachmentPath, sha256, storeFile } from './attachments';
import { replaceFile } from './atomic-file';
import type { AppContext } from './context';

/**
 * Sync bundles: the ops a device has not yet delivered to the central store, with the files
 * they use, in one file for a USB stick (DESIGN.md: "the same ops can travel by file").
 *
 * Layout (binary-safe, readable from the top with a text viewer):
 *
 *     UPLIFT-SYNC-BUNDLE 1\n          magic and format version
 *     {header JSON}\n                 format, protocol and app versions, device, time, sizes
 *     <64 hex>\n                      SHA-256 of the header line (with its \n) and the payload
 *     <payload>                       the ops as JSON, then each file's bytes in header order
 *
 * Importing checks everything before it writes anything: the magic, the format (a newer one is
 * refused), the protocol version, the length (a truncated copy), the SHA-256 (a damaged one),
 * that the bundle is not this device's own, every op's shape, that every string in it is
 * well-formed text (shared/text.ts) and every ruleset's content what its id (SHA-256) names, and
 * every file's hash. Then the ops
 * apply as remote changes (last writer wins, conflicts recorded) in one transaction, each op
 * once: importing the same bundle again changes nothing.
 */

/**
 * 2: the header names the SHA-256 of the source device's secret (`deviceSecretHash`), relayed to
 * the store so only that device may claim its id. Bundles of format 1 are still read.
 */
export const BUNDLE_FORMAT_VERSION = 2;
const MAGIC = 'UPLIFT-SYNC-BUNDLE';
export const BUNDLE_EXTENSION = '.uplift-sync';

const MIME_TYPES = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/heic',
  'image/heif',
  'application/pdf',
] as const;

const HeaderSchema = z
  .object({
    format: z.literal('uplift-sync-bundle'),
    formatVersion: z.number().int(),
    protocolVersion: z.number().int(),
    appVersion: z.string().max(50),
    deviceId: z.string().min(1).max(100),
    /** Format 2: SHA-256 (hex) of the source device's secret (db/repositories/device.ts). */
    deviceSecretHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .optional(),
    /** Epoch ms. */
    created: z.number().int(),
    ops: z.number().int().min(0),
    seqFrom: z.number().int().min(0),
    seqTo: z.number().int().min(0),
    opsBytes: z.number().int().min(0),
    attachments: z.array(
      z.object({
        sha256: Sha256Schema,
        size: z.number().int().min(0),
        mimeType: z.enum(MIME_TYPES),
      }),
    ),
    payloadBytes: z.number().int().min(0),
  })
  .strict();

type Header = z.output<typeof HeaderSchema>;

export interface BuiltBundle extends BundleExportSummary {
  fileName: string;
  data: Buffer;
}

/** Files the ops use: attachments rows they write, and the files their evidence uses name. */
function referencedFiles(ops: readonly SyncOp[]): string[] {
  const hashes = new Set<string>();
  for (const op of ops) {
    if (op.table === 'attachments') hashes.add(op.rowId);
    const used = op.values.attachmentId;
    if (op.table === 'attachment_uses' && typeof used === 'string') hashes.add(used);
  }
  return [...hashes].filter((h) => /^[0-9a-f]{64}$/.test(h));
}

/** The bundle of this device's unacknowledged ops, in memory. */
export function buildBundle(ctx: AppContext): BuiltBundle {
  const ops: SyncOp[] = listUnsentOps(ctx.db).map(toSyncOp);
  const opsJson = Buffer.from(JSON.stringify(ops), 'utf8');
  const files: {
    sha256: string;
    size: number;
    mimeType: (typeof MIME_TYPES)[number];
    data: Buffer;
  }[] = [];
  const mimeOf = new Map<string, string>();
  for (const op of ops) {
    if (op.table === 'attachments' && typeof op.values.mimeType === 'string') {
      mimeOf.set(op.rowId, op.values.mimeType);
    }
  }
  for (const hash of referencedFiles(ops)) {
    let data: Buffer;
    try {
      data = fs.readFileSync(attachmentPath(ctx.dataDir, hash));
    } catch {
      continue; // not on this device (the row came from elsewhere): the receiver fetches it later
    }
    if (sha256(data) !== hash) continue;
    const mime = mimeOf.get(hash) ?? getAttachment(ctx.db, hash)?.mimeType;
    if (!mime || !(MIME_TYPES as readonly string[]).includes(mime)) continue;
    files.push({
      sha256: hash,
      size: data.length,
      mimeType: mime as (typeof MIME_TYPES)[number],
      data,
    });
  }
  const payload = Buffer.concat([opsJson, ...files.map((f) => f.data)]);
  const created = ctx.device.now();
  const header: Header = {
    format: 'uplift-sync-bundle',
    formatVersion: BUNDLE_FORMAT_VERSION,
    protocolVersion: PROTOCOL_VERSION,
    appVersion: APP_VERSION,
    deviceId: ctx.device.deviceId,
    deviceSecretHash: sha256(Buffer.from(ensureDeviceSecret(ctx.db), 'utf8')),
    created,
    ops: ops.length,
    seqFrom: ops[0]?.seq ?? 0,
    seqTo: ops.at(-1)?.seq ?? 0,
    opsBytes: opsJson.length,
    attachments: files.map((f) => ({ sha256: f.sha256, size: f.size, mimeType: f.mimeType })),
    payloadBytes: payload.length,
  };
  const headerLine = Buffer.from(`${JSON.stringify(header)}\n`, 'utf8');
  const digest = crypto.createHash('sha256').update(headerLine).update(payload).digest('hex');
  const data = Buffer.concat([
    Buffer.from(`${MAGIC} ${BUNDLE_FORMAT_VERSION}\n`, 'utf8'),
    headerLine,
    Buffer.from(`${digest}\n`, 'utf8'),
    payload,
  ]);
  return {
    fileName: `uplift-${ctx.device.deviceId.slice(-8)}-${fileStamp(created)}${BUNDLE_EXTENSION}`,
    data,
    ops: ops.length,
    attachments: files.length,
    bytes: data.length,
  };
}

/** Writes the bundle to `file` (whole or not at all: a temporary file renamed into place). */
export function exportBundle(ctx: AppContext, file: string): BuiltBundle {
  const bundle = buildBundle(ctx);
  const target = path.resolve(file);
  try {
    // Every unsent name, phone and photo: readable by its owner only.
    replaceFile(target, bundle.data, { mode: PRIVATE_FILE, fsync: true });
  } catch (e) {
    throw new AppError('invalid_input', `无法写入同步包 ${file}：${(e as Error).message}`);
  }
  return bundle;
}

function refuse(name: string, why: string): AppError {
  return new AppError('invalid_input', `同步包“${name}”${why}，未导入任何内容`);
}

interface ParsedBundle {
  header: Header;
  ops: SyncOp[];
  files: { sha256: string; size: number; mimeType: string; data: Buffer }[];
}

/**
 * What makes an op one no device may apply, naming its table and field in Chinese: text that is
 * not well-formed (a lone surrogate, NUL, a control character), or a ruleset whose content is
 * not what its id names. A device never writes either; such a bundle was made by hand.
 */
function opProblem(op: SyncOp): string | null {
  const table = syncTableName(op.table);
  for (const [label, text] of [
    ['设备编号', op.deviceId],
    ['记录编号', op.rowId],
    ['时间戳', op.hlc],
  ] as const) {
    const problem = textProblem(text);
    if (problem) return `${table}的${label}含有无效字符：${problem}`;
  }
  for (const [field, value] of Object.entries(op.values)) {
    const keyProblem = textProblem(field);
    if (keyProblem) return `${table}的字段名含有无效字符：${keyProblem}`;
    const problem = valueTextProblem(op.table, field, value);
    if (problem) return `${table}的“${syncFieldName(op.table, field)}”含有无效字符：${problem}`;
  }
  const forged = contentProblem(op.table, op.rowId, op.values);
  return forged ? `${table}：${forged}` : null;
}

/** Reads and checks a bundle completely; throws a Chinese message naming the problem. */
export function parseBundle(data: Buffer, name: string): ParsedBundle {
  const line = (from: number): { text: string; next: number } | null => {
    const end = data.indexOf(0x0a, from);
    if (end < 0) return null;
    return { text: data.toString('utf8', from, end), next: end + 1 };
  };
  const magic = line(0);
  if (!magic || !magic.text.startsWith(`${MAGIC} `)) {
    throw refuse(name, '不是 Uplift 同步包（文件开头不对）');
  }
  const version = Number(magic.text.slice(MAGIC.length + 1));
  if (!Number.isInteger(version) || version < 1) throw refuse(name, '的格式版本无法识别');
  if (version > BUNDLE_FORMAT_VERSION) {
    throw refuse(
      name,
      `是更新版本的 Uplift 写的（同步包格式第 ${version} 版，本应用只认识到第 ${BUNDLE_FORMAT_VERSION} 版）；请先升级 Uplift`,
    );
  }
  const headerLine = line(magic.next);
  const digestLine = headerLine ? line(headerLine.next) : null;
  if (!headerLine || !digestLine) throw refuse(name, '不完整（可能在复制时被截断）');
  let header: Header;
  try {
    const parsed = HeaderSchema.safeParse(JSON.parse(headerLine.text));
    if (!parsed.success) throw new Error('shape');
    header = parsed.data;
    if (textProblem(header.deviceId) || textProblem(header.appVersion)) throw new Error('text');
  } catch {
    throw refuse(name, '的文件头已损坏');
  }
  if (header.formatVersion > BUNDLE_FORMAT_VERSION) {
    throw refuse(
      name,
      `是更新版本的 Uplift 写的（格式第 ${header.formatVersion} 版）；请先升级 Uplift`,
    );
  }
  if (header.protocolVersion !== PROTOCOL_VERSION) {
    throw refuse(
      name,
      header.protocolVersion > PROTOCOL_VERSION
        ? `使用更新的同步协议（第 ${header.protocolVersion} 版，本应用为第 ${PROTOCOL_VERSION} 版）；请先升级 Uplift`
        : `使用旧的同步协议（第 ${header.protocolVersion} 版）；请在导出它的设备上升级 Uplift 后重新导出`,
    );
  }
  const payload = data.subarray(digestLine.next);
  if (payload.length < header.payloadBytes) {
    throw refuse(
      name,
      `不完整：应有 ${header.payloadBytes} 字节内容，只有 ${payload.length} 字节（可能在复制时被截断）`,
    );
  }
  if (payload.length > header.payloadBytes) throw refuse(name, '末尾有多余的内容（文件已损坏）');
  const digest = crypto
    .createHash('sha256')
    .update(data.subarray(magic.next, headerLine.next))
    .update(payload)
    .digest('hex');
  if (digest !== digestLine.text.trim()) {
    throw refuse(name, '校验失败（SHA-256 与文件头记录的不符），文件已损坏或被改动');
  }
  let opsRaw: unknown;
  try {
    opsRaw = JSON.parse(payload.toString('utf8', 0, header.opsBytes));
  } catch {
    throw refuse(name, '中的修改记录无法读取');
  }
  const ops = z.array(OpSchema).safeParse(opsRaw);
  if (!ops.success || ops.data.length !== header.ops) {
    throw refuse(name, '中的修改记录格式不正确');
  }
  if (ops.data.some((o) => o.deviceId !== header.deviceId)) {
    throw refuse(name, '中混有其他设备的修改记录');
  }
  ops.data.forEach((op, i) => {
    const why = opProblem(op);
    if (why) throw refuse(name, `中第 ${i + 1} 条修改记录（${why}）`);
  });
  const files: ParsedBundle['files'] = [];
  let offset = header.opsBytes;
  for (const a of header.attachments) {
    const bytes = payload.subarray(offset, offset + a.size);
    offset += a.size;
    if (bytes.length !== a.size || sha256(bytes) !== a.sha256) {
      throw refuse(name, `中的附件 ${a.sha256.slice(0, 12)}… 已损坏`);
    }
    files.push({ ...a, data: bytes });
  }
  if (offset !== header.payloadBytes) throw refuse(name, '的内容长度与文件头不符');
  return { header, ops: ops.data, files };
}

/**
 * Imports another device's bundle: checks it whole (see the module comment), stores its files,
 * then applies its ops as remote changes in one transaction.
 */
export function importBundle(ctx: AppContext, data: Buffer, name: string): BundleImportSummary {
  const { header, ops, files } = parseBundle(data, name);
  if (header.deviceId === ctx.device.deviceId) {
    throw refuse(name, '是本机导出的，无需在本机导入；请在另一台设备上导入');
  }
  // Files first (content-addressed: a file without a row harms nothing), then the rows.
  for (const f of files) storeFile(ctx.dataDir, f.data, f.mimeType);
  const now = ctx.device.now();
  const result = applyBundleOps(ctx.db, ctx.device, header.deviceId, ops, now + MAX_DRIFT_MS);
  // Sent on to the central store at this device's next sync, for a source that never connects.
  queueRelay(ctx.db, ops, now);
  if (header.deviceSecretHash)
    noteRelaySecretHash(ctx.db, header.deviceId, header.deviceSecretHash);
  ctx.db.sqlite.transaction(() => {
    for (const f of files) {
      setFileTransfer(
        ctx.db,
        {
          sha256: f.sha256,
          direction: 'down',
          size: f.size,
          doneBytes: f.size,
          status: 'done',
          error: null,
        },
        now,
      );
    }
  })();
  return {
    fromDevice: header.deviceId,
    created: header.created,
    appVersion: header.appVersion,
    ops: ops.length,
    applied: result.applied,
    skipped: result.skipped,
    rows: result.rows,
    conflicts: result.conflicts,
    deferred: result.deferred,
    attachments: files.length,
  };
}

/** Reads a bundle file and imports it. */
export function importBundleFile(ctx: AppContext, file: string): BundleImportSummary {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message;
    throw new AppError('invalid_input', `${file}：${reason}`);
  }
  return importBundle(ctx, data, path.basename(file));
}
