import { PaperClipOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Upload, type UploadFile } from 'antd';
import { useState } from 'react';

import { EVIDENCE_MAX_BYTES } from '../../../../shared/domain/inspection';
import { VIOLATION_KINDS } from '../../../../shared/grading/types';
import { api } from '../../api';
import { readFileBase64 } from '../../files';
import { showRefusal } from '../../form-errors';
import { DateField } from '../DateField';
import { errorText } from '../../errors';

export const VIOLATION_FORM = 'violation';

interface FormValues {
  kind: string | undefined;
  date: string;
  note: string;
}

const FIELDS = ['kind', 'date', 'note'] as const;

export interface ViolationModalProps {
  open: boolean;
  enterpriseId: string;
  enterpriseName: string;
  /** The visit it was found on, if any. */
  inspectionId: string | null;
  defaultDate: string;
  onClose: () => void;
  onSaved: () => void;
}

/**
 * 记录违法情形: 超标排放, 偷排偷放, 治理设施不正常运行 or 弄虚作假, with its date and evidence.
 * The enterprise drops to its floor grade and may not apply again for a year.
 */
export function ViolationModal(props: ViolationModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(values: FormValues): Promise<void> {
    setSaving(true);
    setProblem(null);
    try {
      const violation = await api.call('violation.create', {
        enterpriseId: props.enterpriseId,
        date: values.date,
        kind: (values.kind ?? '') as (typeof VIOLATION_KINDS)[number],
        note: values.note,
        inspectionId: props.inspectionId,
      });
      const failed: string[] = [];
      for (const f of files) {
        const file = f.originFileObj;
        if (!file) continue;
        try {
          await api.call('evidence.add', {
            violationId: violation.id,
            file: { fileName: file.name, dataBase64: await readFileBase64(file) },
            takenAt: file.lastModified > 0 ? file.lastModified : null,
          });
        } catch (e) {
          failed.push(errorText(e, `${file.name}：`));
        }
      }
      if (failed.length > 0)
        void message.warning(`违法记录已保存，但有证据未保存：${failed.join('；')}`);
      else void message.success('违法记录已保存');
      props.onSaved();
    } catch (e) {
      setProblem(showRefusal(form, FIELDS, e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={props.open}
      title={`记录违法情形 · ${props.enterpriseName}`}
      okText="保存"
      okButtonProps={{ danger: true }}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={props.onClose}
      destroyOnHidden
      afterClose={() => {
        setFiles([]);
        setProblem(null);
      }}
    >
      <Alert
        type="warning"
        showIcon
        title="记录后，企业各工序降至最低等级，且一年内不得申请提级。"
        style={{ marginBottom: 12 }}
      />
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form<FormValues>
        name={VIOLATION_FORM}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ note: '', date: props.defaultDate }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          label="违法情形"
          name="kind"
          rules={[{ required: true, message: '请选择违法情形' }]}
        >
          <Select
            placeholder="请选择"
            options={VIOLATION_KINDS.map((k) => ({ value: k, label: k }))}
          />
        </Form.Item>
        <Form.Item label="发现日期" name="date" rules={[{ required: true, message: '请填写日期' }]}>
          <DateField allowClear={false} />
        </Form.Item>
        <Form.Item label="说明" name="note">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} />
        </Form.Item>
        <Form.Item label="证据（照片或 PDF）">
          <Upload
            accept="image/*,application/pdf"
            multiple
            fileList={files}
            beforeUpload={(file) => {
              if (file.size > EVIDENCE_MAX_BYTES) {
                void message.error(
                  `“${file.name}”超过 ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB 的上限，未添加`,
                );
                return Upload.LIST_IGNORE;
              }
              return false;
            }}
            onChange={({ fileList }) => setFiles(fileList)}
          >
            <Button icon={<PaperClipOutlined />}>选择文件</Button>
          </Upload>
        </Form.Item>
      </Form>
    </Modal>
  );
}
