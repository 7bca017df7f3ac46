/**
 * The drawer the record forms share (新增/编辑企业, 新增/编辑行业或工序): a form in a drawer with
 * 取消 and 保存, reset on each opening, checked before it saves, and each issue — the form's own or
 * the service's refusal — shown under its field, the rest as a message. Each form brings its
 * fields, its check and its own resets when a field changes.
 */
import { App, Button, Drawer, Form, Space, type FormInstance } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';

import { ApiError } from '../api';
import { errorText } from '../errors';
import { fieldErrors, type PathIssue } from '../form-errors';

/** A record form's values: text by field name. */
export type FormText = Record<string, string | undefined>;

/** What a form's check gives: the draft to save, or the issues that keep it from saving. */
export type FormCheck<D> = { ok: true; draft: D } | { ok: false; issues: readonly PathIssue[] };

/** A field the form sets back (its errors cleared, and its value when `value` is given). */
export interface FieldReset<F extends string> {
  name: F;
  value?: string;
  errors: string[];
}

export interface FormDrawerProps<F extends string, D> {
  title: string;
  open: boolean;
  onClose: () => void;
  size: number;
  /** The form (the caller watches its fields); its values are text by field name. */
  form: FormInstance<FormText>;
  /** The form's name (the 保存 button submits it by name). */
  formName: string;
  fields: readonly F[];
  initialValues: FormText;
  /** The record shown: each opening, or another record, starts from it with no old errors. */
  record: unknown;
  check: (values: FormText) => FormCheck<D>;
  /** Stores the checked draft; rejects with ApiError when the Node side refuses it. */
  onSave: (draft: D) => Promise<unknown>;
  /** More fields to set back when some change (the changed ones always lose their errors). */
  resetsOnChange?: (changed: FormText) => FieldReset<F>[];
  children: ReactNode;
}

/** A record form in a drawer: the open/check/save/error-display every such form shares. */
export function FormDrawer<F extends string, D>({
  title,
  open,
  onClose,
  size,
  form,
  formName,
  fields,
  initialValues,
  record,
  check,
  onSave,
  resetsOnChange,
  children,
}: FormDrawerProps<F, D>) {
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);

  // Each opening starts from the record shown (or a blank form), with no old errors.
  useEffect(() => {
    if (open) form.resetFields();
  }, [open, record, form]);

  /**
   * Shows each field's first issue under it (the later ones follow from it, such as an empty city
   * also being "not a city") and clears the others; returns what fits no field.
   */
  function showIssues(issues: readonly PathIssue[]): string[] {
    const { byField, other } = fieldErrors(issues, fields);
    form.setFields(fields.map((name) => ({ name, errors: (byField.get(name) ?? []).slice(0, 1) })));
    const first = fields.find((f) => byField.has(f));
    if (first) form.focusField(first);
    return other;
  }

  async function submit(values: FormText): Promise<void> {
    if (saving) return;
    const checked = check(values);
    if (!checked.ok) {
      const other = showIssues(checked.issues);
      if (other.length > 0) void message.error(other.join('；'));
      return;
    }
    setSaving(true);
    try {
      await onSave(checked.draft);
      void message.success('已保存');
      onClose();
    } catch (e) {
      if (e instanceof ApiError) {
        showIssues(e.issues);
        void message.error(e.message);
      } else {
        void message.error(`保存失败：${errorText(e)}`);
      }
    } finally {
      setSaving(false);
    }
  }

  function onValuesChange(changed: FormText): void {
    const reset: FieldReset<F>[] = fields
      .filter((name) => name in changed)
      .map((name) => ({ name, errors: [] }));
    form.setFields([...reset, ...(resetsOnChange?.(changed) ?? [])]);
  }

  return (
    <Drawer
      title={title}
      open={open}
      onClose={onClose}
      size={size}
      forceRender
      footer={
        <Space style={{ display: 'flex', justifyContent: 'flex-end' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" htmlType="submit" form={formName} loading={saving}>
            保存
          </Button>
        </Space>
      }
    >
      <Form<FormText>
        form={form}
        name={formName}
        layout="vertical"
        initialValues={initialValues}
        onFinish={(values) => void submit(values)}
        onValuesChange={onValuesChange}
        autoComplete="off"
      >
        {children}
      </Form>
    </Drawer>
  );
}
