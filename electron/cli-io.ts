import type { ApiErrorShape } from '../shared/api/errors';

/** What every command of the command line shares: where it writes, and the failures it reports with their exit status. */
/**
 * `uplift`: the app's services from the command line. Output that is data is printed as JSON
 * with --json. Exit status: 0 success, 2 bad input (the reason on standard error), 1 a failure
 * of ours.
 */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

export const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
};

/** A failure whose message is for the user; exit status 2 for bad input, 1 otherwise. */
export class CliFailure extends Error {
  constructor(
    readonly error: ApiErrorShape,
    readonly exitCode: number,
  ) {
    super(error.message);
  }
}

export const INPUT_CODES = new Set([
  'invalid_input',
  'conflict',
  'not_found',
  'unknown_method',
  'cancelled',
]);

export function failure(error: ApiErrorShape): CliFailure {
  return new CliFailure(error, INPUT_CODES.has(error.code) ? 2 : 1);
}
