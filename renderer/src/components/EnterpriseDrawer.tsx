import { Form, Input, Select } from 'antd';

import { normalizeCreditCode } from '../../../shared/domain/credit-code';
import {
  EnterpriseDraftSchema,
  type Enterprise,
  type EnterpriseDraft,
  type EnterpriseDraftInput,
} from '../../../shared/domain/enterprise';
import { cityHasNoCounties, cityOptions, countyOptions } from '../regions';
import { FormDrawer, type FormCheck, type FormText } from './FormDrawer';

/** The antd Form name: inputs get the ids enterprise_name, enterprise_creditCode, … (E2E uses them). */
export const ENTERPRISE_FORM = 'enterprise';

const FIELDS = [
  'name',
  'creditCode',
  'cityCode',
  'countyCode',
  'address',
  'contactPerson',
  'contactPhone',
] as const satisfies readonly (keyof EnterpriseDraftInput)[];
type Field = (typeof FIELDS)[number];
type FormValues = Partial<Record<Field, string>>;

function toValues(enterprise: Enterprise | null): FormValues {
  if (!enterprise) return {};
  const values: FormValues = {};
  for (const field of FIELDS) {
    const value = enterprise[field];
    if (value !== null) values[field] = value;
  }
  return values;
}

/** What the schema parses: blanks as null, exactly as a person left them. */
function toDraftInput(values: FormValues): EnterpriseDraftInput {
  return {
    name: values.name ?? '',
    creditCode: values.creditCode ?? null,
    cityCode: values.cityCode ?? '',
    countyCode: values.countyCode ?? null,
    address: values.address ?? null,
    contactPerson: values.contactPerson ?? null,
    contactPhone: values.contactPhone ?? null,
  };
}

export interface EnterpriseDrawerProps {
  open: boolean;
  /** The enterprise to edit, or null to add one. */
  enterprise: Enterprise | null;
  onClose: () => void;
  /** Stores the validated draft; rejects with ApiError when the Node side refuses it. */
  onSave: (draft: EnterpriseDraft) => Promise<unknown>;
}

/** 新增企业 / 编辑企业: the enterprise form in a drawer, validated with the shared schema. */
export function EnterpriseDrawer({ open, enterprise, onClose, onSave }: EnterpriseDrawerProps) {
  const [form] = Form.useForm<FormText>();
  const cityCode = Form.useWatch('cityCode', form);
  const noCounties = cityHasNoCounties(cityCode);

  function check(values: FormValues): FormCheck<EnterpriseDraft> {
    const parsed = EnterpriseDraftSchema.safeParse(toDraftInput(values));
    return parsed.success
      ? { ok: true, draft: parsed.data }
      : { ok: false, issues: parsed.error.issues };
  }

  return (
    <FormDrawer<Field, EnterpriseDraft>
      title={enterprise ? '编辑企业' : '新增企业'}
      open={open}
      onClose={onClose}
      size={520}
      form={form}
      formName={ENTERPRISE_FORM}
      fields={FIELDS}
      initialValues={toValues(enterprise)}
      record={enterprise}
      check={check}
      onSave={onSave}
      // A county belongs to one city: choosing another city clears it.
      resetsOnChange={(changed) =>
        'cityCode' in changed ? [{ name: 'countyCode', value: undefined, errors: [] }] : []
      }
    >
      <Form.Item label="企业名称" name="name" required>
        <Input placeholder="营业执照上的企业全称" maxLength={100} />
      </Form.Item>
      <Form.Item
        label="统一社会信用代码"
        name="creditCode"
        normalize={(v: string | undefined) => (v === undefined ? v : normalizeCreditCode(v))}
        extra="18 位，可不填"
      >
        <Input placeholder="例如 91640100XXXXXXXXXX" count={{ show: true, max: 18 }} />
      </Form.Item>
      <Form.Item label="地级市" name="cityCode" required>
        <Select
          placeholder="请选择地级市"
          options={[...cityOptions]}
          showSearch={{ optionFilterProp: 'label' }}
        />
      </Form.Item>
      <Form.Item
        label="县（市、区）"
        name="countyCode"
        required={!noCounties && Boolean(cityCode)}
        extra={noCounties ? '宁东基地可不填县区' : undefined}
      >
        <Select
          placeholder={cityCode ? '请选择县（市、区）' : '请先选择地级市'}
          options={countyOptions(cityCode)}
          disabled={!cityCode || noCounties}
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
        />
      </Form.Item>
      <Form.Item label="地址" name="address">
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item label="联系人" name="contactPerson">
        <Input maxLength={50} />
      </Form.Item>
      <Form.Item label="联系电话" name="contactPhone">
        <Input maxLength={40} />
      </Form.Item>
    </FormDrawer>
  );
}
