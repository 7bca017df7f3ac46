import fs from 'node:fs';

import type { Command } from 'commander';

import type { FieldChange, ImportPreview, RegistryFilter } from '../shared/api/contract';
import { AppError } from '../shared/api/errors';
import { findCityByName, findCountyByName } from '../shared/domain/regions';

import type { CliIo } from './cli';
import {
  describeProblem,
  exportAnnex2ToFile,
  findAnnex2Industry,
  importAnnex2,
  previewAnnex2Import,
} from './services/annex2';
import { ANNEX2_LIMITS } from './services/annex2/workbook';
import type { AppContext } from './services/context';
import { fileSizeProblem } from './services/workbook-guard';

/**
 * `uplift export list` and `uplift import`: the 提级扩面 list (附件2) as Excel. Bad input (an unknown
 * city, a file with problems) throws `invalid_input`, which the CLI reports on standard error with
 * exit status 2. Returns the `export` command, for the other exports to join.
 */
export function addRegistryCommands(
  program: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  json: (cmd: Command) => boolean,
): Command {
  const exportCommand = program.command('export').description('导出 Excel 或 PDF');

  exportCommand
    .command('list')
    .description('导出附件2 重点行业绩效分级“提级扩面”企业清单（每家企业每个行业一行）')
    .requiredOption('--out <file>', '输出的 .xlsx 文件')
    .option('--city <name>', '地级市，例如 银川市')
    .option('--county <name>', '县（市、区），例如 兴庆区')
    .option('--industry <name>', '重点行业类型（名称或代码），只导出该行业的行')
    .option('--search <text>', '名称、信用代码或地址中的任意部分')
    .option('--current-grade <grade>', '只导出绩效现状为此等级的行')
    .option('--target-grade <grade>', '只导出绩效提升目标为此等级的行')
    .action(
      async (
        opts: {
          out: string;
          city?: string;
          county?: string;
          industry?: string;
          search?: string;
          currentGrade?: string;
          targetGrade?: string;
        },
        cmd: Command,
      ) => {
        const ctx = open(cmd);
        const filter: RegistryFilter = { ...regionFilter(opts.city, opts.county) };
        if (opts.industry !== undefined) {
          const industry = findAnnex2Industry(ctx.catalog, opts.industry);
          if (!industry) {
            throw new AppError('invalid_input', `未知的重点行业类型“${opts.industry}”`);
          }
          filter.industryCode = industry.code;
        }
        if (opts.search) filter.text = opts.search;
        if (opts.currentGrade) filter.currentGrade = opts.currentGrade;
        if (opts.targetGrade) filter.targetGrade = opts.targetGrade;
        const result = await exportAnnex2ToFile(ctx, filter, opts.out);
        if (json(cmd)) {
          io.out(
            JSON.stringify({ file: opts.out, rows: result.rows, enterprises: result.enterprises }),
          );
        } else {
          io.out(`已导出 ${result.enterprises} 家企业（${result.rows} 行）：${opts.out}`);
        }
      },
    );

  program
    .command('import <xlsx>')
    .description(
      '导入附件2“提级扩面”企业清单：先全部校验，有任何问题则列出全部问题且不导入；同一文件再次导入不作修改',
    )
    .option('--dry-run', '只显示将新增和修改的内容，不写入')
    .action(async (file: string, opts: { dryRun?: boolean }, cmd: Command) => {
      const data = readInput(file);
      const ctx = open(cmd);
      let preview: ImportPreview;
      try {
        preview = opts.dryRun
          ? await previewAnnex2Import(ctx, data)
          : await importAnnex2(ctx, data);
      } catch (e) {
        if (e instanceof AppError && e.code === 'invalid_input' && e.issues) {
          throw refused(
            file,
            e.issues.length,
            e.issues.map((i) => i.message),
          );
        }
        throw e;
      }
      if (preview.problems.length > 0) {
        throw refused(file, preview.problems.length, preview.problems.map(describeProblem));
      }
      if (json(cmd)) {
        io.out(JSON.stringify({ ...preview, dryRun: opts.dryRun === true }, null, 2));
        return;
      }
      for (const line of formatPreview(preview, opts.dryRun === true)) io.out(line);
    });
  return exportCommand;
}

function refused(file: string, count: number, lines: string[]): AppError {
  return new AppError(
    'invalid_input',
    `${file} 有 ${count} 处问题，未导入任何内容：\n${lines.join('\n')}`,
  );
}

/** The list's bytes; a file past ANNEX2_LIMITS' size is refused before it is read. */
function readInput(file: string): Buffer {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message;
    throw new AppError('invalid_input', `${file}: ${reason}`);
  }
  const tooBig = fileSizeProblem(size, ANNEX2_LIMITS);
  if (tooBig) throw new AppError('invalid_input', `${file}: ${tooBig}`);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message;
    throw new AppError('invalid_input', `${file}: ${reason}`);
  }
}

function regionFilter(city: string | undefined, county: string | undefined): RegistryFilter {
  if (city === undefined) {
    if (county !== undefined)
      throw new AppError('invalid_input', '指定 --county 时请同时指定 --city');
    return {};
  }
  const c = findCityByName(city);
  if (!c) {
    throw new AppError(
      'invalid_input',
      `未知的地级市“${city}”（可选：银川市、石嘴山市、吴忠市、固原市、中卫市、宁东能源化工基地）`,
    );
  }
  if (county === undefined || county === '') return { cityCode: c.code };
  const k = findCountyByName(c.code, county);
  if (!k) throw new AppError('invalid_input', `县（市、区）“${county}”不属于${c.name}`);
  return { cityCode: c.code, countyCode: k.code };
}

function show(v: string | null): string {
  return v === null ? '（空）' : v.length > 30 ? `${v.slice(0, 30)}…` : v;
}

function describeChanges(changes: readonly FieldChange[]): string {
  return changes.map((c) => `${c.field} ${show(c.from)} → ${show(c.to)}`).join('；');
}

/** The preview as lines: the counts, then every change as field from → to. */
export function formatPreview(preview: ImportPreview, dryRun: boolean): string[] {
  const counts = `新增企业 ${preview.enterprisesAdded} 家、行业或工序 ${preview.processesAdded} 个，修改 ${preview.changed.length} 处，未变 ${preview.unchanged} 行（共读取 ${preview.rows} 行）`;
  const lines = [dryRun ? `试运行，未写入。导入将${counts}` : `已导入：${counts}`];
  if (preview.changed.length > 0) {
    lines.push(dryRun ? '将修改：' : '已修改：');
    for (const c of preview.changed) {
      lines.push(
        `  第 ${c.row} 行 ${c.enterprise}${c.industry ? ` ${c.industry}` : ''}：${describeChanges(c.changes)}`,
      );
    }
  }
  return lines;
}
