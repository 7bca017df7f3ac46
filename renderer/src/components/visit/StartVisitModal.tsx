import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Radio, Select, Space, Spin } from 'antd';
import { useEffect, useState } from 'react';

import { findIndustry } from '../../../../shared/domain/catalog';
import type { EnterpriseListItem } from '../../../../shared/domain/enterprise';
import {
  INSPECTION_TYPES,
  MEMBER_ROLES,
  type InspectionType,
  type MemberRole,
} from '../../../../shared/domain/inspection';
import type { Process } from '../../../../shared/domain/process';
import { rulesetName } from '../../../../shared/grading/field';
import { GENERAL_CHECKLIST_NAME } from '../../../../shared/grading/general';
import { api } from '../../api';
import { useCatalog, useRulesets } from '../../queries';
import { todayText } from '../../dates';
import { showRefusal } from '../../form-errors';
import { DateField } from '../DateField';
import { errorText } from '../../errors';

/** The antd Form name: inputs get ids visit_date, visit_type… (E2E uses them). */
export const START_VISIT_FORM = 'visit';

interface FormValues {
  enterpriseId: string | undefined;
  date: string;
  type: InspectionType;
  members: { name: string; role: MemberRole }[];
  processIds: string[];
  note: string;
}

const FIELDS = ['enterpriseId', 'date', 'type', 'members', 'processIds', 'note'] as const;

