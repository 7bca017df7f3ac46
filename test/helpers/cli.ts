import { runCli, type CliIo } from '../../electron/cli';

/** Runs `uplift <args>` in process, as a person at a terminal would, and keeps what it printed. */
export async function runUplift(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env };
  const code = await runCli(args, io);
  return { code, out, err };
}
