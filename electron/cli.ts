import fs from 'node:fs';
import path from 'node:path';

import { Command, CommanderError, InvalidArgumentError } from 'commander';

import type { Input, Method, RulesetSummary } from '../shared/api/contract';
import type { ApiErrorShape } from '../shared/api/errors';
import { AppError } from '../shared/api/errors';
import type { Enterprise, EnterprisePage } from '../shared/domain/enterprise';
import { cityName, countyName, findCityByName, findCountyByName } from '../shared/domain/regions';
import {
  formatIssues,
  gradeEnterprise,
  gradeRuleset,
  GradingError,
  validateEnterpriseInput,
  validateFacts,
  type Ruleset,
} from '../shared/grading';

import { DatabaseOpenError } from '../db/client';

import { dispatch, toErrorShape } from './api';
import { addDocumentCommands } from './cli-documents';
import { addRegistryCommands } from './cli-registry';
import { addServerCommands } from './cli-server';
import { addSyncCommands } from './cli-sync';
import { portFromEnv, runBrowserMode } from './host/run';
import { APP_VERSION } from './services/app-version';
import { closeAppContext, openAppContext, type AppContext } from './services/context';
import { fillDemo } from './services/demo';
import { resolveDataDir } from './services/paths';
import {
  formatRulesetExcelProblems,
  RULESET_LIMITS,
  rulesetFromWorkbook,
  rulesetTemplate,
  rulesetToWorkbook,
} from './services/ruleset-excel';
import { readRulesetDir, readRulesetFile, shippedRulesets } from './services/rulesets';
import { fileSizeProblem } from './services/workbook-guard';

/**
 * `uplift`: the app's services from the command line. Output that is data is printed as JSON
 * with --json. Exit status: 0 success, 2 bad input (the reason on standard error), 1 a failure
 * of ours.
 */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  env: process.env,
};

/** A failure whose message is for the user; exit status 2 for bad input, 1 otherwise. */
class CliFailure extends Error {
  constructor(
    readonly error: ApiErrorShape,
    readonly exitCode: number,
  ) {
    super(error.message);
  }
}

const INPUT_CODES = new Set([
  'invalid_input',
  'conflict',
  'not_found',
  'unknown_method',
  'cancelled',
]);

function failure(error: ApiErrorShape): CliFailure {
  return new CliFailure(error, INPUT_CODES.has(error.code) ? 2 : 1);
}

function positiveInt(label: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new InvalidArgumentError(`${label}应为 0 到 ${max} 之间的整数`);
    }
    return n;
  };
}

/** City and county by the names people write; unknown names reach the schema's own message. */
function regionCodes(city: string | undefined, county: string | undefined) {
  if (city === undefined) return { cityCode: undefined, countyCode: undefined };
  const c = findCityByName(city);
  if (!c)
    throw failure({
      code: 'invalid_input',
      message: `未知的地级市“${city}”（可选：银川市、石嘴山市、吴忠市、固原市、中卫市、宁东能源化工基地）`,
    });
  const k =
    county === undefined || county === ''
      ? null
      : (findCountyByName(c.code, county)?.code ?? county);
  return { cityCode: c.code, countyCode: k };
}

function describe(e: Enterprise): string {
  const region = `${cityName(e.cityCode)}${countyName(e.cityCode, e.countyCode)}`;
  return `${e.name}\t${e.creditCode ?? '（无信用代码）'}\t${region}\t${e.id}`;
}

