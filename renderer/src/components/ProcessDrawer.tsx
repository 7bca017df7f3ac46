import { Col, Form, Input, Row, Select, Tag } from 'antd';

import type { RulesetSummary } from '../../../shared/api/contract';
import { ALL_GRADES, findBranch, findIndustry, type Catalog } from '../../../shared/domain/catalog';
import {
  checkProcessAgainstCatalog,
  ProcessDraftSchema,
  type Process,
  type ProcessDraft,
  type ProcessDraftInput,
} from '../../../shared/domain/process';
import { rulesetName } from '../../../shared/grading/field';
import { industryOptions, gradeOptions as toGradeOptions } from '../industries';
import { rulesetBriefs, rulesetsFor } from '../ruleset-choices';
import { FormDrawer, type FieldReset, type FormCheck, type FormText } from './FormDrawer';

/** The antd Form name: inputs get the ids process_industryCode, process_branch, … */
export const PROCESS_FORM = 'process';

const FIELDS = [
  'industryCode',
  'branch',
  'name',
  'rulesetId',
  'currentGrade',
  'targetGrade',
  'differentiators',
  'problems',
  'improvements',
  'dueDate',
  'remark',
] as const satisfies readonly (keyof ProcessDraftInput)[];
type Field = (typeof FIELDS)[number];
type FormValues = Partial<Record<Field, string>>;

function toValues(process: Process | null): FormValues {
  if (!process) return {};
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = process[field];
    if (value !== null) values[field] = value;
  }
  return values;
}

/** What the schema parses: blanks as null, exactly as a person left them. */
function toDraftInput(enterpriseId: string, values: FormValues): ProcessDraftInput {
  return {
    enterpriseId,
    industryCode: values.industryCode ?? '',
    branch: values.branch ?? '',
    name: values.name ?? null,
    rulesetId: values.rulesetId ?? null,
    currentGrade: values.currentGrade ?? null,
    targetGrade: values.targetGrade ?? null,
    differentiators: values.differentiators ?? null,
    problems: values.problems ?? null,
    improvements: values.improvements ?? null,
    dueDate: values.dueDate ?? null,
    remark: values.remark ?? null,
  };
}

/** A ruleset as a team reads it: 水泥熟料分级指标（2020 版）; its id is for experts. */
function rulesetOption(r: RulesetSummary) {
  const text = `${rulesetName(r)}（${r.edition} 版）`;
  return {
    value: r.id,
    title: text,
    label: (
      <span>
        {text}
        {r.status === 'draft' && (
          <Tag color="orange" className="option-tag">
            指标待核实
          </Tag>
        )}
      </span>
    ),
  };
}

/** The grades a process may hold: the branch's scheme, else the ruleset's, else every grade. */
export function gradeChoices(
  catalog: Catalog | null,
  rulesets: readonly RulesetSummary[],
  values: Pick<FormValues, 'industryCode' | 'branch' | 'rulesetId'>,
): readonly string[] {
  const industry =
    catalog && values.industryCode ? findIndustry(catalog, values.industryCode) : undefined;
  const branch = industry && values.branch ? findBranch(industry, values.branch) : undefined;
  if (branch?.gradeScheme) return branch.gradeScheme;
  const ruleset = values.rulesetId
    ? rulesetsFor(rulesets, industry?.name, values.branch).find((r) => r.id === values.rulesetId)
    : undefined;
  return ruleset?.grades ?? ALL_GRADES;
}

export interface ProcessDrawerProps {
  open: boolean;
  enterpriseId: string;
  /** The process to edit, or null to add one. */
  process: Process | null;
  /** The industry catalogue (null until it arrives). */
  catalog: Catalog | null;
  /** The ruleset library's list. */
  rulesets: readonly RulesetSummary[];
  /** True once the catalogue and the list have both arrived. */
  libraryLoaded: boolean;
  onClose: () => void;
  /** Stores the validated draft; rejects with ApiError when the Node side refuses it. */
  onSave: (draft: ProcessDraft) => Promise<unknown>;
}

