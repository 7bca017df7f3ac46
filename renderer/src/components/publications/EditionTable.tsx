import { FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import { App, Button, Space, Table, type TableColumnsType } from 'antd';

import type { PublicationSummary } from '../../../../shared/api/contract';
import { api } from '../../api';
import { dateTimeText } from '../../dates';
import { errorText } from '../../errors';
import { downloadFile } from '../../files';
import { isCancelled, useTaskRunner } from '../TaskProgress';

export interface EditionTableProps {
  editions: PublicationSummary[] | undefined;
  loading: boolean;
}

/** The published editions of a scope (第 N 期, newest first), each as Excel or as a 公告 PDF. */
export function EditionTable({ editions, loading }: EditionTableProps) {
  const { message } = App.useApp();
  const task = useTaskRunner();

  async function exportEdition(p: PublicationSummary, kind: 'excel' | 'pdf'): Promise<void> {
    try {
      const file =
        kind === 'excel'
          ? await task.run(
              `正在导出第${p.edition}期 Excel`,
              (taskId) => api.call('publication.exportExcel', { id: p.id, taskId }),
              { discardIfCancelled: true },
            )
          : await task.run(
              `正在生成第${p.edition}期公告 PDF`,
              (taskId) => api.call('publication.exportPdf', { id: p.id, taskId }),
              { discardIfCancelled: true },
            );
      downloadFile(file);
      void message.success(`已导出：${file.fileName}`);
    } catch (e) {
      if (isCancelled(e)) void message.info('已取消，未生成文件');
      else void message.error(`导出失败：${errorText(e)}`);
    }
  }

  const columns: TableColumnsType<PublicationSummary> = [
    { title: '期号', key: 'edition', width: 80, render: (_, p) => `第${p.edition}期` },
    { title: '标题', dataIndex: 'title', key: 'title', ellipsis: true },
    {
      title: '发布日期',
      key: 'publishedAt',
      width: 150,
      render: (_, p) => dateTimeText(p.publishedAt),
    },
    { title: '发布人', dataIndex: 'publishedBy', key: 'publishedBy', width: 120 },
    { title: '条数', dataIndex: 'rowCount', key: 'rowCount', width: 70 },
    {
      title: '导出',
      key: 'export',
      width: 210,
      render: (_, p) => (
        <Space size={4}>
          <Button
            size="small"
            icon={<FileExcelOutlined />}
            aria-label={`导出第${p.edition}期 Excel`}
            onClick={() => void exportEdition(p, 'excel')}
          >
            导出Excel
          </Button>
          <Button
            size="small"
            icon={<FilePdfOutlined />}
            aria-label={`导出第${p.edition}期 PDF`}
            onClick={() => void exportEdition(p, 'pdf')}
          >
            导出PDF
          </Button>
        </Space>
      ),
    },
  ];

  return (
    <>
      <Table<PublicationSummary>
        rowKey="id"
        size="middle"
        tableLayout="fixed"
        className="publication-editions"
        loading={loading}
        columns={columns}
        dataSource={editions ?? []}
        locale={{ emptyText: '尚未发布过公示名单' }}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
      />
      {task.modal}
    </>
  );
}
