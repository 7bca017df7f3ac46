import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { Input, Method } from '../shared/api/contract';
import { AppError } from '../shared/api/errors';
import type { Enterprise, EnterprisePage } from '../shared/domain/enterprise';
import { cityName, countyName, findCityByName, findCountyByName } from '../shared/domain/regions';
import { DatabaseOpenError } from '../db/client';
import { dispatch, toErrorShape } from './api';
import { addDocumentCommands } from './cli-documents';
import { addPublicationCommands } from './cli-publications';
import { addRegistryCommands } from './cli-registry';
import { addServerCommands } from './cli-server';
import { addSyncCommands } from './cli-sync';
import { portFromEnv, runBrowserMode } from './host/run';
import { APP_VERSION } from './services/app-version';
import { closeAppContext, openAppContext, type AppContext } from './services/context';
import { fillDemo } from './services/demo';
import { resolveDataDir } from './services/paths';
import { CliFailure, INPUT_CODES, failure, processIo, type CliIo } from './cli-io';

export type { CliIo } from './cli-io';
import { addGradingCommands } from './cli-grading';

/**
 * `uplift`'s program: the global options, the enterprise commands, and the command groups of the
 * cli-*.ts files; `runCli` runs it and turns failures into messages and exit statuses.
 */
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
      '向空的数据目录写入一套演示企业台账（覆盖全部地级市和县区）、几次现场检查、据此起草的一企一策方案、各审核环节的等级申报和一期公示名单',
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
          `已写入 ${result.enterprises} 家演示企业（${result.processes} 个行业或工序）、${result.inspections} 次现场检查（${result.evidence} 份照片证据）、${result.plans} 份一企一策方案、${result.applications} 份等级申报和 ${result.publications} 期公示名单到 ${c.dataDir}`,
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
  const exportCommand = addRegistryCommands(program, io, open, json);
  addDocumentCommands(exportCommand, io, open, json);
  addPublicationCommands(exportCommand, io, open, json);
  addSyncCommands(program, io, open, json);
  addServerCommands(program, io, json);

  return program;
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
