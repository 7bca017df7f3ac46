import { exportAnnex2, importAnnex2, previewAnnex2Import } from '../../services/annex2';
import type { HandlerGroup } from '../types';

/**
 * The 提级扩面 list (附件2) as Excel, and the long-task control it needs. Export and import run as
 * tasks: with a `taskId` they emit task.progress (导出 查询/生成/写出; 导入 读取/校验/写入) and
 * task.cancel stops them before anything is written. importApply throws `invalid_input` (with every
 * problem as an issue) and writes nothing when the file has any problem; importPreview returns the
 * problems in the preview instead.
 */
export const registryHandlers = {
  'registry.export': ({ filter, taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, async (task) => {
      const result = await exportAnnex2(ctx, filter, task);
      return {
        fileName: result.fileName,
        dataBase64: result.data.toString('base64'),
        rows: result.rows,
      };
    }),
  'registry.importPreview': ({ dataBase64, taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, (task) =>
      previewAnnex2Import(ctx, Buffer.from(dataBase64, 'base64'), task),
    ),
  'registry.importApply': ({ dataBase64, taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, (task) =>
      importAnnex2(ctx, Buffer.from(dataBase64, 'base64'), task),
    ),
  'task.cancel': ({ taskId }, ctx) => ({ cancelled: ctx.tasks.cancel(taskId) }),
} satisfies HandlerGroup;
