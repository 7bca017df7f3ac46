import { AppError } from '../../../shared/api/errors';
import { safeFileName } from '../../../shared/file-name';
import {
  rulesetFromWorkbook,
  rulesetTemplate,
  rulesetToWorkbook,
} from '../../services/ruleset-excel';
import { previewRuleset } from '../../services/ruleset-preview';
import { importRuleset, requireRuleset, rulesetLibrary, summarize } from '../../services/rulesets';
import type { HandlerGroup } from '../types';

const XLSX = /\.xlsx$/i;
const JSON_FILE = /\.json$/i;

/**
 * A picked ruleset file read to what the contract checks: a workbook in the template's layout
 * (every problem located, or nothing) or a ruleset JSON. Preview and import read it the same way.
 */
async function readUpload(input: {
  fileName: string;
  dataBase64: string;
}): Promise<{ raw: unknown; warnings: string[] }> {
  const fileName = safeFileName(input.fileName);
  const data = Buffer.from(input.dataBase64, 'base64');
  if (XLSX.test(fileName)) {
    const parsed = await rulesetFromWorkbook(data);
    if (!parsed.ok) {
      const issues = parsed.problems.map((p) => ({
        path: [
          p.sheet && `「${p.sheet}」`,
          p.row === null ? '' : `第 ${p.row} 行`,
          p.column === null ? '' : ` ${p.column} 列`,
        ].join(''),
        message: p.message,
      }));
      throw new AppError('invalid_input', `${fileName} 有 ${issues.length} 处问题，未导入`, issues);
    }
    return { raw: parsed.ruleset, warnings: parsed.warnings.map((w) => `${w.path}：${w.message}`) };
  }
  if (JSON_FILE.test(fileName)) {
    try {
      return { raw: JSON.parse(data.toString('utf8')) as unknown, warnings: [] };
    } catch (e) {
      throw new AppError('invalid_input', `${fileName} 不是有效的 JSON：${(e as Error).message}`);
    }
  }
  throw new AppError('invalid_input', `只能导入 .xlsx 或 .json 文件，“${fileName}”不是`);
}

export const rulesetHandlers = {
  'catalog.get': (_input, ctx) => ctx.catalog,
  'ruleset.list': (_input, ctx) => rulesetLibrary(ctx).map(summarize),
  'ruleset.get': ({ id, edition }, ctx) => {
    const entry = requireRuleset(ctx, id, edition);
    return { summary: summarize(entry), ruleset: entry.ruleset };
  },
  'ruleset.preview': async (input, ctx) => {
    const { raw, warnings } = await readUpload(input);
    return previewRuleset(ctx, raw, warnings);
  },
  'ruleset.import': async (input, ctx) => {
    const { raw } = await readUpload(input);
    const { entry, added } = importRuleset(ctx, raw);
    return { summary: summarize(entry), added };
  },
  'ruleset.export': async ({ id, edition, format }, ctx) => {
    const { ruleset } = requireRuleset(ctx, id, edition);
    const base = `${ruleset.id}-${ruleset.edition}`;
    if (format === 'json') {
      return {
        fileName: `${base}.json`,
        dataBase64: Buffer.from(`${JSON.stringify(ruleset, null, 2)}\n`).toString('base64'),
      };
    }
    return {
      fileName: `${base}.xlsx`,
      dataBase64: (await rulesetToWorkbook(ruleset)).toString('base64'),
    };
  },
  'ruleset.template': async () => ({
    fileName: '分级指标模板.xlsx',
    dataBase64: (await rulesetTemplate()).toString('base64'),
  }),
} satisfies HandlerGroup;
