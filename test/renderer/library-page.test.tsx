import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import type { RulesetPreview } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { Ruleset } from '../../shared/grading/types';
import { setTransport } from '../../renderer/src/api';

import { fakeTransport } from './fake-transport';
import { CATALOG, detailOf, EMPTY, LIME, RULESETS, summaryOf } from './fixtures';
import { renderLibrary } from './render';

function library(extra: Parameters<typeof fakeTransport>[0] = {}) {
  return fakeTransport({
    'catalog.get': () => CATALOG,
    'ruleset.list': () => RULESETS.map((r) => summaryOf(r)),
    'ruleset.get': ({ id }) => detailOf(id),
    ...extra,
  });
}

/** Opens a ruleset from the list by its row. */
async function openRuleset(industry: string) {
  fireEvent.click(await screen.findByText(industry));
  await screen.findByRole('button', { name: /导出 Excel/ });
}

/** What the Node side answers for a file holding `r`, against an installed edition. */
function previewOf(r: Ruleset): RulesetPreview {
  const {
    id,
    industry,
    branch,
    edition,
    status,
    source,
    summary,
    sourceNote,
    indicatorCount,
    grades,
    hash,
  } = summaryOf(r, 'imported');
  return {
    summary: {
      id,
      industry,
      branch,
      edition,
      status,
      source,
      summary,
      sourceNote,
      indicatorCount,
      grades,
      hash,
    },
    dimensions: [
      {
        dimension: '排放限值',
        indicators: [{ id: 'emission.pm', title: '颗粒物', kind: '上限', unit: 'mg/m³' }],
      },
    ],
    installed: { edition: '2020', status: 'draft', origin: 'shipped' },
    identical: false,
    changes: {
      added: [{ id: 'monitoring.video', title: '视频监控', kind: '是否', unit: null }],
      removed: [],
      changed: [
        {
          id: 'emission.pm',
          title: '颗粒物',
          kind: '上限',
          unit: 'mg/m³',
          what: ['A级要求：≤ 50 → ≤ 40'],
        },
      ],
      ruleset: [],
    },
    warnings: [],
    publish: {
      role: '帮扶队员',
      allowed: false,
      message:
        '当前账号（帮扶队员）不能向全区发布分级指标体系：安装后只能在本机使用，同步时中心会拒绝发布。需要专家、自治区复审或管理员账号。',
    },
  };
}

function base64(text: string): string {
  return btoa(String.fromCharCode(...new TextEncoder().encode(text)));
}