/** 新增 / 编辑行业或工序: the process form, checked with the shared schema and the catalogue. */
export function ProcessDrawer({
  open,
  enterpriseId,
  process,
  catalog,
  rulesets,
  libraryLoaded,
  onClose,
  onSave,
}: ProcessDrawerProps) {
  const [form] = Form.useForm<FormText>();
  const industryCode = Form.useWatch('industryCode', form);
  const branchName = Form.useWatch('branch', form);
  const rulesetId = Form.useWatch('rulesetId', form);

  const industry = catalog && industryCode ? findIndustry(catalog, industryCode) : undefined;
  const rulesetChoices = rulesetsFor(rulesets, industry?.name, branchName);
  const grades = gradeChoices(catalog, rulesets, { industryCode, branch: branchName, rulesetId });
  const gradeOptions = toGradeOptions(grades);

  function check(values: FormValues): FormCheck<ProcessDraft> {
    const parsed = ProcessDraftSchema.safeParse(toDraftInput(enterpriseId, values));
    if (!parsed.success) return { ok: false, issues: parsed.error.issues };
    // Without the catalogue the Node side checks alone.
    if (catalog && libraryLoaded) {
      const issues = checkProcessAgainstCatalog(parsed.data, catalog, rulesetBriefs(rulesets));
      if (issues.length > 0) return { ok: false, issues };
    }
    return { ok: true, draft: parsed.data };
  }

  function resetsOnChange(changed: FormValues): FieldReset<Field>[] {
    const reset: FieldReset<Field>[] = [];
    if ('industryCode' in changed) {
      // A branch belongs to one industry: pick the only one, or let the person choose.
      const next =
        catalog && changed.industryCode ? findIndustry(catalog, changed.industryCode) : undefined;
      const only = next?.branches.length === 1 ? next.branches[0]?.name : undefined;
      reset.push({ name: 'branch', value: only, errors: [] });
      reset.push({ name: 'rulesetId', value: undefined, errors: [] });
    } else if ('branch' in changed) {
      const current = form.getFieldValue('rulesetId') as string | undefined;
      const fits = rulesetsFor(rulesets, industry?.name, changed.branch).some(
        (r) => r.id === current,
      );
      if (current !== undefined && !fits)
        reset.push({ name: 'rulesetId', value: undefined, errors: [] });
    }
    return reset;
  }

  return (
    <FormDrawer<Field, ProcessDraft>
      title={process ? '编辑行业/工序' : '新增行业/工序'}
      open={open}
      onClose={onClose}
      size={560}
      form={form}
      formName={PROCESS_FORM}
      fields={FIELDS}
      initialValues={toValues(process)}
      record={process}
      check={check}
      onSave={onSave}
      resetsOnChange={resetsOnChange}
    >
      <Form.Item
        label="重点行业类型"
        name="industryCode"
        required
        extra={industry && !industry.verified ? '该行业尚待核实' : undefined}
      >
        <Select
          placeholder="请选择重点行业类型"
          options={industryOptions(catalog)}
          showSearch={{ optionFilterProp: 'label' }}
          loading={!catalog}
        />
      </Form.Item>
      {/* The catalogue's branch notes are the transcriber's (sources, [U]): not shown here. */}
      <Form.Item label="重点行业分支" name="branch" required>
        <Select
          placeholder={industry ? '请选择重点行业分支' : '请先选择重点行业类型'}
          options={(industry?.branches ?? []).map((b) => ({
            value: b.name,
            label: b.name,
            title: b.name,
          }))}
          disabled={!industry}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      <Form.Item label="工序名称" name="name" extra="例如 1#熟料线；整个行业登记时可不填">
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item
        label="指标体系"
        name="rulesetId"
        extra={
          industry && rulesetChoices.length === 0
            ? '分级指标库中暂无该行业分支的指标体系'
            : undefined
        }
      >
        <Select
          placeholder={rulesetChoices.length > 0 ? '请选择指标体系（可不选）' : '无可选指标体系'}
          options={rulesetChoices.map(rulesetOption)}
          disabled={!industry}
          allowClear
        />
      </Form.Item>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item label="绩效现状" name="currentGrade">
            <Select placeholder="请选择等级" options={gradeOptions} allowClear />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="绩效提升目标" name="targetGrade">
            <Select placeholder="请选择等级" options={gradeOptions} allowClear />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="差异化指标" name="differentiators">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
      </Form.Item>
      <Form.Item label="存在问题" name="problems">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
      </Form.Item>
      <Form.Item label="改进措施" name="improvements">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={2000} />
      </Form.Item>
      <Form.Item label="拟完成时间" name="dueDate" extra="格式为 2025-09-30 或 2025-09">
        <Input placeholder="年-月-日 或 年-月" maxLength={10} />
      </Form.Item>
      <Form.Item label="备注" name="remark">
        <Input.TextArea autoSize={{ minRows: 1, maxRows: 6 }} maxLength={1000} />
      </Form.Item>
    </FormDrawer>
  );
}
