import { describe, expect, it } from 'vitest';

import { completeCreditCode } from '../../shared/domain/credit-code';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';

const good = {
  name: ' 宁夏瑞泰水泥有限公司 ',
  creditCode: completeCreditCode('91640100MA75X1234').toLowerCase(),
  cityCode: '6401',
  countyCode: '640104',
  address: '',
  contactPerson: '王伟',
  contactPhone: '0951-5012345',
};

function messages(input: unknown): string[] {
  const r = EnterpriseDraftSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.message}`);
}

describe('EnterpriseDraftSchema', () => {
  it('trims the name, upper-cases the code and turns blanks into null', () => {
    const d = EnterpriseDraftSchema.parse(good);
    expect(d.name).toBe('宁夏瑞泰水泥有限公司');
    expect(d.creditCode).toBe(completeCreditCode('91640100MA75X1234'));
    expect(d.address).toBeNull();
  });

  it('refuses an empty name with a Chinese message', () => {
    expect(messages({ ...good, name: '   ' })).toContain('name:企业名称不能为空');
  });

  it('refuses a wrong credit code with the check-digit message', () => {
    expect(messages({ ...good, creditCode: '91110000600037341A' })[0]).toContain('校验位错误');
  });

  it('accepts a missing credit code', () => {
    expect(EnterpriseDraftSchema.parse({ ...good, creditCode: '' }).creditCode).toBeNull();
  });

  it('refuses a county that is not in the chosen city', () => {
    expect(messages({ ...good, countyCode: '640202' })).toContain(
      'countyCode:县（市、区）“640202”不属于银川市',
    );
  });

  it('requires a county for a city but not for 宁东能源化工基地', () => {
    expect(messages({ ...good, countyCode: null })).toContain('countyCode:请选择县（市、区）');
    expect(
      EnterpriseDraftSchema.parse({ ...good, cityCode: 'NINGDONG', countyCode: null }).countyCode,
    ).toBeNull();
  });

  it('refuses a city outside Ningxia', () => {
    expect(messages({ ...good, cityCode: '1101', countyCode: null })[0]).toContain(
      '不是宁夏的地级市',
    );
  });

  it('refuses a phone number with letters', () => {
    expect(messages({ ...good, contactPhone: 'call me' })[0]).toContain('联系电话');
  });

  it('refuses fields it does not know', () => {
    expect(messages({ ...good, grade: 'A' }).length).toBeGreaterThan(0);
  });
});

describe('EnterpriseDraftSchema with no city', () => {
  it('says only that a city must be chosen', () => {
    expect(messages({ name: '某公司', cityCode: '' })).toEqual(['cityCode:请选择地级市']);
  });
});
