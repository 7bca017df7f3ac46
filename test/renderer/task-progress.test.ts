import { describe, expect, it } from 'vitest';

import { progressText, type TaskProgressState } from '../../renderer/src/components/TaskProgress';

const state = (over: Partial<TaskProgressState>): TaskProgressState => ({
  open: true,
  title: '正在同步',
  taskId: 't1',
  phase: null,
  done: 0,
  total: 0,
  cancelling: false,
  ...over,
});

describe('what the progress window says', () => {
  it('gives the phase, its percent and the counts when the total is known', () => {
    expect(progressText(state({ phase: '推送', done: 250, total: 1000 }))).toBe(
      '推送：25%（250/1000）',
    );
  });

  it('counts the bytes of a download in MB', () => {
    expect(
      progressText(state({ phase: '下载快照', done: 9.5 * 1024 * 1024, total: 19 * 1024 * 1024 })),
    ).toBe('下载快照：50%（9.5/19.0 MB）');
  });

  it('says how much is done, not 0%, while the total is not known (a pull)', () => {
    expect(progressText(state({ phase: '拉取', done: 45000, total: 0 }))).toBe(
      '拉取：已处理 45,000，总量待定',
    );
    expect(progressText(state({ phase: '拉取' }))).toBe('拉取…');
  });

  it('says it is preparing before the first phase, and cancelling once asked', () => {
    expect(progressText(state({}))).toBe('正在准备…');
    expect(progressText(state({ phase: '拉取', done: 5, cancelling: true }))).toBe('正在取消…');
  });
});