export function buildProgram(io: CliIo, onContext: (ctx: AppContext) => void): Command {
  const program = new Command();
  let ctx: AppContext | null = null;
  const open = (cmd: Command, mode: 'cli' | 'browser' = 'cli'): AppContext => {
    const opts = cmd.optsWithGlobals<{ dataDir?: string }>();
    ctx = openAppContext({ dataDir: resolveDataDir(opts.dataDir, io.env), mode });
    onContext(ctx);
    return ctx;
  };
  const call = async <M extends Method>(
    c: AppContext,
    method: M,
    input: Input<M>,
  ): Promise<unknown> => {
    const result = await dispatch(c, method, input);
    if (!result.ok) throw failure(result.error);
    return result.value;
  };
  const json = (cmd: Command) => cmd.optsWithGlobals<{ json?: boolean }>().json === true;

  program
    .name('uplift')
    .description('Uplift 环保绩效提级帮扶助手 — 命令行工具')
    // Not commander's .version(): a program option is parsed wherever it appears, so that would
    // take `export plan --version 2` for itself. Alone, --version prints the app's version; with a
    // number, it is the plan version `export plan` reads (optsWithGlobals().version).
    .option('-v, --version [n]', '显示版本号（export plan 中：导出方案的第 n 版）')
    .on('option:version', (value: string | boolean | undefined) => {
      if (typeof value === 'string') return;
      io.out(APP_VERSION);
      throw new CommanderError(0, 'commander.version', APP_VERSION);
    })
    .helpOption('-h, --help', '显示帮助')
    .addHelpCommand('help [command]', '显示某个命令的帮助')
    .option('--data-dir <dir>', '数据目录（默认 UPLIFT_DATA_DIR，或用户应用数据目录下的 Uplift）')
    .option('--json', '以 JSON 输出数据')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .exitOverride();

  program
    .command('app')
    .description('以浏览器模式运行 Uplift（仅监听 127.0.0.1），打印要打开的地址')
    .option('--port <port>', '端口（默认 UPLIFT_PORT 或 4790；0 表示任选空闲端口，优先用上次的）')
    .option('--new-token', '更换访问令牌（之前打开的浏览器页面需用新地址重新打开）')
    .action(async (opts: { port?: string; newToken?: boolean }, cmd: Command) => {
      const dataDir = resolveDataDir(cmd.optsWithGlobals<{ dataDir?: string }>().dataDir, io.env);
      await runBrowserMode({
        dataDir,
        port: portFromEnv(opts.port ?? io.env.UPLIFT_PORT),
        newToken: opts.newToken === true,
        log: io.out,
      });
    });

  program
    .command('info')
    .description('显示数据目录、设备编号、企业数量和待同步的修改')
    .action(async (_opts: unknown, cmd: Command) => {
      const info = (await call(open(cmd), 'app.info', {})) as Record<string, unknown>;
      if (json(cmd)) io.out(JSON.stringify(info, null, 2));
      else for (const [k, v] of Object.entries(info)) io.out(`${k}: ${String(v)}`);
    });

  program
    .command('demo')
    .description(
      '向空的数据目录写入一套演示企业台账（覆盖全部地级市和县区）、几次现场检查和据此起草的一企一策方案',
    )
    .option('--enterprises <n>', '企业数量', positiveInt('企业数量', 200000), 300)
    .option(
      '--seed <n>',
      '随机种子（同一种子生成相同数据）',
      positiveInt('随机种子', 2 ** 31),
      2025,
    )
    .action((opts: { enterprises: number; seed: number }, cmd: Command) => {
      const c = open(cmd);
      const result = fillDemo(c, { enterprises: opts.enterprises, seed: opts.seed });
      if (json(cmd)) io.out(JSON.stringify({ ...result, dataDir: c.dataDir }));
      else
        io.out(
          `已写入 ${result.enterprises} 家演示企业（${result.processes} 个行业或工序）、${result.inspections} 次现场检查（${result.evidence} 份照片证据）、${result.plans} 份一企一策方案到 ${c.dataDir}`,
        );
    });

  const enterprise = program
    .command('enterprise')
    .description('企业台账：列出、查看、新增、删除企业');

  enterprise
    .command('list')
    .description('列出企业（可按名称、信用代码或地址的任意部分查找）')
    .option('--search <text>', '名称、信用代码或地址中的任意部分')
    .option('--city <name>', '地级市，例如 银川市')
    .option('--county <name>', '县（市、区），例如 兴庆区')
    .option('--limit <n>', '最多列出多少家', positiveInt('数量', 500), 50)
    .option('--offset <n>', '跳过前多少家', positiveInt('偏移', 10_000_000), 0)
    .action(
      async (
        opts: { search?: string; city?: string; county?: string; limit: number; offset: number },
        cmd: Command,
      ) => {
        const region = regionCodes(opts.city, opts.county);
        const page = (await call(open(cmd), 'enterprise.list', {
          ...(opts.search ? { text: opts.search } : {}),
          ...(region.cityCode ? { cityCode: region.cityCode } : {}),
          ...(region.countyCode ? { countyCode: region.countyCode } : {}),
          limit: opts.limit,
          offset: opts.offset,
        })) as EnterprisePage;
        if (json(cmd)) {
          io.out(JSON.stringify(page, null, 2));
          return;
        }
        for (const e of page.items) io.out(describe(e));
        io.out(
          page.totalCapped
            ? `匹配超过 ${page.total} 家，显示 ${page.items.length} 家；请缩小搜索范围`
            : `共 ${page.total} 家，显示 ${page.items.length} 家`,
        );
      },
    );

  enterprise
    .command('show <id>')
    .description('显示一家企业')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const e = (await call(open(cmd), 'enterprise.get', { id })) as Enterprise;
      io.out(json(cmd) ? JSON.stringify(e, null, 2) : describe(e));
    });

  enterprise
    .command('add')
    .description('新增一家企业（信用代码按 GB 32100 校验）')
    .requiredOption('--name <name>', '企业名称')
    .requiredOption('--city <name>', '地级市')
    .option('--county <name>', '县（市、区）；宁东能源化工基地可不填')
    .option('--credit-code <code>', '统一社会信用代码（18位）')
    .option('--address <text>', '地址')
    .option('--contact <name>', '联系人')
    .option('--phone <phone>', '联系电话')
    .action(
      async (
        opts: {
          name: string;
          city: string;
          county?: string;
          creditCode?: string;
          address?: string;
          contact?: string;
          phone?: string;
        },
        cmd: Command,
      ) => {
        const region = regionCodes(opts.city, opts.county);
        const e = (await call(open(cmd), 'enterprise.create', {
          name: opts.name,
          creditCode: opts.creditCode ?? null,
          cityCode: region.cityCode ?? '',
          countyCode: region.countyCode ?? null,
          address: opts.address ?? null,
          contactPerson: opts.contact ?? null,
          contactPhone: opts.phone ?? null,
        })) as Enterprise;
        io.out(json(cmd) ? JSON.stringify(e, null, 2) : `已新增：${describe(e)}`);
      },
    );

  enterprise
    .command('delete <id>')
    .description('把一家企业连同其检查、方案等移入回收站（30 天内可恢复）')
    .requiredOption('--name <全称>', '再输入一遍企业全称，以确认要删除的是它')
    .option('--reason <原因>', '删除原因（企业有已定稿的检查记录时必填）')
    .action(async (id: string, opts: { name: string; reason?: string }, cmd: Command) => {
      await call(open(cmd), 'enterprise.delete', {
        id,
        confirmName: opts.name,
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      });
      io.out(json(cmd) ? JSON.stringify({ id }) : `已移入回收站（30 天内可恢复）：${opts.name}`);
    });

  addGradingCommands(program, io, open, call, json);
  addDocumentCommands(addRegistryCommands(program, io, open, json), io, open, json);
  addSyncCommands(program, io, open, json);
  addServerCommands(program, io, json);

  return program;
}

/** 指标待核实: how a grade from a draft ruleset is marked wherever it appears. */
export const DRAFT_MARK = '指标待核实';

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
    fs.writeFileSync(file, data);
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

function addGradingCommands(
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

/** Runs the command line; resolves to the exit status. Long-running commands keep running. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const opened: AppContext[] = [];
  const program = buildProgram(io, (c) => opened.push(c));
  let keepOpen = false;
  try {
    await program.parseAsync(argv, { from: 'user' });
    keepOpen = program.args[0] === 'app';
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (e instanceof CliFailure) {
      io.err(`错误：${e.error.message}`);
      for (const issue of e.error.issues ?? []) {
        if (issue.message !== e.error.message)
          io.err(`  ${issue.path || '输入'}：${issue.message}`);
      }
      return e.exitCode;
    }
    if (e instanceof DatabaseOpenError) {
      io.err(`错误：${e.message}`);
      return 1;
    }
    const shape = e instanceof AppError ? e.toShape() : toErrorShape(e);
    io.err(`错误：${shape.message}`);
    return INPUT_CODES.has(shape.code) ? 2 : 1;
  } finally {
    if (!keepOpen) for (const c of opened) closeAppContext(c);
  }
}
