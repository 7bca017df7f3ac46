import { App, Form, Input, Modal, Typography } from 'antd';
import { useEffect, useState } from 'react';

import type { PublicationPreview } from '../../../../shared/api/contract';
import { api } from '../../api';
import { errorText } from '../../errors';

interface PublishForm {
  title: string;
  publishedBy: string;
}

export interface PublishModalProps {
  open: boolean;
  preview: PublicationPreview;
  onClose: () => void;
  /** After the edition is written (reads the lists again). */
  onPublished: () => Promise<void>;
}

/**
 * 发布第 N 期: the title (the default one filled in) and who publishes it, with what publishing
 * means: the list is frozen as it stands, and later changes need a new edition.
 */
export function PublishModal({ open, preview, onClose, onPublished }: PublishModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PublishForm>();
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ title: preview.title, publishedBy: preview.accountName ?? '' });
  }, [open, form, preview.title, preview.accountName]);

  async function publish(): Promise<void> {
    const values = await form.validateFields();
    setSaving(true);
    try {
      const done = await api.call('publication.publish', {
        scope: preview.scope,
        title: values.title.trim() === '' ? null : values.title,
        publishedBy: values.publishedBy,
      });
      void message.success(`已发布第${done.edition}期（${done.rowCount} 条）`);
      onClose();
      await onPublished();
    } catch (e) {
      void message.error(`发布失败：${errorText(e)}`);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title={`发布${preview.scopeName}第${preview.nextEdition}期公示名单？`}
      okText={`发布第${preview.nextEdition}期`}
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void publish()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        将发布{preview.scopeName}当前的 {preview.rows.length}{' '}
        条认定结果。发布后本期内容不再改变；以后认定等级有变化，须发布新一期。
      </Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="title" label="标题" rules={[{ max: 200, message: '标题不能超过200个字' }]}>
          <Input />
        </Form.Item>
        <Form.Item
          name="publishedBy"
          label="发布人"
          rules={[
            { required: true, whitespace: true, message: '请填写发布人姓名' },
            { max: 50, message: '姓名不能超过50个字' },
          ]}
        >
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
