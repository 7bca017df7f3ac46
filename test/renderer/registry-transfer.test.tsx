import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ImportPreview } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { EnterpriseListItem } from '../../shared/domain/enterprise';
import { setTransport } from '../../renderer/src/api';
import { resetRegistryStore } from '../../renderer/src/stores/registry';

import { enterprise, fakeTransport } from './fake-transport';
import { CATALOG } from './fixtures';
import { choose, renderRegistry } from './render';

type Handlers = Parameters<typeof fakeTransport>[0];

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

/** A registry with one enterprise (more once `items` grows), the catalogue and no rulesets. */
function registry(extra: Handlers = {}, items: () => EnterpriseListItem[] = () => []) {
  return fakeTransport({
    'enterprise.list': () => ({ total: items().length, items: items() }),
    'catalog.get': () => CATALOG,
    'ruleset.list': () => [],
    ...extra,
  });
}

function toolbar() {
  return within(document.querySelector('.registry-toolbar') as HTMLElement);
}

/** A promise the test settles, standing for a task still running on the Node side. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Stubs the download machinery and records what was downloaded. */
function captureDownloads() {
  const blobs: Blob[] = [];
  const createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return 'blob:uplift-test';
  });
  Object.defineProperty(URL, 'createObjectURL', { configurable: true, value: createObjectURL });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, value: vi.fn() });
  const clicked: { href: string; download: string }[] = [];
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    clicked.push({ href: this.href, download: this.download });
  });
  return { blobs, clicked, createObjectURL };
}

function chooseFile(name = '附件2.xlsx', content = 'workbook bytes') {
  const file = new File([content], name, { type: XLSX });
  fireEvent.change(screen.getByTestId('registry-file'), { target: { files: [file] } });
  return { name, dataBase64: base64(content) };
}

function preview(fields: Partial<ImportPreview> = {}): ImportPreview {
  return {
    rows: 8,
    enterprisesAdded: 2,
    processesAdded: 3,
    changed: [
      {
        row: 5,
        enterprise: '宁夏甲企业有限公司',
        industry: '水泥',
        changes: [
          { field: '绩效现状', from: 'C', to: 'B' },
          { field: '提级时限', from: null, to: '2025-09' },
        ],
      },
    ],
    unchanged: 4,
    problems: [],
    ...fields,
  };
}

/**
 * The open modal with this title. (Found by its title text: in tests every rc id is "test-id",
 * so aria-labelledby names the wrong element.)
 */
async function modalTitled(title: string) {
  const heading = await screen.findByText(title, { selector: '.ant-modal-title' });
  return heading.closest('[role="dialog"]') as HTMLElement;
}

function cells(row: Element): string[] {
  return [...row.querySelectorAll('td')].map((td) => td.textContent ?? '');
}

const TASK_ID = /^[A-Za-z0-9_-]{1,64}$/;

describe('the 企业台账 filters', () => {
  beforeEach(() => {
    resetRegistryStore();
  });
  afterEach(() => setTransport(null));

  it('passes the industry, 绩效现状 and 绩效提升目标 filters to enterprise.list', async () => {
    const fake = registry();
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    await choose(toolbar(), '重点行业类型', '水泥');
    await choose(toolbar(), '绩效现状', 'C');
    await choose(toolbar(), '绩效提升目标', 'B-');

    await waitFor(() =>
      expect(fake.callsOf('enterprise.list').at(-1)).toEqual({
        industryCode: 'cement',
        currentGrade: 'C',
        targetGrade: 'B-',
        offset: 0,
        limit: 20,
      }),
    );
    expect(await screen.findByText('没有符合条件的企业')).toBeTruthy();
  });

  it('offers Ningxia’s industries under their own heading, marked 待核实', async () => {
    renderRegistry(registry());
    await screen.findByText('暂无企业，点击“新增企业”添加');

    await choose(toolbar(), '重点行业类型', '电石（待核实）');

    expect(screen.getAllByText('宁夏+5（待核实）').length).toBeGreaterThan(0);
  });

  it('clears every filter with 清除筛选', async () => {
    const fake = registry();
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');
    await choose(toolbar(), '绩效现状', 'A');
    await waitFor(() =>
      expect(fake.callsOf('enterprise.list').at(-1)).toMatchObject({ currentGrade: 'A' }),
    );

    fireEvent.click(toolbar().getByRole('button', { name: '清除筛选' }));

    await waitFor(() =>
      expect(fake.callsOf('enterprise.list').at(-1)).toEqual({ offset: 0, limit: 20 }),
    );
  });
});

