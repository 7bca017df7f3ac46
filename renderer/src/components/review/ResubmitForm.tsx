import { Alert, App, Button, Card, Form, Input, Select } from 'antd';
import { useState } from 'react';

import type { ApplicationDetail } from '../../../../shared/domain/review';
import { api } from '../../api';
import { errorText } from '../../errors';
import { showRefusal } from '../../form-errors';
import { useApplicationSources } from '../../queries';
import { planOptions, visitOptions } from './sourceOptions';

interface ResubmitValues {
  reason?: string;
  inspectionIds?: string[];
  planId?: string;
  applicant?: string;
}

const FIELDS = ['reason', 'inspectionIds', 'planId', 'applicant'] as const;

/** A returned application, supplemented and submitted again (the next round). */
export function ResubmitForm({
  detail,
  applicant,
  onDone,
}: {
  detail: ApplicationDetail;
  applicant: string;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ResubmitValues>();
  const sources = useApplicationSources(detail.enterpriseId);
  const [visits, plans] = sources.data ?? [[], []];
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);

  async function submit(values: ResubmitValues): Promise<void> {
    if (saving) return;
    setSaving(true);
    setRefusal(null);
    try {
      const reason = (values.reason ?? '').trim();
      await api.call('review.resubmit', {
        applicationId: detail.id,
        inspectionIds: values.inspectionIds ?? [],
        planId: values.planId ?? null,
        ...(reason ? { reason } : {}),
        applicant: values.applicant ?? '',
      });
      void message.success('已重新提交申报');
      onDone();
    } catch (e) {
      setRefusal(showRefusal(form, FIELDS, e) ?? null);
      void message.error(errorText(e, '重新提交未保存：'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card size="small" title="补充材料后重新提交" className="review-resubmit">
      <Form<ResubmitValues>
        form={form}
        name="resubmit"
        layout="vertical"
        initialValues={{
          inspectionIds: detail.inspectionIds,
          planId: detail.planId ?? undefined,
          applicant: applicant || detail.applicant,
        }}
        onFinish={(values) => void submit(values)}
        autoComplete="off"
      >
        <Form.Item
          name="reason"
          label="补充说明"
          rules={[{ required: true, whitespace: true, message: '请写明补充了什么' }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="inspectionIds" label="依据的现场检查（已定稿）">
          <Select
            mode="multiple"
            loading={sources.loading}
            options={visitOptions(visits)}
            placeholder="选择定稿的检查记录"
          />
        </Form.Item>
        <Form.Item name="planId" label="提升方案">
          <Select allowClear options={planOptions(plans)} placeholder="不关联方案" />
        </Form.Item>
        <Form.Item
          name="applicant"
          label="申报人"
          rules={[{ required: true, whitespace: true, message: '请填写申报人姓名' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={saving}>
          重新提交
        </Button>
      </Form>
    </Card>
  );
}
