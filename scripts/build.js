// Builds what the app runs: the renderer (Vite) into dist/renderer, and the Electron main and
// preload scripts (esbuild) into dist/electron with the migrations beside them.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const stampFile = path.join(root, 'dist', '.build-stamp');

/** Source folders whose changes make the build stale. */
const SOURCES = ['renderer', 'shared', 'electron', 'db', 'vite.config.ts', 'package.json'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p))
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function buildIsStale() {
  if (!fs.existsSync(stampFile)) return true;
  const built = fs.statSync(stampFile).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export async function buildAll({ quiet = false } = {}) {
  await viteBuild({
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: quiet ? 'warn' : 'info',
  });
  const out = path.join(root, 'dist', 'electron');
  fs.mkdirSync(out, { recursive: true });
  await esbuild({
    entryPoints: [path.join(root, 'electron', 'main.ts')],
    outfile: path.join(out, 'main.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    external: ['electron'],
    logLevel: 'warning',
  });
  await esbuild({
    entryPoints: [path.join(root, 'electron', 'preload.ts')],
    outfile: path.join(out, 'preload.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
  fs.cpSync(path.join(root, 'db', 'migrations'), path.join(out, 'migrations'), { recursive: true });
  fs.writeFileSync(stampFile, new Date().toISOString());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
