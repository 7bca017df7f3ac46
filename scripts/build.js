// Builds what the app runs: the renderer (Vite) into dist/renderer, the Electron main and
// preload scripts (esbuild) into dist/electron with the migrations beside them, and the PDF
// fonts into dist/fonts.
import fs from 'node:fs';
import { createRequire } from 'node:module';
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

/** The two weights every PDF embeds (see electron/services/pdf/fonts.ts). */
const PDF_FONTS = ['NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'];

/**
 * Copies the PDF fonts, with their licence (OFL-1.1), out of @embedpdf/fonts-sc into `dir`, so a
 * packaged app can ship them (17 MB) without the package's other three weights. The package's
 * `exports` map hides fonts/, so resolve its main entry and go up from dist/.
 */
export function copyPdfFonts(dir = path.join(root, 'dist', 'fonts')) {
  const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
  const pkg = path.join(path.dirname(entry), '..');
  fs.mkdirSync(dir, { recursive: true });
  for (const file of PDF_FONTS) {
    const from = path.join(pkg, 'fonts', file);
    const to = path.join(dir, file);
    if (!fs.existsSync(to) || fs.statSync(to).size !== fs.statSync(from).size) {
      fs.copyFileSync(from, to);
    }
  }
  fs.copyFileSync(path.join(pkg, 'LICENSE'), path.join(dir, 'OFL.txt'));
  return dir;
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
  copyPdfFonts();
  fs.writeFileSync(stampFile, new Date().toISOString());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
