import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Space } from 'antd';
import { useRef, useState } from 'react';

import type { RulesetPreview } from '../../../shared/api/contract';
import { api } from '../api';
import { downloadFile, readFileBase64 } from '../files';

import { HiddenFileInput } from './HiddenFileInput';
import { showImportRefusal } from './IssueList';
import { RulesetPreviewModal } from './RulesetPreviewModal';
import { errorText } from '../errors';

export interface RulesetImportButtonsProps {
  /** Fetches the ruleset list again (after an import here). */
  onImported: () => Promise<void>;
}

/** 下载模板 and 导入指标体系 (an .xlsx filled from the template, or a ruleset JSON). */
export function RulesetImportButtons({ onImported }: RulesetImportButtonsProps) {
  const { message, modal } = App.useApp();
  const input = useRef<HTMLInputElement>(null);
  const [importing, setImporting] = useState(false);
  const [fetchingTemplate, setFetchingTemplate] = useState(false);
  const [pending, setPending] = useState<{
    fileName: string;
    dataBase64: string;
    preview: RulesetPreview;
  } | null>(null);
  const [installing, setInstalling] = useState(false);

  async function template(): Promise<void> {
    setFetchingTemplate(true);
    try {
      downloadFile(await api.call('ruleset.template', {}));
    } catch (e) {
      void message.error(`下载模板失败：${errorText(e)}`);
    } finally {
      setFetchingTemplate(false);
    }
  }

  /** Reads the file and shows what it would install; nothing is installed before 安装. */
  async function previewFile(file: File): Promise<void> {
    setImporting(true);
    try {
      const dataBase64 = await readFileBase64(file);
      const preview = await api.call('ruleset.preview', { fileName: file.name, dataBase64 });
      setPending({ fileName: file.name, dataBase64, preview });
    } catch (e) {
      showImportRefusal({ message, modal }, file.name, e);
    } finally {
      setImporting(false);
    }
  }

  async function install(): Promise<void> {
    if (!pending) return;
    setInstalling(true);
    try {
      const { added } = await api.call('ruleset.import', {
        fileName: pending.fileName,
        dataBase64: pending.dataBase64,
      });
      void message.success(added ? '已导入' : '内容相同，未改动');
      setPending(null);
      await onImported();
    } catch (e) {
      setPending(null);
      showImportRefusal({ message, modal }, pending.fileName, e);
    } finally {
      setInstalling(false);
    }
  }

  return (
    <Space>
      <Button
        icon={<DownloadOutlined />}
        loading={fetchingTemplate}
        onClick={() => void template()}
      >
        下载模板
      </Button>
      <Button
        type="primary"
        icon={<UploadOutlined />}
        loading={importing}
        onClick={() => input.current?.click()}
      >
        导入指标体系
      </Button>
      <HiddenFileInput
        inputRef={input}
        accept=".xlsx,.json"
        label="选择指标体系文件"
        testId="ruleset-file"
        onFile={(file) => void previewFile(file)}
      />
      {pending && (
        <RulesetPreviewModal
          fileName={pending.fileName}
          preview={pending.preview}
          installing={installing}
          onInstall={() => void install()}
          onCancel={() => setPending(null)}
        />
      )}
    </Space>
  );
}
