import { describe, expect, it } from 'vitest';

import { runUplift } from '../helpers/cli';
import { completeCreditCode } from '../../shared/domain/credit-code';
import { tempDir } from '../helpers/context';

const run = runUplift;

describe('uplift command line', () => {
  it('lists its commands with --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const command of ['app', 'demo', 'enterprise', 'info']) expect(r.out).toContain(command);
  });

  it('exits 2 on an unknown command or option', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    expect((await run(['demo', '--enterprises', 'many'])).code).toBe(2);
  });

  it('fills an empty data folder with a demo registry covering every city', async () => {
    const dir = tempDir();
    const r = await run(['--data-dir', dir, '--json', 'demo', '--enterprises', '60']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ enterprises: 60 });
    for (const city of ['银川市', '石嘴山市', '吴忠市', '固原市', '中卫市', '宁东能源化工基地']) {
      const list = await run(['--data-dir', dir, '--json', 'enterprise', 'list', '--city', city]);
      expect((JSON.parse(list.out) as { total: number }).total).toBeGreaterThan(0);
    }
  });

  it('refuses to write demo data over a registry that has data', async () => {
    const dir = tempDir();
    await run(['--data-dir', dir, 'demo', '--enterprises', '5']);
    const r = await run(['--data-dir', dir, 'demo']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('数据目录中已有 5 家企业');
  });

  it('takes the data folder from UPLIFT_DATA_DIR', async () => {
    const dir = tempDir();
    await run(['demo', '--enterprises', '3'], { UPLIFT_DATA_DIR: dir });
    const r = await run(['--data-dir', dir, '--json', 'info']);
    expect(JSON.parse(r.out)).toMatchObject({ enterpriseCount: 3, dataDir: dir });
  });

  it('deletes an enterprise only when its full name is typed again, to the 回收站', async () => {
    const dir = tempDir();
    const add = await run([
      '--data-dir',
      dir,
      '--json',
      'enterprise',
      'add',
      '--name',
      '宁夏瑞泰水泥有限公司',
      '--city',
      '银川市',
      '--county',
      '兴庆区',
    ]);
    const { id } = JSON.parse(add.out) as { id: string };
    expect((await run(['--data-dir', dir, 'enterprise', 'delete', id])).code).toBe(2);
    const wrong = await run(['--data-dir', dir, 'enterprise', 'delete', id, '--name', '瑞泰水泥']);
    expect(wrong.code).toBe(2);
    expect(wrong.err).toContain('输入的企业名称与要删除的企业不一致');
    const done = await run([
      '--data-dir',
      dir,
      'enterprise',
      'delete',
      id,
      '--name',
      '宁夏瑞泰水泥有限公司',
    ]);
    expect(done.code).toBe(0);
    expect(done.out).toContain('已移入回收站（30 天内可恢复）：宁夏瑞泰水泥有限公司');
    const list = await run(['--data-dir', dir, '--json', 'enterprise', 'list']);
    expect((JSON.parse(list.out) as { total: number }).total).toBe(0);
  });

  it('adds an enterprise and finds it by part of its name', async () => {
    const dir = tempDir();
    const code = completeCreditCode('91640100MA75X1234');
    const add = await run([
      '--data-dir',
      dir,
      'enterprise',
      'add',
      '--name',
      '宁夏瑞泰水泥有限公司',
      '--city',
      '银川市',
      '--county',
      '兴庆区',
      '--credit-code',
      code,
    ]);
    expect(add.code).toBe(0);
    const list = await run(['--data-dir', dir, 'enterprise', 'list', '--search', '瑞泰']);
    expect(list.out).toContain(code);
    expect(list.out).toContain('共 1 家');
  });

  it('refuses a wrong credit code with exit 2 and the reason on standard error', async () => {
    const dir = tempDir();
    const r = await run([
      '--data-dir',
      dir,
      'enterprise',
      'add',
      '--name',
      '某公司',
      '--city',
      '银川市',
      '--county',
      '兴庆区',
      '--credit-code',
      '91110000600037341A',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('校验位错误');
    expect(r.out).toBe('');
    const info = await run(['--data-dir', dir, '--json', 'info']);
    expect(JSON.parse(info.out)).toMatchObject({ enterpriseCount: 0, pendingOps: 0 });
  });

  it('refuses a county outside the chosen city', async () => {
    const r = await run([
      '--data-dir',
      tempDir(),
      'enterprise',
      'add',
      '--name',
      '某公司',
      '--city',
      '银川市',
      '--county',
      '大武口区',
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('县（市、区）“大武口区”不属于银川市');
  });

  it('refuses an unknown city by name', async () => {
    const r = await run(['--data-dir', tempDir(), 'enterprise', 'list', '--city', '兰州市']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('未知的地级市“兰州市”');
  });
});