/** Searches enterprises by name or 信用代码 as the person types. */
function EnterprisePicker({
  value,
  onChange,
  fixed,
}: {
  value?: string;
  onChange?: (id: string) => void;
  fixed: EnterpriseListItem | null;
}) {
  const [text, setText] = useState('');
  const [options, setOptions] = useState<EnterpriseListItem[]>(fixed ? [fixed] : []);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    if (fixed) return;
    let live = true;
    const timer = setTimeout(() => {
      setLoading(true);
      api
        .call('enterprise.list', { text: text.trim() || undefined, limit: 20 })
        .then((page) => live && setOptions(page.items))
        .catch(() => live && setOptions([]))
        .finally(() => live && setLoading(false));
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [text, fixed]);

  return (
    <Select
      id={`${START_VISIT_FORM}_enterpriseId`}
      showSearch={{ filterOption: false, onSearch: setText }}
      value={value}
      disabled={fixed !== null}
      placeholder="输入企业名称或统一社会信用代码搜索"
      notFoundContent={loading ? <Spin size="small" /> : '没有匹配的企业'}
      onChange={onChange}
      options={options.map((e) => ({
        value: e.id,
        label: e.creditCode ? `${e.name}（${e.creditCode}）` : e.name,
      }))}
    />
  );
}

export interface StartVisitModalProps {
  open: boolean;
  /** Starting from an enterprise's page: that enterprise, not changeable. */
  enterprise: EnterpriseListItem | null;
  onClose: () => void;
  /** Called with the new visit's id. */
  onStarted: (id: string) => void;
}

/** 新建检查: the enterprise, date, type, the team with roles and the processes visited. */
export function StartVisitModal({ open, enterprise, onClose, onStarted }: StartVisitModalProps) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const enterpriseId = Form.useWatch('enterpriseId', form);
  const [loaded, setLoaded] = useState<{ enterpriseId: string; list: Process[] } | null>(null);
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The catalogue and the ruleset list: read once first opened, kept while the modal closes.
  const [opened, setOpened] = useState(open);
  if (open && !opened) setOpened(true);
  const catalog = useCatalog(opened).data ?? null;
  const rulesets = useRulesets(opened).data ?? [];

  const processes = enterpriseId && loaded?.enterpriseId === enterpriseId ? loaded.list : null;

  useEffect(() => {
    if (!enterpriseId) return;
    let live = true;
    api
      .call('process.list', { enterpriseId })
      .then((list) => {
        if (!live) return;
        setLoaded({ enterpriseId, list });
        // Every process can be visited: one without a ruleset with the 通用帮扶检查表.
        form.setFieldValue(
          'processIds',
          list.map((p) => p.id),
        );
      })
      .catch((e: unknown) => live && setProblem(errorText(e)));
    return () => {
      live = false;
    };
  }, [enterpriseId, form]);

  function processLabel(p: Process): string {
    const industry = catalog ? findIndustry(catalog, p.industryCode) : undefined;
    const name = p.name ?? [industry?.name ?? p.industryCode, p.branch].filter(Boolean).join(' · ');
    if (!p.rulesetId) return `${name}（${GENERAL_CHECKLIST_NAME}，等级由专家判定）`;
    const ruleset = rulesets.find((r) => r.id === p.rulesetId);
    const title = ruleset ? rulesetName(ruleset) : '分级指标';
    return `${name}（按${title}检查）`;
  }

  async function submit(values: FormValues): Promise<void> {
    setSaving(true);
    setProblem(null);
    try {
      const detail = await api.call('inspection.start', {
        enterpriseId: values.enterpriseId ?? '',
        date: values.date,
        type: values.type,
        members: (values.members ?? []).filter((m) => m?.name?.trim()),
        processIds: values.processIds ?? [],
        note: values.note,
      });
      void message.success('已开始检查，填写内容自动保存');
      onStarted(detail.inspection.id);
    } catch (e) {
      setProblem(showRefusal(form, FIELDS, e));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal
      open={open}
      title="新建现场检查"
      okText="开始检查"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={onClose}
      width={640}
      destroyOnHidden
      afterClose={() => setProblem(null)}
    >
      {problem && <Alert type="error" showIcon title={problem} style={{ marginBottom: 12 }} />}
      <Form<FormValues>
        name={START_VISIT_FORM}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          enterpriseId: enterprise?.id,
          date: todayText(),
          type: '帮扶指导',
          members: [{ name: '', role: '执法' }],
          processIds: [],
          note: '',
        }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item
          label="企业"
          name="enterpriseId"
          rules={[{ required: true, message: '请选择企业' }]}
        >
          <EnterprisePicker fixed={enterprise} />
        </Form.Item>
        <Space size={16} align="start">
          <Form.Item
            label="检查日期"
            name="date"
            rules={[{ required: true, message: '请填写日期' }]}
          >
            <DateField allowClear={false} />
          </Form.Item>
          <Form.Item label="检查类型" name="type">
            <Radio.Group
              optionType="button"
              options={INSPECTION_TYPES.map((t) => ({ value: t, label: t }))}
            />
          </Form.Item>
        </Space>
        <Form.Item label="检查组成员" required>
          <Form.List name="members">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={[field.name, 'name']} noStyle>
                      <Input
                        placeholder="姓名"
                        maxLength={50}
                        aria-label={`成员 ${field.name + 1} 姓名`}
                      />
                    </Form.Item>
                    <Form.Item name={[field.name, 'role']} noStyle>
                      <Select
                        aria-label={`成员 ${field.name + 1} 角色`}
                        style={{ width: 96 }}
                        options={MEMBER_ROLES.map((r) => ({ value: r, label: r }))}
                      />
                    </Form.Item>
                    <Button
                      type="text"
                      icon={<MinusCircleOutlined />}
                      aria-label={`删除成员 ${field.name + 1}`}
                      onClick={() => remove(field.name)}
                    />
                  </Space>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ name: '', role: '监测' })}
                >
                  添加成员
                </Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
        {enterpriseId && processes === null && <Spin size="small" />}
        {processes && processes.length === 0 && (
          <Alert
            type="info"
            showIcon
            title="该企业还没有行业与工序，请先在企业台账中添加"
            style={{ marginBottom: 12 }}
          />
        )}
        <Form.Item
          label="检查的行业与工序"
          name="processIds"
          required
          hidden={!processes || processes.length === 0}
        >
          <Checkbox.Group
            className="process-checks"
            options={(processes ?? []).map((p) => ({
              value: p.id,
              label: processLabel(p),
            }))}
          />
        </Form.Item>
        <Form.Item label="备注" name="note">
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