describe('导出清单', () => {
  beforeEach(() => {
    resetRegistryStore();
  });
  afterEach(() => {
    setTransport(null);
    vi.restoreAllMocks();
  });

  it('exports 附件2 with the current filters, downloads it and says how many rows', async () => {
    const fake = registry({
      'registry.export': () => ({
        fileName: '附件2-提级扩面清单.xlsx',
        dataBase64: base64('xlsx bytes'),
        rows: 12,
      }),
    });
    const downloads = captureDownloads();
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');
    fireEvent.change(screen.getByLabelText('搜索企业'), { target: { value: ' 宝丰 ' } });
    await choose(toolbar(), '地级市', '银川市');
    await choose(toolbar(), '绩效提升目标', 'A');

    fireEvent.click(screen.getByRole('button', { name: /导出清单/ }));

    expect(await screen.findByText('已导出 12 行：附件2-提级扩面清单.xlsx')).toBeTruthy();
    expect(fake.callsOf('registry.export')).toEqual([
      {
        filter: { text: '宝丰', cityCode: '6401', targetGrade: 'A' },
        taskId: expect.stringMatching(TASK_ID) as unknown,
      },
    ]);
    expect(downloads.clicked).toEqual([
      { href: 'blob:uplift-test', download: '附件2-提级扩面清单.xlsx' },
    ]);
    expect(downloads.blobs[0]?.type).toBe(XLSX);
    expect(await downloads.blobs[0]?.text()).toBe('xlsx bytes');
  });

  it('shows the task’s progress events and cancels it with task.cancel', async () => {
    const running = deferred<{ fileName: string; dataBase64: string; rows: number }>();
    const fake = registry({
      'registry.export': () => running.promise,
      'task.cancel': () => {
        running.reject(new AppError('cancelled', '已取消，未作任何修改'));
        return { cancelled: true };
      },
    });
    const downloads = captureDownloads();
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    fireEvent.click(screen.getByRole('button', { name: /导出清单/ }));
    const dialog = within(await modalTitled('正在导出清单'));
    expect(dialog.getByText('正在准备…')).toBeTruthy();
    await waitFor(() => expect(fake.callsOf('registry.export')).toHaveLength(1));
    const { taskId } = fake.callsOf('registry.export')[0] as { taskId: string };

    act(() => {
      // Another task's progress is not this one's.
      fake.emit('task.progress', { taskId: 'someone-else', phase: '写入', done: 9, total: 10 });
      fake.emit('task.progress', { taskId, phase: '生成', done: 30, total: 120 });
    });
    expect(await dialog.findByText('生成：25%（30/120）')).toBeTruthy();
    expect(screen.queryByText(/写入/)).toBeNull();

    fireEvent.click(dialog.getByRole('button', { name: /取\s*消/ }));

    expect(await screen.findByText('已取消，未生成文件')).toBeTruthy();
    expect(fake.callsOf('task.cancel')).toEqual([{ taskId }]);
    expect(downloads.createObjectURL).not.toHaveBeenCalled();
  });

  it('drops an export that finished before the cancel reached it', async () => {
    const running = deferred<{ fileName: string; dataBase64: string; rows: number }>();
    const fake = registry({
      'registry.export': () => running.promise,
      'task.cancel': () => {
        running.resolve({ fileName: '附件2.xlsx', dataBase64: base64('late'), rows: 3 });
        return { cancelled: false };
      },
    });
    const downloads = captureDownloads();
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    fireEvent.click(screen.getByRole('button', { name: /导出清单/ }));
    const dialog = within(await modalTitled('正在导出清单'));
    await waitFor(() => expect(fake.callsOf('registry.export')).toHaveLength(1));
    fireEvent.click(dialog.getByRole('button', { name: /取\s*消/ }));

    expect(await screen.findByText('已取消，未生成文件')).toBeTruthy();
    expect(fake.callsOf('task.cancel')).toHaveLength(1);
    expect(downloads.createObjectURL).not.toHaveBeenCalled();
  });
});

