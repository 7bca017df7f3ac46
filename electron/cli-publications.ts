import type { Command } from 'commander';

import { AppError } from '../shared/api/errors';
import { REGION_SCOPE, publicationScopeName } from '../shared/domain/publication';
import { CITIES, findCity, findCityByName } from '../shared/domain/regions';

import type { CliIo } from './cli';
import { writeFileAtomically } from './services/atomic-file';
import type { AppContext } from './services/context';
import { exportPublicationExcel, publicationEdition } from './services/publications';

/**
 * `uplift export public`: a published edition of the results list (信息公开) as Excel, the
 * latest or the one asked for, of a city or (without --city) of the region. A city or edition that
 * does not exist, or a scope with nothing published, is reported with exit status 2.
 */
export function addPublicationCommands(
  exportCommand: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  json: (cmd: Command) => boolean,
): void {
  exportCommand
    .command('public')
    .description(
      '导出已发布的绩效分级认定结果公示名单（信息公开）为 Excel：默认导出全区的最新一期，--city 导出某个地级市的',
    )
    .requiredOption('--out <file>', '输出的 .xlsx 文件')
    .option('--city <name>', '地级市名称或代码，例如 银川市 或 6401（不填则为全区名单）')
    .option('--edition <n>', '导出第 n 期（默认最新一期）')
    .action(async (opts: { out: string; city?: string; edition?: string }, cmd: Command) => {
      const scope = opts.city === undefined ? REGION_SCOPE : cityScope(opts.city);
      const edition = opts.edition === undefined ? null : editionNumber(opts.edition);
      const ctx = open(cmd);
      const publication = publicationEdition(ctx, scope, edition);
      const file = await exportPublicationExcel(publication);
      writeFileAtomically(opts.out, file.data);
      if (json(cmd)) {
        io.out(
          JSON.stringify({
            file: opts.out,
            fileName: file.fileName,
            scope,
            edition: publication.edition,
            rows: file.rows,
          }),
        );
      } else {
        io.out(
          `已导出${publicationScopeName(scope)}第${publication.edition}期认定结果公示名单（${file.rows} 条）：${opts.out}`,
        );
      }
    });
}

function cityScope(value: string): string {
  const city = findCityByName(value) ?? findCity(value.trim());
  if (!city) {
    throw new AppError(
      'invalid_input',
      `未知的地级市“${value}”（可选：${CITIES.map((c) => c.name).join('、')}）`,
    );
  }
  return city.code;
}

function editionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError('invalid_input', `期号应为正整数，例如 --edition 2（收到“${value}”）`);
  }
  return n;
}
