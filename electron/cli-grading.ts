import fs from 'node:fs';
import path from 'node:path';
import { type Command } from 'commander';
import type { Input, Method, RulesetSummary } from '../shared/api/contract';
import { AppError } from '../shared/api/errors';
import {
  formatIssues,
  gradeEnterprise,
  gradeRuleset,
  GradingError,
  validateEnterpriseInput,
  validateFacts,
  type Ruleset,
} from '../shared/grading';
import { replaceFile } from './services/atomic-file';
import { type AppContext } from './services/context';
import {
  formatRulesetExcelProblems,
  RULESET_LIMITS,
  rulesetFromWorkbook,
  rulesetTemplate,
  rulesetToWorkbook,
} from './services/ruleset-excel';
import { readRulesetDir, readRulesetFile, shippedRulesets } from './services/rulesets';
import { fileSizeProblem } from './services/workbook-guard';
import { CliFailure, failure, type CliIo } from './cli-io';
import { DRAFT_MARK } from './services/pdf/document';

/**
 * `uplift grade` and `uplift ruleset …`: grading from files and the ruleset library from the
 * command line, with the file helpers they use (JSON in, bytes out, size limits).
 */
function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw failure({
      code: 'invalid_input',
      message: `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}`,
    });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw failure({
      code: 'invalid_input',
      message: `${file}: 不是有效的 JSON（${(e as Error).message}）`,
    });
  }
}

function asFailure(e: unknown): unknown {
  if (e instanceof AppError) return failure(e.toShape());
  if (e instanceof GradingError) return failure({ code: 'invalid_input', message: e.message });
  return e;
}

function writeOut(file: string, data: Buffer | string): void {
  try {
    replaceFile(file, data);
  } catch (e) {
    throw failure({ code: 'invalid_input', message: `无法写入 ${file}：${(e as Error).message}` });
  }
}

/** A file's bytes; one larger than `maxBytes` is refused before it is read. */
function readFileBuffer(file: string, maxBytes: number): Buffer {
  try {
    const tooBig = fileSizeProblem(fs.statSync(file).size, { fileBytes: maxBytes });
    if (tooBig) throw failure({ code: 'invalid_input', message: `${file}: ${tooBig}` });
    return fs.readFileSync(file);
  } catch (e) {
    if (e instanceof CliFailure) throw e;
    throw failure({
      code: 'invalid_input',
      message: `${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message}`,
    });
  }
}

