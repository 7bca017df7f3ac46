import type { Command } from 'commander';

import { AppError } from '../shared/api/errors';
import { cityName, countyName } from '../shared/domain/regions';

import type { CliIo } from './cli';
import { writeFileAtomically } from './services/atomic-file';
import type { AppContext } from './services/context';
import { findEnterprisesByKey } from './services/enterprises';
import { exportPlanPdf } from './services/pdf/plan';
import { exportVisitPdf } from './services/pdf/visit-record';
import { findInspectionsByNumber, findPlansByNumber } from './services/record-numbers';

/**
 * `uplift export visit` and `uplift export plan`: the PDFs a team hands over. An unknown visit,
 * enterprise or plan is `not_found`, and an enterprise name that several enterprises bear is
 * `invalid_input`: the CLI reports them on standard error with exit status 2; so is a file that
 * cannot be written (`invalid_input`).
 */
export function addDocumentCommands(
  exportCommand: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  json: (cmd: Command) => boolean,
): void {
  /** Writes the PDF to `out` and says so: its file, name, pages and size as JSON, or a line. */
  function writePdf(
    cmd: Command,
    out: string,
    pdf: { bytes: Buffer; fileName: string; pages: number },
    exported: string,
  ): void {
    writeFileAtomically(out, pdf.bytes);
    if (json(cmd)) {
      io.out(
        JSON.stringify({
          file: out,
          fileName: pdf.fileName,
          pages: pdf.pages,
          bytes: pdf.bytes.length,
        }),
      );
    } else {
      io.out(`${exported}（${pdf.pages} 页）：${out}`);
    }
  }

  exportCommand
    .command('visit <编号>')
    .description(
      '导出一次现场检查的现场帮扶记录 PDF（成员、各工序评级、指标结果、差距、照片与签字栏）；' +
        '<编号> 为记录编号（如 银川-2026-0012-K7Q3）或记录的内部 id',
    )
    .requiredOption('--out <file>', '输出的 .pdf 文件')
    .action(async (ref: string, opts: { out: string }, cmd: Command) => {
      const ctx = open(cmd);
      const pdf = await exportVisitPdf(ctx, oneVisit(ctx, ref));
      writePdf(cmd, opts.out, pdf, '已导出现场帮扶记录');
    });

  exportCommand
    .command('plan')
    .description(
      '导出企业的一企一策提升方案 PDF（现状、差异化指标、整改措施、进度、提级红利、环保税估算与签字栏）',
    )
    .option('--enterprise <企业>', '统一社会信用代码或企业全称')
    .option('--number <编号>', '方案的记录编号（如 银川-2026-0013-K7Q3），可代替 --enterprise')
    .requiredOption('--out <file>', '输出的 .pdf 文件')
    // --version <n> (the plan's version; the current one without it) is the program's own
    // option, which commander parses wherever it appears (see cli.ts).
    .addHelpText('after', '\n另可加 --version <n>：导出方案的第 n 版（默认导出当前版本）')
    .action(async (opts: { enterprise?: string; number?: string; out: string }, cmd: Command) => {
      const asked = cmd.optsWithGlobals<{ version?: string | boolean }>().version;
      const version = typeof asked === 'string' ? versionNumber(asked) : undefined;
      if ((opts.enterprise === undefined) === (opts.number === undefined)) {
        throw new AppError(
          'invalid_input',
          '请给出 --enterprise <统一社会信用代码或企业全称> 或 --number <方案编号>（二者选一）',
        );
      }
      const ctx = open(cmd);
      const ref =
        opts.number !== undefined
          ? { id: onePlan(ctx, opts.number) }
          : { enterpriseId: oneEnterprise(ctx, opts.enterprise as string).id };
      const pdf = await exportPlanPdf(ctx, {
        ...ref,
        ...(version !== undefined ? { version } : {}),
      });
      writePdf(cmd, opts.out, pdf, '已导出一企一策提升方案');
    });
}

function versionNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new AppError('invalid_input', `方案版本号应为正整数，例如 --version 2（收到“${value}”）`);
  }
  return n;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The visit a record number (or an id) names; not_found, or invalid_input if several bear it. */
function oneVisit(ctx: AppContext, ref: string): string {
  if (UUID.test(ref.trim())) return ref.trim();
  return oneByNumber(findInspectionsByNumber(ctx.db, ref), ref, '检查记录');
}

/** The plan a record number names; not_found, or invalid_input if several bear it. */
function onePlan(ctx: AppContext, number: string): string {
  return oneByNumber(findPlansByNumber(ctx.db, number), number, '一企一策提升方案');
}

function oneByNumber(ids: readonly string[], number: string, what: string): string {
  const [first] = ids;
  if (!first) {
    throw new AppError(
      'not_found',
      `未找到编号为“${number.trim()}”的${what}（编号形如 银川-2026-0012-K7Q3；未同步到本机的记录也找不到）`,
    );
  }
  if (ids.length > 1) {
    throw new AppError(
      'invalid_input',
      `有 ${ids.length} 条${what}的编号都是“${number.trim()}”，请改用内部 id：${ids.join('、')}`,
    );
  }
  return first;
}

/** The one enterprise a credit code or full name means; not_found or invalid_input otherwise. */
function oneEnterprise(ctx: AppContext, key: string): { id: string; name: string } {
  const found = findEnterprisesByKey(ctx, key);
  const [first] = found;
  if (!first) {
    throw new AppError(
      'not_found',
      `未找到企业“${key.trim()}”（请给出统一社会信用代码或企业全称）`,
    );
  }
  if (found.length > 1) {
    const where = found
      .map(
        (e) =>
          `${cityName(e.cityCode)}${countyName(e.cityCode, e.countyCode)}（${e.creditCode ? `信用代码 ${e.creditCode}` : '无信用代码'}）`,
      )
      .join('、');
    throw new AppError(
      'invalid_input',
      `有 ${found.length} 家企业名为“${first.name}”：${where}；请改用统一社会信用代码`,
    );
  }
  return first;
}