describe('导入清单', () => {
  beforeEach(() => {
    resetRegistryStore();
  });
  afterEach(() => setTransport(null));

  it('lists every problem of the preview and keeps 确认导入 disabled', async () => {
    const fake = registry({
      'registry.importPreview': () =>
        preview({
          problems: [
            {
              row: 3,
              column: '县（市、区）',
              value: '兴庆',
              message: '县（市、区）“兴庆”不属于银川市',
            },
            { row: 4, column: '统一社会信用代码', value: '91640100X', message: '校验位错误' },
            { row: null, column: null, value: null, message: '第 7、9 行是同一家企业' },
          ],
        }),
    });
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    const file = chooseFile();

    const dialog = await modalTitled('导入预览');
    const modal = within(dialog);
    expect(modal.getByText('文件有 3 处问题，不会导入任何内容')).toBeTruthy();
    const problems = within(modal.getByRole('region', { name: '问题清单' }));
    const rows = problems.getAllByRole('row').filter((r) => r.querySelector('td'));
    expect(rows.map(cells)).toEqual([
      ['3', '县（市、区）', '兴庆', '县（市、区）“兴庆”不属于银川市'],
      ['4', '统一社会信用代码', '91640100X', '校验位错误'],
      ['—', '—', '—', '第 7、9 行是同一家企业'],
    ]);
    expect(modal.getByRole('button', { name: '确认导入' }).hasAttribute('disabled')).toBe(true);
    expect(fake.callsOf('registry.importPreview')).toEqual([
      {
        fileName: file.name,
        dataBase64: file.dataBase64,
        taskId: expect.stringMatching(TASK_ID) as unknown,
      },
    ]);
    expect(fake.callsOf('registry.importApply')).toEqual([]);
  });

  it('imports a clean preview with registry.importApply, says what was done and refetches', async () => {
    let items: EnterpriseListItem[] = [];
    const fake = registry(
      {
        'registry.importPreview': () => preview(),
        'registry.importApply': () => {
          items = [enterprise({ name: '宁夏新导入企业有限公司' })];
          return preview();
        },
      },
      () => items,
    );
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    const file = chooseFile('清单.xlsx', 'clean workbook');
    const modal = within(await modalTitled('导入预览'));
    expect(modal.getByText('新增企业 2 家、新增行业/工序 3 个、变更 1 处、未变 4 行')).toBeTruthy();
    const changes = within(modal.getByRole('region', { name: '变更明细' }));
    expect(
      changes
        .getAllByRole('row')
        .filter((r) => r.querySelector('td'))
        .map(cells),
    ).toEqual([
      ['5', '宁夏甲企业有限公司', '水泥', '绩效现状', 'C → B'],
      ['5', '宁夏甲企业有限公司', '水泥', '提级时限', '（空） → 2025-09'],
    ]);
    const listed = fake.callsOf('enterprise.list').length;

    fireEvent.click(modal.getByRole('button', { name: '确认导入' }));

    expect(
      await screen.findByText('已导入：新增企业 2 家、新增行业/工序 3 个、变更 1 处、未变 4 行'),
    ).toBeTruthy();
    expect(fake.callsOf('registry.importApply')).toEqual([
      {
        fileName: '清单.xlsx',
        dataBase64: file.dataBase64,
        taskId: expect.stringMatching(TASK_ID) as unknown,
      },
    ]);
    expect(fake.callsOf('enterprise.list').length).toBeGreaterThan(listed);
    expect(await screen.findByText('宁夏新导入企业有限公司')).toBeTruthy();
  });

  it('shows the message and every issue of a file the Node side refuses', async () => {
    const fake = registry({
      'registry.importPreview': () => {
        throw new AppError('invalid_input', '“笔记.xlsx”不是附件2清单，未导入', [
          { path: '第 1 行', message: '找不到表头（企业名称、统一社会信用代码…）' },
        ]);
      },
    });
    renderRegistry(fake);
    await screen.findByText('暂无企业，点击“新增企业”添加');

    chooseFile('笔记.xlsx');

    const list = await screen.findByRole('list', { name: '导入问题' });
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['第 1 行 找不到表头（企业名称、统一社会信用代码…）']);
    expect(screen.getByText('“笔记.xlsx”不是附件2清单，未导入')).toBeTruthy();
    expect(screen.queryByText('导入预览', { selector: '.ant-modal-title' })).toBeNull();
  });
});
