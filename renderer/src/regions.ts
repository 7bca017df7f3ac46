import { CITIES, findCity } from '../../shared/domain/regions';

/** Select options for the region pickers (the registry filter and the enterprise form). */
export interface RegionOption {
  value: string;
  label: string;
}

export const cityOptions: readonly RegionOption[] = CITIES.map((c) => ({
  value: c.code,
  label: c.name,
}));

/** The counties of a city as options; none when no city is chosen or it has none (宁东基地). */
export function countyOptions(cityCode: string | null | undefined): RegionOption[] {
  if (!cityCode) return [];
  return (findCity(cityCode)?.counties ?? []).map((c) => ({ value: c.code, label: c.name }));
}

/** True when the city is filed without a county (宁东能源化工基地 has none to pick). */
export function cityHasNoCounties(cityCode: string | null | undefined): boolean {
  if (!cityCode) return false;
  const city = findCity(cityCode);
  return city !== undefined && city.counties.length === 0;
}
