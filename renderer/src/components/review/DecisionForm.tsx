import { Alert, App, Button, Card, Checkbox, Form, Input, Radio } from 'antd';
import { useEffect, useState } from 'react';

import {
  DECISIONS,
  type ApplicationDetail,
  type Decision,
  type DecisionStep,
} from '../../../../shared/domain/review';
import { api } from '../../api';
import { errorText } from '../../errors';
import { showRefusal } from '../../form-errors';

interface DecisionValues {
  decision?: Decision;
  opinion?: string;
  requestVisit?: boolean;
  documentNo?: string;
  decidedBy?: string;
}

const FIELDS = ['decision', 'opinion', 'requestVisit', 'documentNo', 'decidedBy'] as const;

/** A reviewer's decision on one step: 通过 / 退回补充 / 不予通过 with a required 意见. */
export function DecisionForm({
  detail,
  step,
  reviewer,
  onDone,
}: {
  detail: ApplicationDetail;
  step: DecisionStep;
  reviewer: string;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<DecisionValues>();
  const decision = Form.useWatch('decision', form);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const formName = `decision-${step}`;

  // The reviewer's name arrives with the account, which may come after the application.
  useEffect(() => {
    if (reviewer && !form.getFieldValue('decidedBy')) form.setFieldValue('decidedBy', reviewer);
  }, [reviewer, form]);

  async function submit(values: DecisionValues): Promise<void> {
    if (saving || values.decision === undefined) return;
    setSaving(true);
    setRefusal(null);
    try {
      const documentNo = values.decision === '通过' ? (values.documentNo ?? '').trim() : '';
      await api.call('review.decide', {
        applicationId: detail.id,
        step,
        decision: values.decision,
        opinion: values.opinion ?? '',
        requestVisit: values.requestVisit === true,
        decidedBy: values.decidedBy ?? '',
        ...(documentNo ? { documentNo } : {}),
      });
      void message.success(`已记录${step}决定：${values.decision}`);
      form.resetFields();
      onDone();
    } catch (e) {
      setRefusal(showRefusal(form, FIELDS, e) ?? null);
      void message.error(errorText(e, '审核决定未保存：'));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card size="small" title={step} className="review-decision">
      <Form<DecisionValues>
        form={form}
        name={formName}
        layout="vertical"
        initialValues={{ decidedBy: reviewer, requestVisit: false }}
        onFinish={(values) => void submit(values)}
        autoComplete="off"
      >
        <Form.Item
          name="decision"
          label="审核决定"
          rules={[{ required: true, message: '请选择通过、退回补充或不予通过' }]}
        >
          <Radio.Group options={DECISIONS.map((d) => ({ value: d, label: d }))} />
        </Form.Item>
        <Form.Item
          name="opinion"
          label="审核意见"
          rules={[
            { required: true, whitespace: true, message: '请填写审核意见' },
            { min: 2, message: '请填写审核意见（至少2个字）' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="requestVisit" valuePropName="checked">
          <Checkbox>要求现场核查</Checkbox>
        </Form.Item>
        {decision === '通过' && (
          <Form.Item name="documentNo" label="认定文号（选填）">
            <Input maxLength={100} />
          </Form.Item>
        )}
        <Form.Item
          name="decidedBy"
          label="审核人"
          rules={[{ required: true, whitespace: true, message: '请填写审核人姓名' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 12 }} />}
        <Button type="primary" htmlType="submit" loading={saving}>
          提交{step}决定
        </Button>
      </Form>
    </Card>
  );
}
