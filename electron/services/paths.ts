import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const APP_DIR_NAME = 'Uplift';

/**
 * The usual per-user application-data folder, the same one Electron's `userData` names:
 * %APPDATA%\Uplift, ~/Library/Application Support/Uplift, or $XDG_CONFIG_HOME/Uplift.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(os.homedir(), 'AppData', 'Roaming'), APP_DIR_NAME);
  }
  if (platform === 'darwin') {
    return path.join(os.homedir(), 'Library', 'Application Support', APP_DIR_NAME);
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), APP_DIR_NAME);
}

/** `--data-dir`, else UPLIFT_DATA_DIR, else the per-user folder. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = flag ?? env.UPLIFT_DATA_DIR;
  return path.resolve(chosen && chosen.trim() !== '' ? chosen : defaultDataDir(env));
}

export function databaseFile(dataDir: string): string {
  return path.join(dataDir, 'uplift.db');
}

/**
 * The project root: two levels above this file, both for the sources run by tsx
 * (electron/services/) and for the bundled main process (dist/electron/).
 */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reference data shipped with the app: rulesets, the industry catalogue. */
export function resourcesDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.UPLIFT_RESOURCES_DIR ?? path.join(PROJECT_ROOT, 'resources');
}
