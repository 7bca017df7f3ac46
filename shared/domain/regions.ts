/**
 * Ningxia's prefecture-level units and their counties, as the 提级扩面 list uses them.
 *
 * Source: GB/T 2260 codes as published in modood/Administrative-divisions-of-China (dist/areas.csv),
 * collected in ../shared/domain/grading-data.json. 宁东能源化工基地 is not an administrative division
 * but Ningxia's environmental reporting treats it as a peer of the five cities (宁东基地管委会), so it
 * is a city-level unit here with an optional county and our own code `NINGDONG`.
 *
 * The data lives in shared/ (not resources/) because the pure validation of an enterprise
 * ("the county must be in the chosen city") and the renderer's pickers both need it.
 * When adding a unit: keep codes stable — enterprises store them.
 */

export interface County {
  readonly code: string;
  readonly name: string;
}

export interface City {
  readonly code: string;
  readonly name: string;
  /** True where an enterprise may be filed without a county (宁东基地). */
  readonly countyOptional: boolean;
  readonly counties: readonly County[];
}

export const REGIONS_EDITION = '2026-11';

export const CITIES: readonly City[] = [
  {
    code: '6401',
    name: '银川市',
    countyOptional: false,
    counties: [
      { code: '640104', name: '兴庆区' },
      { code: '640105', name: '西夏区' },
      { code: '640106', name: '金凤区' },
      { code: '640121', name: '永宁县' },
      { code: '640122', name: '贺兰县' },
      { code: '640181', name: '灵武市' },
    ],
  },
  {
    code: '6402',
    name: '石嘴山市',
    countyOptional: false,
    counties: [
      { code: '640202', name: '大武口区' },
      { code: '640205', name: '惠农区' },
      { code: '640221', name: '平罗县' },
    ],
  },
  {
    code: '6403',
    name: '吴忠市',
    countyOptional: false,
    counties: [
      { code: '640302', name: '利通区' },
      { code: '640303', name: '红寺堡区' },
      { code: '640323', name: '盐池县' },
      { code: '640324', name: '同心县' },
      { code: '640381', name: '青铜峡市' },
    ],
  },
  {
    code: '6404',
    name: '固原市',
    countyOptional: false,
    counties: [
      { code: '640402', name: '原州区' },
      { code: '640422', name: '西吉县' },
      { code: '640423', name: '隆德县' },
      { code: '640424', name: '泾源县' },
      { code: '640425', name: '彭阳县' },
    ],
  },
  {
    code: '6405',
    name: '中卫市',
    countyOptional: false,
    counties: [
      { code: '640502', name: '沙坡头区' },
      { code: '640521', name: '中宁县' },
      { code: '640522', name: '海原县' },
    ],
  },
  {
    code: 'NINGDONG',
    name: '宁东能源化工基地',
    countyOptional: true,
    // Which counties its land lies in is unverified (notes.md §5); none are offered.
    counties: [],
  },
];

const cityByCode = new Map(CITIES.map((c) => [c.code, c]));
const cityByName = new Map<string, City>(CITIES.map((c) => [c.name, c]));
cityByName.set('宁东基地', cityByCode.get('NINGDONG') as City);
cityByName.set('宁东', cityByCode.get('NINGDONG') as City);

export function findCity(code: string): City | undefined {
  return cityByCode.get(code);
}

/** Finds a city by its name as people write it (全称, or 宁东基地 / 宁东 for 宁东能源化工基地). */
export function findCityByName(name: string): City | undefined {
  return cityByName.get(name.trim());
}

export function findCounty(cityCode: string, countyCode: string): County | undefined {
  return findCity(cityCode)?.counties.find((c) => c.code === countyCode);
}

export function findCountyByName(cityCode: string, name: string): County | undefined {
  return findCity(cityCode)?.counties.find((c) => c.name === name.trim());
}

export function cityName(code: string): string {
  return findCity(code)?.name ?? code;
}

export function countyName(cityCode: string, countyCode: string | null): string {
  if (countyCode === null) return '';
  return findCounty(cityCode, countyCode)?.name ?? countyCode;
}