export function addGradingCommands(
  program: Command,
  io: CliIo,
  open: (cmd: Command) => AppContext,
  call: <M extends Method>(c: AppContext, method: M, input: Input<M>) => Promise<unknown>,
  json: (cmd: Command) => boolean,
): void {
  program
    .command('grade')
    .description(
      '按指标体系评级：--ruleset 与 --facts 评一个工序，--enterprise 评一家企业（输出 JSON）',
    )
    .option('--ruleset <file>', '指标体系 JSON 文件')
    .option('--facts <file>', '事实 JSON 文件（指标编号 → 值）')
    .option('--enterprise <file>', '企业评级输入 JSON 文件（asOf、processes、violations）')
    .option('--rulesets <dir>', '与内置指标体系一并使用的指标体系文件夹（同编号时以此为准）')
    .action(
      (opts: { ruleset?: string; facts?: string; enterprise?: string; rulesets?: string }) => {
        try {
          if (opts.enterprise && !opts.ruleset && !opts.facts) {
            const library = new Map(shippedRulesets().map((e) => [e.ruleset.id, e.ruleset]));
            if (opts.rulesets) for (const r of readRulesetDir(opts.rulesets)) library.set(r.id, r);
            const input = validateEnterpriseInput(readJsonFile(opts.enterprise), (id) =>
              library.get(id),
            );
            if (!input.ok)
              throw failure({
                code: 'invalid_input',
                message: formatIssues(opts.enterprise, input.issues),
              });
            const result = gradeEnterprise(input.value, (id) => library.get(id));
            const drafts = new Set(
              input.value.processes
                .map((p) => p.ruleset)
                .filter((id) => library.get(id)?.status === 'draft'),
            );
            const marked = {
              ...result,
              ...(drafts.size > 0 ? { mark: DRAFT_MARK } : {}),
              processes: result.processes.map((p) =>
                drafts.has(p.ruleset) ? { ...p, mark: DRAFT_MARK } : p,
              ),
            };
            if (drafts.size > 0)
              io.err(`注意：指标体系 ${[...drafts].join('、')} 为草稿，评级结果${DRAFT_MARK}`);
            io.out(JSON.stringify(marked, null, 2));
            return;
          }
          if (!opts.ruleset || !opts.facts || opts.enterprise) {
            throw failure({
              code: 'invalid_input',
              message:
                '请指定 --ruleset 与 --facts（评一个工序），或只指定 --enterprise（评一家企业）',
            });
          }
          const { ruleset } = readRulesetFile(opts.ruleset);
          const facts = validateFacts(ruleset, readJsonFile(opts.facts));
          if (!facts.ok)
            throw failure({
              code: 'invalid_input',
              message: formatIssues(opts.facts, facts.issues),
            });
          const result = gradeRuleset(ruleset, facts.value);
          if (ruleset.status === 'draft')
            io.err(`注意：指标体系 ${ruleset.id} 为草稿，评级结果${DRAFT_MARK}`);
          io.out(
            JSON.stringify(
              ruleset.status === 'draft' ? { ...result, mark: DRAFT_MARK } : result,
              null,
              2,
            ),
          );
        } catch (e) {
          throw asFailure(e);
        }
      },
    );

  const ruleset = program
    .command('ruleset')
    .description('分级指标库：校验、列出、Excel 模板与导入导出');

  ruleset
    .command('validate <file>')
    .description('按数据约定校验一个指标体系 JSON 文件，有效时退出码为 0')
    .action((file: string) => {
      try {
        const { ruleset: r, warnings } = readRulesetFile(file);
        for (const w of warnings) io.err(`警告：${w}`);
        io.out(
          `有效：${r.id}（${r.industry}${r.branch ? ` ${r.branch}` : ''}，${r.edition} 版，${r.indicators.length} 项指标，${r.status === 'draft' ? '草稿' : '已核实'}）`,
        );
      } catch (e) {
        throw asFailure(e);
      }
    });

  ruleset
    .command('list')
    .description('列出数据目录可用的指标体系（内置与已导入）')
    .action(async (_opts: unknown, cmd: Command) => {
      const list = (await call(open(cmd), 'ruleset.list', {})) as RulesetSummary[];
      if (json(cmd)) return io.out(JSON.stringify(list, null, 2));
      for (const r of list) {
        io.out(
          `${r.id}	${r.industry}${r.branch ? ` ${r.branch}` : ''}	${r.edition}	${r.indicatorCount} 项	${r.status === 'draft' ? DRAFT_MARK : '已核实'}	${r.origin === 'shipped' ? '内置' : '导入'}`,
        );
      }
    });

  ruleset
    .command('template')
    .description('写出专家填写用的 Excel 模板（每行一项指标，含数据有效性和示例）')
    .requiredOption('--out <file>', '输出的 .xlsx 文件')
    .action(async (opts: { out: string }) => {
      writeOut(opts.out, await rulesetTemplate());
      io.out(`已写出模板：${opts.out}`);
    });

  ruleset
    .command('import <xlsx>')
    .description('把填好的 Excel 模板转成指标体系 JSON；有任何问题则列出全部问题且不写文件')
    .requiredOption('--out <file>', '输出的 .json 文件')
    .action(async (xlsx: string, opts: { out: string }) => {
      const parsed = await rulesetFromWorkbook(readFileBuffer(xlsx, RULESET_LIMITS.fileBytes));
      if (!parsed.ok) {
        throw failure({
          code: 'invalid_input',
          message: `${xlsx} 有 ${parsed.problems.length} 处问题，未写出文件：\n${formatRulesetExcelProblems(parsed.problems)}`,
        });
      }
      if (parsed.warnings.length > 0)
        io.err(`警告：\n${formatRulesetExcelProblems(parsed.warnings)}`);
      writeOut(opts.out, `${JSON.stringify(parsed.ruleset, null, 2)}\n`);
      io.out(`已写出指标体系：${opts.out}（${parsed.ruleset.indicators.length} 项指标）`);
    });

  ruleset
    .command('export <json>')
    .description('把指标体系 JSON 写成同一格式的 Excel，便于专家核对修改')
    .requiredOption('--out <file>', '输出的 .xlsx 文件')
    .action(async (file: string, opts: { out: string }) => {
      let r: Ruleset;
      try {
        r = readRulesetFile(file).ruleset;
      } catch (e) {
        throw asFailure(e);
      }
      writeOut(opts.out, await rulesetToWorkbook(r));
      io.out(`已写出：${opts.out}`);
    });

  ruleset
    .command('install <file>')
    .description('把指标体系（.json 或填好的 .xlsx）加入数据目录的分级指标库')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const result = (await call(open(cmd), 'ruleset.import', {
        fileName: path.basename(file),
        dataBase64: readFileBuffer(file, RULESET_LIMITS.fileBytes).toString('base64'),
      })) as { summary: RulesetSummary; added: boolean };
      io.out(
        result.added
          ? `已加入：${result.summary.id}（${result.summary.edition} 版）`
          : `已存在相同内容：${result.summary.id}，未改动`,
      );
    });
}
