import { Alert, App, Button, Drawer, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';

import { findIndustry } from '../../../../shared/domain/catalog';
import {
  APPLICABLE_GRADES,
  APPLICATION_KINDS,
  routeFor,
  type ApplicableGrade,
  type ApplicationDetail,
  type ApplicationKind,
} from '../../../../shared/domain/review';
import { api } from '../../api';
import { errorText } from '../../errors';
import { showRefusal } from '../../form-errors';
import { useApplicationSources, useCatalog, useProcesses, useReviewAccount } from '../../queries';
import { gradeName, personOf, routeSentence } from './reviewText';
import { planOptions, visitOptions } from './sourceOptions';

/** The whole enterprise in the 对象 select (a process is chosen by its id). */
const WHOLE = 'whole';

interface ApplyValues {
  kind: ApplicationKind;
  /** A process's id, or WHOLE. */
  processId: string;
  targetGrade?: ApplicableGrade;
  inspectionIds?: string[];
  planId?: string;
  basisGrade?: string;
  reason?: string;
  applicant?: string;
}

const FIELDS = [
  'kind',
  'processId',
  'targetGrade',
  'inspectionIds',
  'planId',
  'basisGrade',
  'reason',
  'applicant',
] as const;

export interface ApplyDrawerProps {
  open: boolean;
  /** The enterprise applying (its name is shown; its id is sent). */
  enterprise: { id: string; name: string } | null;
  onClose: () => void;
  /** The visit the 申报 starts from (a finalized visit's page), chosen beforehand. */
  visitId?: string;
  onApplied?: (application: ApplicationDetail) => void;
}

/** 申报: an application for a grade or for 保障类, with the finalized visits and plan it rests on. */
export function ApplyDrawer({ open, enterprise, onClose, visitId, onApplied }: ApplyDrawerProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<ApplyValues>();
  const enterpriseId = open && enterprise ? enterprise.id : null;
  const processes = useProcesses(enterpriseId);
  const catalog = useCatalog(enterpriseId !== null);
  const sources = useApplicationSources(enterpriseId);
  const account = useReviewAccount(enterpriseId !== null);
  const [visits, plans] = sources.data ?? [[], []];
  const kind = Form.useWatch('kind', form) ?? '等级';
  const targetGrade = Form.useWatch('targetGrade', form) ?? null;
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const applicant = personOf(account.data?.account ?? null);

  // Each opening starts blank (with the visit it was opened from).
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, enterpriseId, form]);

  /** Closing drops the last refusal: the next opening starts clean. */
  function close(): void {
    setRefusal(null);
    onClose();
  }

  // The applicant's name arrives with the account.
  useEffect(() => {
    if (open && applicant && !form.getFieldValue('applicant')) {
      form.setFieldValue('applicant', applicant);
    }
  }, [open, applicant, form]);

  // A visit given beforehand sets the 核查等级 once the visits are in.
  useEffect(() => {
    if (!open || !visitId) return;
    const visit = visits.find((v) => v.id === visitId);
    if (visit && !form.getFieldValue('basisGrade') && visit.grade !== null) {
      form.setFieldValue('basisGrade', visit.grade);
    }
  }, [open, visitId, visits, form]);

  function processLabel(p: { industryCode: string; name: string | null; branch: string }) {
    const industry =
      (catalog.data && findIndustry(catalog.data, p.industryCode)?.name) ?? p.industryCode;
    return p.name ? `${industry} · ${p.name}` : `${industry}（${p.branch}）`;
  }

  /** 核查等级 follows the latest visit chosen. */
  function onValuesChange(changed: Partial<ApplyValues>): void {
    form.setFields(FIELDS.filter((name) => name in changed).map((name) => ({ name, errors: [] })));
    if (changed.inspectionIds) {
      const chosen = visits
        .filter((v) => changed.inspectionIds?.includes(v.id))
        .sort((a, b) => (a.date < b.date ? 1 : -1));
      const latest = chosen[0];
      if (latest && latest.grade !== null) form.setFieldValue('basisGrade', latest.grade);
    }
  }

  async function submit(values: ApplyValues): Promise<void> {
    if (saving || !enterprise) return;
    setSaving(true);
    setRefusal(null);
    try {
      const basisGrade = (values.basisGrade ?? '').trim();
      const reason = (values.reason ?? '').trim();
      const created = await api.call('review.apply', {
        enterpriseId: enterprise.id,
        processId: values.processId === WHOLE ? null : values.processId,
        kind: values.kind,
        targetGrade: values.kind === '等级' ? (values.targetGrade ?? null) : null,
        inspectionIds: values.inspectionIds ?? [],
        planId: values.planId ?? null,
        ...(basisGrade ? { basisGrade } : {}),
        ...(reason ? { reason } : {}),
        applicant: values.applicant ?? '',
      });
      void message.success('已提交申报，可在“审核评定”中查看审核进度');
      onApplied?.(created);
      close();
    } catch (e) {
      setRefusal(showRefusal(form, FIELDS, e) ?? null);
      void message.error(errorText(e, '申报未提交：'));
    } finally {
      setSaving(false);
    }
  }

  const route = routeFor(kind, kind === '等级' ? targetGrade : null);

  return (
    <Drawer
      title={enterprise ? `申报：${enterprise.name}` : '申报'}
      open={open}
      onClose={close}
      size={640}
      forceRender
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={close}>取消</Button>
          <Button type="primary" htmlType="submit" form="apply" loading={saving}>
            提交申报
          </Button>
        </Space>
      }
    >
      <Form<ApplyValues>
        form={form}
        name="apply"
        layout="vertical"
        initialValues={{
          kind: '等级',
          processId: WHOLE,
          inspectionIds: visitId ? [visitId] : [],
          applicant,
        }}
        onFinish={(values) => void submit(values)}
        onValuesChange={onValuesChange}
        autoComplete="off"
      >
        <Form.Item name="kind" label="申报类型">
          <Radio.Group
            optionType="button"
            options={APPLICATION_KINDS.map((k) => ({ value: k, label: k }))}
          />
        </Form.Item>
        <Form.Item name="processId" label="申报对象">
          <Select
            loading={processes.loading}
            options={[
              { value: WHOLE, label: '整个企业' },
              ...(processes.data ?? []).map((p) => ({ value: p.id, label: processLabel(p) })),
            ]}
          />
        </Form.Item>
        {kind === '等级' && (
          <Form.Item
            name="targetGrade"
            label="申报等级"
            rules={[{ required: true, message: '请选择申报等级' }]}
          >
            <Select
              placeholder="选择申报等级"
              options={APPLICABLE_GRADES.map((g) => ({ value: g, label: gradeName(g) }))}
            />
          </Form.Item>
        )}
        {(kind === '保障类' || targetGrade !== null) && (
          <Alert
            type="info"
            showIcon
            title={routeSentence(route)}
            style={{ marginBottom: 16 }}
            className="apply-route"
          />
        )}
        <Form.Item
          name="inspectionIds"
          label="依据的现场检查（已定稿）"
          rules={
            kind === '等级'
              ? [
                  {
                    required: true,
                    type: 'array',
                    min: 1,
                    message: '申报等级须关联至少一次定稿的现场检查',
                  },
                ]
              : []
          }
          extra={
            !sources.loading && visits.length === 0 ? '该企业还没有定稿的现场检查记录' : undefined
          }
        >
          <Select
            mode="multiple"
            loading={sources.loading}
            options={visitOptions(visits)}
            placeholder="选择定稿的检查记录"
          />
        </Form.Item>
        <Form.Item name="planId" label="提升方案">
          <Select
            allowClear
            loading={sources.loading}
            options={planOptions(plans)}
            placeholder={plans.length === 0 ? '该企业还没有提升方案' : '不关联方案'}
          />
        </Form.Item>
        <Form.Item name="basisGrade" label="核查等级（帮扶队核查结论）">
          <Input maxLength={10} placeholder="选择检查记录后自动填入，可修改" />
        </Form.Item>
        <Form.Item
          name="reason"
          label={kind === '保障类' ? '保障类理由' : '申报说明'}
          rules={
            kind === '保障类'
              ? [{ required: true, whitespace: true, message: '申报保障类须写明理由' }]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item
          name="applicant"
          label="申报人"
          rules={[{ required: true, whitespace: true, message: '请填写申报人姓名' }]}
        >
          <Input maxLength={50} />
        </Form.Item>
        {refusal && <Alert type="error" showIcon title={refusal} className="apply-refusal" />}
        <Typography.Text type="secondary">
          提交后由审核人员按流程审核；审核结果以认定等级为准，帮扶队的核查等级仅供参考。
        </Typography.Text>
      </Form>
    </Drawer>
  );
}
