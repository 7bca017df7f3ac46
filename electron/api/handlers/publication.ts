import {
  exportPublicationExcel,
  exportPublicationPdf,
  getPublication,
  listPublications,
  previewPublication,
  publishPublication,
} from '../../services/publications';
import type { HandlerGroup } from '../types';

/**
 * 信息公开: the list as it would be published now, publishing it as a frozen edition, the
 * editions, and an edition as Excel or as a 公告 PDF (as tasks with task.progress: 生成 and 写出 for Excel,
 * 生成 for the PDF; task.cancel stops them before the file is returned).
 */
export const publicationHandlers = {
  'publication.preview': (input, ctx) => previewPublication(ctx, input),
  'publication.publish': (input, ctx) => publishPublication(ctx, input),
  'publication.list': (input, ctx) => listPublications(ctx, input),
  'publication.get': ({ id }, ctx) => getPublication(ctx, id),
  'publication.exportExcel': ({ id, taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, async (task) => {
      const file = await exportPublicationExcel(getPublication(ctx, id), task);
      return { fileName: file.fileName, dataBase64: file.data.toString('base64'), rows: file.rows };
    }),
  'publication.exportPdf': ({ id, taskId }, ctx) =>
    ctx.tasks.run(ctx, taskId, async (task) => {
      task.progress('生成', 0, 1);
      const pdf = await exportPublicationPdf(getPublication(ctx, id));
      task.progress('生成', 1, 1);
      await task.checkpoint();
      return { fileName: pdf.fileName, dataBase64: pdf.bytes.toString('base64'), pages: pdf.pages };
    }),
} satisfies HandlerGroup;
