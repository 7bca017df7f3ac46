import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { AppError } from '../../shared/api/errors';
import type { ProcessDraft } from '../../shared/domain/process';
import { setTransport } from '../../renderer/src/api';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { CATALOG, process, RULESETS, summaryOf } from './fixtures';
import { choose, fieldHelp, renderRegistry, type Scope } from './render';

const COMPANY = enterprise({ name: '宁夏瑞泰水泥有限公司' });

type Handlers = Parameters<typeof fakeTransport>[0];

function registry(handlers: Handlers = {}) {
  return fakeTransport({
    'enterprise.list': () => ({ total: 1, items: [COMPANY] }),
    'catalog.get': () => CATALOG,
    'ruleset.list': () => RULESETS.map((r) => summaryOf(r)),
    'process.list': () => [],
    ...handlers,
  });
}

/** Opens the enterprise's 行业与工序 drawer; queries bound to it. */
async function openProcesses() {
  // Text queries: role queries crawl the whole (large) antd DOM and are slow in jsdom.
  fireEvent.click(await screen.findByText('行业与工序', { selector: 'button span' }));
  const title = await screen.findByText(`行业与工序 — ${COMPANY.name}`);
  return within(title.closest('[role="dialog"]') as HTMLElement);
}

/** Opens the process form from the processes drawer; queries bound to its drawer. */
async function openForm(drawer: Scope, button: RegExp) {
  await waitFor(() => {
    if (!document.querySelector('.process-table')) throw new Error('no table yet');
  });
  fireEvent.click(await drawer.findByText(button, { selector: 'button span' }));
  const form = await waitFor(() => {
    const found = document.querySelector<HTMLFormElement>('form#process');
    if (!found) throw new Error('no process form');
    return found;
  });
  return within(form.closest('[role="dialog"]') as HTMLElement);
}

function save(form: Scope) {
  fireEvent.click(form.getByText(/^保\s*存$/, { selector: 'button span' }));
}

