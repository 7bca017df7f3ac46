/**
 * The catalogue as 附件2 names it: industries by code or by name (full-width forms and spaces
 * ignored), branches by name, and the stripper of the 备注 note naming other industries; built once
 * per catalogue and kept beside it.
 */
import type { Branch, Catalog, Industry } from '../../../shared/domain/catalog';
import { looseKey, otherIndustriesStripper } from './format';

export interface CatalogIndex {
  industries: Map<string, Industry>;
  branches: Map<Industry, Map<string, Branch>>;
  names: Map<string, string>;
  stripOtherIndustries: (remark: string) => string;
}

const catalogIndexes = new WeakMap<Catalog, CatalogIndex>();

export function catalogIndex(catalog: Catalog): CatalogIndex {
  let index = catalogIndexes.get(catalog);
  if (index) return index;
  const industries = new Map<string, Industry>();
  const branches = new Map<Industry, Map<string, Branch>>();
  const names = new Map<string, string>();
  for (const i of catalog.industries) {
    industries.set(i.code, i);
    industries.set(looseKey(i.name), i);
    names.set(i.code, i.name);
    branches.set(i, new Map(i.branches.map((b) => [looseKey(b.name), b])));
  }
  index = { industries, branches, names, stripOtherIndustries: otherIndustriesStripper(catalog) };
  catalogIndexes.set(catalog, index);
  return index;
}

/** An industry by catalogue code or name (full-width forms and spaces ignored). */
export function findAnnex2Industry(catalog: Catalog, codeOrName: string): Industry | undefined {
  const index = catalogIndex(catalog);
  return index.industries.get(codeOrName.trim()) ?? index.industries.get(looseKey(codeOrName));
}

export function industryLabel(industry: Industry, branch: string): string {
  return branch === industry.name ? industry.name : `${industry.name}（${branch}）`;
}