describe('the 分级指标库 page', () => {
  afterEach(() => {
    setTransport(null);
    vi.restoreAllMocks();
  });

  it('lists the rulesets and tags the drafts 指标待核实', async () => {
    renderLibrary(library());

    const cement = (await screen.findByText('水泥')).closest('tr') as HTMLElement;
    expect(within(cement).getByText('水泥熟料')).toBeTruthy();
    expect(within(cement).getByText('2020')).toBeTruthy();
    expect(within(cement).getByText('指标待核实')).toBeTruthy();
    expect(within(cement).getByText('7')).toBeTruthy();
    expect(within(cement).getByText('内置')).toBeTruthy();

    const lime = screen.getByText('石灰窑').closest('tr') as HTMLElement;
    expect(within(lime).getByText('已核实')).toBeTruthy();
    expect(within(lime).queryByText('指标待核实')).toBeNull();
    expect(within(lime).getByText('全行业')).toBeTruthy();
    expect(screen.getByText('共 3 套指标体系，点击一行查看分级指标')).toBeTruthy();
  });

  it('opens a ruleset as the guideline table: dimensions as rows, grades as columns', async () => {
    const fake = library();
    renderLibrary(fake);
    await openRuleset('水泥');

    expect(fake.callsOf('ruleset.get')).toEqual([{ id: 'cement-clinker-2020', edition: '2020' }]);
    const note = screen.getByRole('alert');
    expect(note.textContent).toContain('指标待核实');
    // For experts, both notes side by side: the team's 说明 and the transcriber's 来源与缺项.
    const notes = document.querySelector('.ruleset-notes') as HTMLElement;
    const labels = [...notes.querySelectorAll('th')].map((th) => th.textContent);
    const values = [...notes.querySelectorAll('td')].map((td) => td.textContent);
    expect(labels).toEqual(['说明', '来源与缺项']);
    expect(values).toEqual([
      '草稿：目前只录入了几项指标，算出的等级不能代替正式评级。',
      '草稿：据新闻转引录入，尚未与官方附件核对。',
    ]);

    const table = document.querySelector('.grading-table table') as HTMLElement;
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
    expect(headers).toEqual(['维度', '指标', 'A级', 'B级', 'C级', 'D级']);

    // The guideline's order of dimensions, then the ruleset's own; each dimension spans its rows.
    const rows = [...table.querySelectorAll('tbody tr.ant-table-row')];
    const firstCells = rows.map((tr) => tr.querySelector('td')?.textContent);
    expect(firstCells).toEqual([
      '装备水平',
      '污染治理技术',
      '排放限值',
      // The second 排放限值 row has no dimension cell of its own: the first one spans it.
      '窑尾二氧化硫排放浓度emission.kiln-tail.so2',
      '监测监控水平',
      '运输方式',
      '地方补充',
    ]);
    expect(rows[2]?.querySelector('td')?.getAttribute('rowspan')).toBe('2');

    const row = (title: string) => screen.getByText(title).closest('tr') as HTMLElement;
    const cells = (title: string) =>
      [...row(title).querySelectorAll('td')].map((td) => td.textContent ?? '');
    const nox = cells('窑尾氮氧化物排放浓度');
    expect(nox.slice(-3)).toEqual(['≤ 50 mg/m³窑尾NOx不高于50毫克每立方米', '≤ 100 mg/m³', '']);
    expect(
      within(row('窑尾氮氧化物排放浓度')).getByText('窑尾NOx不高于50毫克每立方米').className,
    ).toMatch(/secondary/);
    expect(cells('国五及以上车辆运输比例').slice(-3)).toEqual(['≥ 100%', '≥ 80%', '≥ 50%']);
    expect(cells('主要排放口安装 CEMS 并联网').slice(-3)).toEqual(['是', '是', '']);
    expect(cells('脱硝工艺').slice(-3)).toEqual([
      'SCR、SNCR+SCR（其一）',
      'SCR、SNCR+SCR、SNCR（其一）',
      '',
    ]);
    // The floor (D) demands nothing: one cell 「其余」 spans the whole column.
    expect(cells('生产工艺装备').slice(-4)).toEqual([
      '达到A级要求新型干法窑，A级原文',
      '达到B级要求B级原文',
      '',
      '其余',
    ]);
    const floor = within(row('生产工艺装备')).getByText('其余').closest('td');
    expect(floor?.getAttribute('rowspan')).toBe('7');

    const measures = document.querySelector('.measures-table table') as HTMLElement;
    expect([...measures.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual([
      '等级',
      '黄色预警',
      '橙色预警',
      '红色预警',
    ]);
    expect(
      [...measures.querySelectorAll('tbody tr')].map((tr) =>
        [...tr.querySelectorAll('td')].map((td) => td.textContent),
      ),
    ).toEqual([
      ['B级', '停止国四车辆运输', '限产20%', '停产'],
      ['D级', '停产', '停产', '停产'],
    ]);

    fireEvent.click(screen.getByRole('button', { name: /返回指标库/ }));
    expect(await screen.findByText('石灰窑')).toBeTruthy();
  });

  it('says 缺少分级指标 for a ruleset with no indicators', async () => {
    renderLibrary(library());
    await openRuleset(EMPTY.industry);

    expect(screen.getAllByText('缺少分级指标').length).toBeGreaterThan(0);
    expect(document.querySelector('.grading-table')).toBeNull();
  });

  it('shows every issue of a refused import, each with its place in the file', async () => {
    const fake = library({
      'ruleset.preview': () => {
        throw new AppError('invalid_input', '指标.xlsx 有 3 处问题，未导入', [
          { path: '「指标」第 3 行 D 列', message: '要求应为数字' },
          { path: '「指标」第 5 行 B 列', message: '未知的维度“装备”' },
          { path: '「等级」第 2 行', message: '等级重复：A' },
        ]);
      },
    });
    renderLibrary(fake);
    await screen.findByText('水泥');

    const file = new File(['not really a workbook'], '指标.xlsx', {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    fireEvent.change(screen.getByTestId('ruleset-file'), { target: { files: [file] } });

    const list = await screen.findByRole('list', { name: '导入问题' });
    const items = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(items).toEqual([
      '「指标」第 3 行 D 列 要求应为数字',
      '「指标」第 5 行 B 列 未知的维度“装备”',
      '「等级」第 2 行 等级重复：A',
    ]);
    expect(screen.getByText('指标.xlsx 有 3 处问题，未导入')).toBeTruthy();
    expect(fake.callsOf('ruleset.preview')).toEqual([
      { fileName: '指标.xlsx', dataBase64: base64('not really a workbook') },
    ]);
    expect(fake.callsOf('ruleset.import')).toEqual([]);
  });

  it('previews a ruleset before installing it, and installs nothing on 取消', async () => {
    const added = { ...LIME, id: 'lime-kiln-nx', edition: '2025', industry: '石灰窑（宁夏）' };
    const fake = library({ 'ruleset.preview': () => previewOf(added) });
    renderLibrary(fake);
    await screen.findByText('水泥');

    const file = new File([JSON.stringify(added)], 'lime.json', { type: 'application/json' });
    fireEvent.change(screen.getByTestId('ruleset-file'), { target: { files: [file] } });

    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('安装前预览：lime.json')).toBeTruthy();
    expect(within(dialog).getByText('石灰窑（宁夏）')).toBeTruthy();
    expect(within(dialog).getByText(/新增 1 项、删除 0 项、修改 1 项指标/)).toBeTruthy();
    expect(within(dialog).getByText('A级要求：≤ 50 → ≤ 40')).toBeTruthy();
    expect(within(dialog).getByText(/当前账号（帮扶队员）不能向全区发布/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: /取\s*消/ }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(fake.callsOf('ruleset.import')).toEqual([]);
  });

  it('imports a ruleset after its preview, says so and lists it', async () => {
    let imported = false;
    const added = { ...LIME, id: 'lime-kiln-nx', edition: '2025', industry: '石灰窑（宁夏）' };
    const fake = library({
      'ruleset.list': () => [
        ...RULESETS.map((r) => summaryOf(r)),
        ...(imported ? [summaryOf(added, 'imported')] : []),
      ],
      'ruleset.preview': () => previewOf(added),
      'ruleset.import': () => {
        imported = true;
        return { summary: summaryOf(added, 'imported'), added: true };
      },
    });
    renderLibrary(fake);
    await screen.findByText('水泥');

    const file = new File([JSON.stringify(added)], 'lime.json', { type: 'application/json' });
    fireEvent.change(screen.getByTestId('ruleset-file'), { target: { files: [file] } });
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: /安\s*装/ }));

    expect(await screen.findByText('已导入')).toBeTruthy();
    const row = (await screen.findByText('石灰窑（宁夏）')).closest('tr') as HTMLElement;
    expect(within(row).getByText('导入')).toBeTruthy();
    expect(fake.callsOf('ruleset.import')[0]).toMatchObject({ fileName: 'lime.json' });
  });

  it('exports the ruleset shown as a downloaded file', async () => {
    const json = '{"id":"cement-clinker-2020"}\n';
    const fake = library({
      'ruleset.export': ({ format }) => ({
        fileName: `cement-clinker-2020-2020.${format ?? 'xlsx'}`,
        dataBase64: base64(json),
      }),
    });
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
    renderLibrary(fake);
    await openRuleset('水泥');

    fireEvent.click(screen.getByRole('button', { name: /导出 JSON/ }));

    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(fake.callsOf('ruleset.export')).toEqual([
      { id: 'cement-clinker-2020', edition: '2020', format: 'json' },
    ]);
    expect(clicked[0]).toEqual({
      href: 'blob:uplift-test',
      download: 'cement-clinker-2020-2020.json',
    });
    expect(blobs[0]?.type).toBe('application/json');
    expect(await blobs[0]?.text()).toBe(json);
    // The temporary link is gone again.
    expect(document.querySelector('a[download]')).toBeNull();
  });
});