describe('an enterprise’s 行业与工序', () => {
  beforeEach(() => {
    resetRegistryStore();
  });
  afterEach(() => setTransport(null));

  it('lists the enterprise’s processes with the industry’s name and the draft tag', async () => {
    const fake = registry({
      'process.list': ({ enterpriseId }) => [
        process({
          enterpriseId,
          industryCode: 'cement',
          branch: '水泥熟料',
          name: '1#熟料线',
          rulesetId: 'cement-clinker-2020',
          currentGrade: 'C',
          targetGrade: 'B',
          dueDate: '2025-09',
        }),
        process({ enterpriseId, industryCode: 'lime-kiln', branch: '石灰窑' }),
      ],
    });
    renderRegistry(fake);
    const drawer = await openProcesses();

    const row = (await drawer.findByText('1#熟料线')).closest('tr') as HTMLElement;
    const cells = [...row.querySelectorAll('td')].map((td) => td.textContent);
    expect(cells).toEqual(
      expect.arrayContaining([
        '水泥',
        '水泥熟料',
        '1#熟料线',
        '水泥熟料分级指标指标待核实',
        'C',
        'B',
        '2025-09',
      ]),
    );
    // 石灰窑 is both the industry and its one branch.
    const lime = drawer.getAllByText('石灰窑', { selector: 'td' })[0]!.closest('tr') as HTMLElement;
    expect(within(lime).getByText('未选（按通用帮扶检查表检查）')).toBeTruthy();
    expect(fake.callsOf('process.list')).toEqual([{ enterpriseId: COMPANY.id }]);
  });

  it('refuses a grade outside the branch’s scheme without calling the api', async () => {
    const fake = registry();
    renderRegistry(fake);
    const form = await openForm(await openProcesses(), /新增行业\/工序/);

    await choose(form, '重点行业类型', '铁合金');
    await choose(form, '重点行业分支', '电炉法铁合金（矿热炉、精炼炉）');
    // No scheme for this branch: every grade is offered.
    await choose(form, '绩效现状', 'A');
    // 电解锰 is graded 引领性/非引领性 only.
    await choose(form, '重点行业分支', '电解法金属锰（电解锰）');
    save(form);

    await waitFor(() =>
      expect(fieldHelp('currentGrade', 'process')).toBe(
        '绩效现状“A”不是铁合金（电解法金属锰（电解锰））的等级（可选：引领性、非引领性）',
      ),
    );
    expect(fake.callsOf('process.create')).toHaveLength(0);
    expect(fake.calls.map((c) => c.method)).not.toContain('process.update');
  });

  it('asks for an industry and a branch, and a proper date, before saving anything', async () => {
    const fake = registry();
    renderRegistry(fake);
    const form = await openForm(await openProcesses(), /新增行业\/工序/);

    fireEvent.change(form.getByLabelText('拟完成时间'), { target: { value: '2025-13' } });
    save(form);

    await waitFor(() => expect(fieldHelp('industryCode', 'process')).toBe('请选择重点行业类型'));
    expect(fieldHelp('branch', 'process')).toBe('请选择重点行业分支');
    expect(fieldHelp('dueDate', 'process')).toBe('拟完成时间应为日期，例如 2025-09-30 或 2025-09');
    expect(fake.callsOf('process.create')).toHaveLength(0);
  });

  it('creates a process with the parsed draft when it is valid', async () => {
    const fake = registry({
      'process.create': (draft) => process({ ...(draft as ProcessDraft) }),
    });
    renderRegistry(fake);
    const form = await openForm(await openProcesses(), /新增行业\/工序/);

    // A one-branch industry picks its branch by itself; another industry clears it.
    await choose(form, '重点行业类型', '石灰窑');
    await waitFor(() =>
      expect(form.getByLabelText('重点行业分支').closest('.ant-select')?.textContent).toContain(
        '石灰窑',
      ),
    );
    await choose(form, '重点行业类型', '水泥');
    await choose(form, '重点行业分支', '水泥熟料');
    await choose(form, '指标体系', '水泥熟料分级指标（2020 版）');
    await choose(form, '绩效现状', 'C');
    await choose(form, '绩效提升目标', 'B');
    fireEvent.change(form.getByLabelText('工序名称'), { target: { value: ' 1#熟料线 ' } });
    fireEvent.change(form.getByLabelText('存在问题'), { target: { value: '运输车辆国四占比高' } });
    fireEvent.change(form.getByLabelText('拟完成时间'), { target: { value: '2025-09' } });
    save(form);

    await waitFor(() => expect(fake.callsOf('process.create')).toHaveLength(1));
    const expected: ProcessDraft = {
      enterpriseId: COMPANY.id,
      industryCode: 'cement',
      branch: '水泥熟料',
      name: '1#熟料线',
      rulesetId: 'cement-clinker-2020',
      currentGrade: 'C',
      targetGrade: 'B',
      differentiators: null,
      problems: '运输车辆国四占比高',
      improvements: null,
      dueDate: '2025-09',
      remark: null,
    };
    expect(fake.callsOf('process.create')[0]).toEqual(expected);
    expect(await screen.findByText('已保存')).toBeTruthy();
    await waitFor(() => expect(fake.callsOf('process.list').length).toBeGreaterThanOrEqual(2));
  });

  it('offers only the rulesets of the industry and branch, and the Ningxia industries apart', async () => {
    renderRegistry(registry());
    const form = await openForm(await openProcesses(), /新增行业\/工序/);

    fireEvent.mouseDown(form.getByLabelText('重点行业类型'));
    expect(await screen.findByText('宁夏+5（待核实）')).toBeTruthy();
    expect(screen.getByTitle('电石（待核实）')).toBeTruthy();

    await choose(form, '重点行业类型', '水泥');
    await choose(form, '重点行业分支', '粉磨站');
    expect(await form.findByText('分级指标库中暂无该行业分支的指标体系')).toBeTruthy();
    await choose(form, '重点行业类型', '石灰窑');
    await choose(form, '指标体系', '石灰窑分级指标（2020 版）');
  });

  it('shows the reasons the service refuses a save under their fields', async () => {
    const fake = registry({
      'process.create': () => {
        throw new AppError('conflict', '该企业已有水泥（水泥熟料）', [
          { path: 'branch', message: '该企业已登记此行业分支' },
        ]);
      },
    });
    renderRegistry(fake);
    const form = await openForm(await openProcesses(), /新增行业\/工序/);

    await choose(form, '重点行业类型', '水泥');
    await choose(form, '重点行业分支', '水泥熟料');
    save(form);

    await waitFor(() => expect(fieldHelp('branch', 'process')).toBe('该企业已登记此行业分支'));
    expect(screen.queryByText('已保存')).toBeNull();
  });

  it('edits a process through process.update and deletes one', async () => {
    const existing = process({
      enterpriseId: COMPANY.id,
      industryCode: 'cement',
      branch: '水泥熟料',
      name: '1#熟料线',
      currentGrade: 'C',
    });
    let items = [existing];
    const fake = registry({
      'process.list': () => items,
      'process.update': ({ id, draft }) => ({ ...existing, ...(draft as ProcessDraft), id }),
      'process.delete': ({ id }) => {
        items = [];
        return { id };
      },
    });
    renderRegistry(fake);
    const drawer = await openProcesses();
    await drawer.findByText('1#熟料线');
    const form = await openForm(drawer, /编\s*辑/);

    expect(form.getByText('编辑行业/工序')).toBeTruthy();
    fireEvent.change(form.getByLabelText('改进措施'), { target: { value: '更换国五车辆' } });
    save(form);

    await waitFor(() => expect(fake.callsOf('process.update')).toHaveLength(1));
    expect(fake.callsOf('process.update')[0]).toEqual({
      id: existing.id,
      draft: {
        enterpriseId: COMPANY.id,
        industryCode: 'cement',
        branch: '水泥熟料',
        name: '1#熟料线',
        rulesetId: null,
        currentGrade: 'C',
        targetGrade: null,
        differentiators: null,
        problems: null,
        improvements: '更换国五车辆',
        dueDate: null,
        remark: null,
      },
    });

    const row = drawer.getByText('1#熟料线').closest('tr') as HTMLElement;
    fireEvent.click(within(row).getByText(/^删\s*除$/, { selector: 'button span' }));
    const confirm = (await screen.findByText('确定删除该行业/工序？')).closest(
      '.ant-popover',
    ) as HTMLElement;
    fireEvent.click(within(confirm).getByText(/^删\s*除$/, { selector: 'button span' }));
    await waitFor(() => expect(fake.callsOf('process.delete')).toEqual([{ id: existing.id }]));
    expect(await drawer.findByText('暂无行业或工序，点击“新增行业/工序”添加')).toBeTruthy();
  });
});
