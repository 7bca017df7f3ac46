/**
 * Writing a file whole or not at all: the data goes to a temporary file beside the target, which is
 * renamed into place once complete, so a failed write never leaves a partial file (nor its
 * temporary one).
 */
import fs from 'node:fs';
import path from 'node:path';

import { AppError } from '../../shared/api/errors';

export function writeFileAtomically(file: string, data: Buffer): void {
  const temp = path.join(
    path.dirname(path.resolve(file)),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    fs.writeFileSync(temp, data);
    fs.renameSync(temp, file);
  } catch (e) {
    fs.rmSync(temp, { force: true });
    throw new AppError('invalid_input', `无法写入 ${file}：${(e as Error).message}`);
  }
}
