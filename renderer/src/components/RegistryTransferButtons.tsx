import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useRef, useState } from 'react';

import type { ImportPreview } from '../../../shared/api/contract';
import { api } from '../api';
import { downloadFile, readFileBase64 } from '../files';
import { filterOf, useRegistryStore } from '../stores/registry';

import { ImportPreviewModal, importCounts } from './ImportPreviewModal';
import { HiddenFileInput } from './HiddenFileInput';
import { showImportRefusal } from './IssueList';
import { isCancelled, useTaskRunner } from './TaskProgress';
import { errorText } from '../errors';

/** The file being imported and what importing it would do. */
interface Pending {
  open: boolean;
  fileName: string;
  dataBase64: string;
  preview: ImportPreview;
}

export interface RegistryTransferButtonsProps {
  /** Reads the list again after an import. */
  onImported: () => Promise<void>;
}

/**
 * 导入清单 and 导出清单: the 提级扩面 list (附件2) as Excel. Both run as tasks with progress and
 * 取消; an import is previewed first and applied only after 确认导入.
 */
export function RegistryTransferButtons({ onImported }: RegistryTransferButtonsProps) {
  const { message, modal } = App.useApp();
  const task = useTaskRunner();
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [applying, setApplying] = useState(false);

  async function exportList(): Promise<void> {
    const filter = filterOf(useRegistryStore.getState());
    try {
      const file = await task.run(
        '正在导出清单',
        (taskId) => api.call('registry.export', { filter, taskId }),
        { discardIfCancelled: true },
      );
      downloadFile(file);
      void message.success(`已导出 ${file.rows} 行：${file.fileName}`);
    } catch (e) {
      if (isCancelled(e)) void message.info('已取消，未生成文件');
      else void message.error(`导出失败：${errorText(e)}`);
    }
  }

  async function previewFile(file: File): Promise<void> {
    try {
      const dataBase64 = await readFileBase64(file);
      const preview = await task.run(
        '正在检查清单',
        (taskId) => api.call('registry.importPreview', { fileName: file.name, dataBase64, taskId }),
        { discardIfCancelled: true },
      );
      setPending({ open: true, fileName: file.name, dataBase64, preview });
    } catch (e) {
      if (isCancelled(e)) void message.info('已取消，未导入任何内容');
      else showImportRefusal({ message, modal }, file.name, e);
    }
  }

  async function apply(): Promise<void> {
    if (!pending) return;
    const { fileName, dataBase64 } = pending;
    setApplying(true);
    try {
      const done = await task.run('正在导入清单', (taskId) =>
        api.call('registry.importApply', { fileName, dataBase64, taskId }),
      );
      setPending((p) => p && { ...p, open: false });
      void message.success(`已导入：${importCounts(done)}`);
      await onImported();
    } catch (e) {
      if (isCancelled(e)) {
        void message.info('已取消，未作任何修改');
      } else {
        // Refused (the file or the registry changed since the preview): nothing was written.
        setPending((p) => p && { ...p, open: false });
        showImportRefusal({ message, modal }, fileName, e);
      }
    } finally {
      setApplying(false);
    }
  }

  return (
    <>
      <Button icon={<UploadOutlined />} disabled={task.busy} onClick={() => input.current?.click()}>
        导入清单
      </Button>
      <Button icon={<DownloadOutlined />} disabled={task.busy} onClick={() => void exportList()}>
        导出清单
      </Button>
      <HiddenFileInput
        inputRef={input}
        accept=".xlsx"
        label="选择清单文件"
        testId="registry-file"
        onFile={(file) => void previewFile(file)}
      />
      <ImportPreviewModal
        open={pending?.open ?? false}
        fileName={pending?.fileName ?? ''}
        preview={pending?.preview ?? null}
        applying={applying}
        onConfirm={() => void apply()}
        onClose={() => setPending((p) => p && { ...p, open: false })}
        afterClose={() => setPending((p) => (p?.open ? p : null))}
      />
      {task.modal}
    </>
  );
}
