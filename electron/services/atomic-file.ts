/**
 * Writing a file whole or not at all: the data goes to a temporary file beside the target, which is
 * renamed into place once complete, so a failed write never leaves a partial file (nor its
 * temporary one). Every file the app writes whole goes through `replaceFile`: exports (附件2, PDF),
 * sync bundles, stored attachments, derived photos and the browser host's state.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { AppError } from '../../shared/api/errors';

export interface ReplaceFileOptions {
  /** The new file's permissions, set exactly (whatever the umask); by default the umask decides. */
  mode?: number;
  /** Flush the data to disk before the rename, so that after a crash the file is old or new. */
  fsync?: boolean;
}

/**
 * Writes `data` to `file` through a temporary file in the same folder (hidden, named for the file,
 * this process and a random suffix) renamed over it. On failure the temporary file is removed and
 * the error is thrown as it came.
 */
export function replaceFile(
  file: string,
  data: Buffer | string,
  options: ReplaceFileOptions = {},
): void {
  const temp = path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    const fd = fs.openSync(temp, 'wx', options.mode ?? 0o666);
    try {
      if (options.mode !== undefined) fs.fchmodSync(fd, options.mode);
      fs.writeFileSync(fd, data);
      if (options.fsync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw e;
  }
}

/** `replaceFile` for a file the user named: a failure is `invalid_input` naming the file. */
export function writeFileAtomically(file: string, data: Buffer): void {
  try {
    replaceFile(file, data);
  } catch (e) {
    throw new AppError('invalid_input', `无法写入 ${file}：${(e as Error).message}`);
  }
}
