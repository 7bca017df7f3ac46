import { App, Button, Modal, Progress, Spin, Typography } from 'antd';
import { useCallback, useRef, useState } from 'react';

import { countsBytes } from '../../../shared/sync/status';
import { api, ApiError } from '../api';
import { errorText } from '../errors';

/** A name for a long task (export, import), as task.progress and task.cancel know it. */
export function newTaskId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** True when a task stopped because the user cancelled it. */
export function isCancelled(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'cancelled';
}

/** The task being followed; kept (closed) after it ends so the modal can fade out intact. */
export interface TaskProgressState {
  open: boolean;
  title: string;
  taskId: string;
  phase: string | null;
  done: number;
  total: number;
  cancelling: boolean;
}

function megabytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

export function percentOf(done: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.round((done / total) * 100)));
}

export interface TaskProgressModalProps {
  state: TaskProgressState | null;
  onCancel: () => void;
}

/**
 * What the modal says: the phase with its percent, or — while the total is not known yet (a
 * pull does not know how much remains) — how much is done so far.
 */
export function progressText(state: TaskProgressState | null): string {
  if (state?.cancelling) return '正在取消…';
  if (!state?.phase) return '正在准备…';
  if (state.total <= 0) {
    return state.done > 0
      ? `${state.phase}：已处理 ${state.done.toLocaleString('zh-CN')}，总量待定`
      : `${state.phase}…`;
  }
  const counts = countsBytes(state.phase)
    ? `${megabytes(state.done)}/${megabytes(state.total)} MB`
    : `${state.done}/${state.total}`;
  return `${state.phase}：${percentOf(state.done, state.total)}%（${counts}）`;
}

/** A long task's phase and percent, fed by task.progress, with 取消 (task.cancel). */
export function TaskProgressModal({ state, onCancel }: TaskProgressModalProps) {
  const percent = state ? percentOf(state.done, state.total) : 0;
  const unknownTotal = !!state?.phase && state.total <= 0 && !state.cancelling;
  return (
    <Modal
      open={state?.open ?? false}
      title={state?.title}
      closable={false}
      mask={{ closable: false }}
      keyboard={false}
      zIndex={1100}
      width={420}
      footer={
        <Button onClick={onCancel} loading={state?.cancelling} disabled={state?.cancelling}>
          取消
        </Button>
      }
    >
      <div className="task-progress" role="status" aria-label="任务进度">
        <Typography.Text>{progressText(state)}</Typography.Text>
        {unknownTotal ? (
          <div className="task-progress-spin">
            <Spin size="small" />
          </div>
        ) : (
          <Progress percent={percent} status={state?.cancelling ? 'normal' : 'active'} />
        )}
      </div>
    </Modal>
  );
}

export interface TaskRunOptions {
  /**
   * For tasks that change nothing (export, preview): if the user asked to cancel and the answer
   * came anyway (the task ended before the cancel reached it), reject as cancelled and drop it.
   */
  discardIfCancelled?: boolean;
}

export interface TaskRunner {
  /**
   * Runs `work` as a task under a fresh taskId: the modal shows its task.progress events and
   * offers 取消 until it settles. Rejects as `work` does (ApiError 'cancelled' when cancelled).
   */
  run: <T>(
    title: string,
    work: (taskId: string) => Promise<T>,
    options?: TaskRunOptions,
  ) => Promise<T>;
  /** True while a task runs. */
  busy: boolean;
  /** The progress modal; render it once. */
  modal: React.JSX.Element;
}

const CANCEL_ATTEMPTS = 40;
const CANCEL_RETRY_MS = 250;

/** Follows one long task at a time with a progress modal. */
export function useTaskRunner(): TaskRunner {
  const { message } = App.useApp();
  const [state, setState] = useState<TaskProgressState | null>(null);
  /** Tasks still running here, and whether the user asked to cancel each. */
  const running = useRef(new Map<string, { cancelRequested: boolean }>());

  const run = useCallback(
    async <T,>(
      title: string,
      work: (taskId: string) => Promise<T>,
      options: TaskRunOptions = {},
    ): Promise<T> => {
      const taskId = newTaskId();
      const entry = { cancelRequested: false };
      running.current.set(taskId, entry);
      setState({ open: true, title, taskId, phase: null, done: 0, total: 0, cancelling: false });
      // Listening before the call starts, so the first event is not missed.
      const stop = api.on('task.progress', (p) => {
        if (p.taskId !== taskId) return;
        setState((s) =>
          s?.taskId === taskId ? { ...s, phase: p.phase, done: p.done, total: p.total } : s,
        );
      });
      try {
        const result = await work(taskId);
        if (entry.cancelRequested && options.discardIfCancelled) {
          throw new ApiError({ code: 'cancelled', message: '已取消' });
        }
        return result;
      } finally {
        running.current.delete(taskId);
        stop();
        setState((s) => (s?.taskId === taskId ? { ...s, open: false } : s));
      }
    },
    [],
  );

  async function cancel(): Promise<void> {
    if (!state?.open || state.cancelling) return;
    const { taskId } = state;
    const entry = running.current.get(taskId);
    if (!entry) return;
    entry.cancelRequested = true;
    setState((s) => (s?.taskId === taskId ? { ...s, cancelling: true } : s));
    try {
      // false means the Node side has no such task running: either it already ended (its answer
      // is on its way) or it has not started yet (the file is still being sent), so ask again
      // for as long as it runs here.
      for (let attempt = 0; attempt < CANCEL_ATTEMPTS && running.current.has(taskId); attempt++) {
        const { cancelled } = await api.call('task.cancel', { taskId });
        if (cancelled) return;
        await new Promise((resolve) => setTimeout(resolve, CANCEL_RETRY_MS));
      }
      // Still running and never cancelled: let the user try again.
      setState((s) => (s?.taskId === taskId && s.open ? { ...s, cancelling: false } : s));
    } catch (e) {
      setState((s) => (s?.taskId === taskId ? { ...s, cancelling: false } : s));
      void message.error(`取消失败：${errorText(e)}`);
    }
  }

  return {
    run,
    busy: state?.open ?? false,
    modal: <TaskProgressModal state={state} onCancel={() => void cancel()} />,
  };
}
