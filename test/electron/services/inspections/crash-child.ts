/**
 * The child of the crash test (inspections/crash.test.ts): opens the data file, then autosaves
 * answers of one draft visit as fast as it can, forever, writing `<n>\n` to stdout after save n
 * has committed. The parent kills it with SIGKILL at some point mid-stream.
 *
 * Usage: node --import tsx crash-child.ts DB_FILE INSPECTION_ID PROCESS_ID START
 */
import fs from 'node:fs';
import path from 'node:path';

import { openAppContext } from '../../../../electron/services/context';
import { saveAnswer } from '../../../../electron/services/inspections';
import { FIXTURE_RESOURCES } from '../../../helpers/context';
import { NOX, TRUCKS } from '../../../helpers/inspections';

const [dbFile, inspectionId, processId, start] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
];
const ctx = openAppContext({
  dataDir: path.dirname(dbFile),
  databaseFile: dbFile,
  mode: 'cli',
  resourcesDir: FIXTURE_RESOURCES,
});
fs.writeSync(1, 'ready\n');
for (let n = Number(start); ; n++) {
  saveAnswer(ctx, {
    inspectionId,
    processId,
    indicatorId: n % 2 === 0 ? NOX : TRUCKS,
    // The clean-truck share is a %, which must stay within 0–100.
    fact: n % 2 === 0 ? n : n / 1000,
    note: `save ${n}`,
  });
  // Synchronous, so the line leaves only after the save's transaction committed.
  fs.writeSync(1, `${n}\n`);
}
