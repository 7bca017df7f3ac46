import { Alert, Button, Modal, Table, Typography, type TableColumnsType } from 'antd';

import type { ImportPreview, ImportProblem } from '../../../shared/api/contract';

/** The counts of an import, as the preview and the success message word them. */
export function importCounts(p: ImportPreview): string {
  return `新增企业 ${p.enterprisesAdded} 家、新增行业/工序 ${p.processesAdded} 个、变更 ${p.changed.length} 处、未变 ${p.unchanged} 行`;
}

/** One changed field of one row (the preview lists changes per field). */
interface ChangeRow {
  key: string;
  row: number;
  enterprise: string;
  industry: string | null;
  field: string;
  from: string | null;
  to: string | null;
}

function changeRows(preview: ImportPreview): ChangeRow[] {
  return preview.changed.flatMap((c, i) =>
    c.changes.map((change, j) => ({
      key: `${i}-${j}`,
      row: c.row,
      enterprise: c.enterprise,
      industry: c.industry,
      ...change,
    })),
  );
}

function shown(value: string | null): string {
  return value === null || value === '' ? '（空）' : value;
}

const CHANGE_COLUMNS: TableColumnsType<ChangeRow> = [
  { title: '行', dataIndex: 'row', key: 'row', width: 70 },
  { title: '企业', dataIndex: 'enterprise', key: 'enterprise', width: 220, ellipsis: true },
  {
    title: '行业',
    key: 'industry',
    width: 160,
    ellipsis: true,
    render: (_, r) => r.industry ?? '企业信息',
  },
  { title: '字段', dataIndex: 'field', key: 'field', width: 130 },
  {
    title: '原值 → 新值',
    key: 'values',
    render: (_, r) => `${shown(r.from)} → ${shown(r.to)}`,
  },
];

type ProblemRow = ImportProblem & { key: number };

const PROBLEM_COLUMNS: TableColumnsType<ProblemRow> = [
  { title: '行', key: 'row', width: 70, render: (_, p) => p.row ?? '—' },
  { title: '列', key: 'column', width: 150, render: (_, p) => p.column ?? '—' },
  { title: '值', key: 'value', width: 180, ellipsis: true, render: (_, p) => p.value ?? '—' },
  { title: '原因', dataIndex: 'message', key: 'message' },
];

export interface ImportPreviewModalProps {
  open: boolean;
  fileName: string;
  preview: ImportPreview | null;
  /** True while importApply runs. */
  applying: boolean;
  onConfirm: () => void;
  onClose: () => void;
  /** Called once the modal has faded out (to let go of the file). */
  afterClose?: () => void;
}

/**
 * 导入预览: what importing the file would add and change, or every problem that stops it (a file
 * with any problem is not imported at all, so 确认导入 is disabled then).
 */
export function ImportPreviewModal({
  open,
  fileName,
  preview,
  applying,
  onConfirm,
  onClose,
  afterClose,
}: ImportPreviewModalProps) {
  const problems = preview?.problems ?? [];
  const changes = preview ? changeRows(preview) : [];
  const blocked = problems.length > 0;
  const nothingToDo =
    preview !== null &&
    !blocked &&
    preview.enterprisesAdded === 0 &&
    preview.processesAdded === 0 &&
    preview.changed.length === 0;

  return (
    <Modal
      open={open}
      title="导入预览"
      width={960}
      onCancel={() => {
        if (!applying) onClose();
      }}
      afterClose={afterClose}
      mask={{ closable: false }}
      footer={[
        <Button key="close" onClick={onClose} disabled={applying}>
          关闭
        </Button>,
        <Button
          key="confirm"
          type="primary"
          disabled={blocked}
          loading={applying}
          onClick={onConfirm}
        >
          确认导入
        </Button>,
      ]}
    >
      {preview && (
        <div className="import-preview">
          <Typography.Paragraph>
            文件“{fileName}”共读取 {preview.rows} 行：
            <Typography.Text strong className="import-counts">
              {importCounts(preview)}
            </Typography.Text>
          </Typography.Paragraph>
          {blocked && (
            <>
              <Alert
                type="error"
                showIcon
                title={`文件有 ${problems.length} 处问题，不会导入任何内容`}
                description="请在文件中逐一改正下列问题后重新导入。"
                className="import-alert"
              />
              <section aria-label="问题清单" className="import-section">
                <Typography.Title level={5}>问题清单</Typography.Title>
                <Table<ProblemRow>
                  className="import-problems"
                  size="small"
                  rowKey="key"
                  columns={PROBLEM_COLUMNS}
                  dataSource={problems.map((p, i) => ({ ...p, key: i }))}
                  pagination={false}
                  scroll={problems.length > 10 ? { y: 320 } : undefined}
                />
              </section>
            </>
          )}
          {nothingToDo && (
            <Alert
              type="info"
              showIcon
              title="文件内容与台账一致，导入不会改动任何内容"
              className="import-alert"
            />
          )}
          {changes.length > 0 && (
            <section aria-label="变更明细" className="import-section">
              <Typography.Title level={5}>变更明细</Typography.Title>
              <Table<ChangeRow>
                className="import-changes"
                size="small"
                rowKey="key"
                columns={CHANGE_COLUMNS}
                dataSource={changes}
                pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
              />
            </section>
          )}
        </div>
      )}
    </Modal>
  );
}
