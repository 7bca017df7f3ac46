import type { Command } from 'commander';

import type { CliIo } from './cli';
import { writeFileAtomically } from './services/annex2';
import type { AppContext } from './services/context';
import { exportVisitPdf } from './services/pdf/visit-record';

/**
 * `uplift export visit`: the PDFs a team hands over. An unknown visit is `not_found`, which the
 * CLI reports on standard error with exit status 2; a file that cannot be written is
 * `invalid_input` (also 2).
 */
export function addDocumentCommands(
  exportCommand: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  json: (cmd: Command) => boolean,
): void {
  exportCommand
    .command('visit <id>')
    .description(
      '导出一次现场检查的现场帮扶记录 PDF（成员、各工序评级、指标结果、差距、照片与签字栏）',
    )
    .requiredOption('--out <file>', '输出的 .pdf 文件')
    .action(async (id: string, opts: { out: string }, cmd: Command) => {
      const ctx = open(cmd);
      const pdf = await exportVisitPdf(ctx, id);
      writeFileAtomically(opts.out, pdf.bytes);
      if (json(cmd)) {
        io.out(
          JSON.stringify({
            file: opts.out,
            fileName: pdf.fileName,
            pages: pdf.pages,
            bytes: pdf.bytes.length,
          }),
        );
      } else {
        io.out(`已导出现场帮扶记录（${pdf.pages} 页）：${opts.out}`);
      }
    });
}
