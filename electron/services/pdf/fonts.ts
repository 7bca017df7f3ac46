import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { AppError } from '../../../shared/api/errors';

import { PROJECT_ROOT, resourcesDir } from '../paths';

/**
 * The CJK font every Uplift PDF embeds: Noto Sans S Chinese (思源黑体, OFL-1.1), Regular and Bold,
 * from the npm package @embedpdf/fonts-sc. pdfkit embeds only the glyphs a document uses, so a
 * PDF stays small although each file is about 8.5 MB.
 */

/** The two files, as named in the package (and wherever they are copied). */
export const CJK_FONT_FILES = {
  regular: 'NotoSansHans-Regular.otf',
  bold: 'NotoSansHans-Bold.otf',
} as const;

/** Paths of the two weights found. */
export interface CjkFonts {
  regular: string;
  bold: string;
}

/**
 * The package's fonts/ folder. Its `exports` map hides package.json and fonts/, so resolve the
 * main entry (dist/index.cjs) and go up one level; null when the package is not installed (a
 * packaged app may leave it out and ship the two files in its resources instead).
 */
export function packageFontDir(): string | null {
  try {
    const entry = createRequire(import.meta.url).resolve('@embedpdf/fonts-sc');
    return path.join(path.dirname(entry), '..', 'fonts');
  } catch {
    return null;
  }
}

/**
 * Where to look, in order: UPLIFT_FONTS_DIR; resources/fonts (where a packaged app ships them);
 * the npm package; dist/fonts (copied there by `npm run build`).
 */
export function fontDirCandidates(
  env: NodeJS.ProcessEnv = process.env,
  packageDir: string | null = packageFontDir(),
): string[] {
  const dirs: string[] = [];
  if (env.UPLIFT_FONTS_DIR) dirs.push(path.resolve(env.UPLIFT_FONTS_DIR));
  dirs.push(path.join(resourcesDir(env), 'fonts'));
  if (packageDir) dirs.push(packageDir);
  dirs.push(path.join(PROJECT_ROOT, 'dist', 'fonts'));
  return dirs;
}

/** The first folder (of `dirs`) holding both weights; a clear failure (exit status 1) if none does. */
export function findCjkFonts(
  env: NodeJS.ProcessEnv = process.env,
  dirs: readonly string[] = fontDirCandidates(env),
): CjkFonts {
  for (const dir of dirs) {
    const regular = path.join(dir, CJK_FONT_FILES.regular);
    const bold = path.join(dir, CJK_FONT_FILES.bold);
    if (fs.existsSync(regular) && fs.existsSync(bold)) return { regular, bold };
  }
  throw new AppError(
    'internal',
    `找不到生成 PDF 所需的中文字体 ${CJK_FONT_FILES.regular} 与 ${CJK_FONT_FILES.bold}（已查找：${dirs.join('；')}）。请重新安装 Uplift，或在开发环境中运行 npm install`,
  );
}
