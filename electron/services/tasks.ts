import { AppError } from '../../shared/api/errors';

import type { AppContext } from './context';

/**
 * Long tasks (imports, exports) that report progress and can be cancelled. The caller names the
 * task (`taskId`); `task.cancel` flips its flag, and the task checks it between chunks of work,
 * so a cancelled task stops before it writes anything.
 */
export interface Task {
  readonly id: string;
  /** Reports progress of the current phase (读取, 校验, 写入…). */
  progress(phase: string, done: number, total: number): void;
  /** Throws `cancelled` if the user cancelled; await it between chunks so cancel can arrive. */
  checkpoint(): Promise<void>;
  /** Aborted when the user cancels: for work that waits on I/O (a request in flight). */
  readonly signal?: AbortSignal;
}

export class TaskRegistry {
  readonly #cancelled = new Set<string>();
  readonly #running = new Map<string, AbortController>();

  cancel(taskId: string): boolean {
    const controller = this.#running.get(taskId);
    if (!controller) return false;
    this.#cancelled.add(taskId);
    controller.abort();
    return true;
  }

  /** Runs `fn` as a task; without a taskId it still runs, just without progress events. */
  async run<T>(
    ctx: AppContext,
    taskId: string | undefined,
    fn: (task: Task) => Promise<T>,
  ): Promise<T> {
    const id = taskId ?? `anonymous-${Math.random().toString(36).slice(2)}`;
    if (this.#running.has(id)) throw new AppError('conflict', `任务 ${id} 已在运行`);
    const controller = new AbortController();
    this.#running.set(id, controller);
    let lastEmit = 0;
    const task: Task = {
      id,
      signal: controller.signal,
      progress: (phase, done, total) => {
        if (!taskId) return;
        const now = Date.now();
        // At most ~10 events a second, but always the last one of a phase.
        if (done < total && now - lastEmit < 100) return;
        lastEmit = now;
        ctx.events.emit('task.progress', { taskId, phase, done, total });
      },
      checkpoint: async () => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.#cancelled.has(id)) throw new AppError('cancelled', '已取消，未作任何修改');
      },
    };
    try {
      return await fn(task);
    } finally {
      this.#running.delete(id);
      this.#cancelled.delete(id);
    }
  }
}
