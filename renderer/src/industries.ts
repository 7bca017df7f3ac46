import { ALL_GRADES, type Catalog, type Industry } from '../../shared/domain/catalog';

/** An option of a Select; `title` is what a hovered (or tested) option shows. */
export interface LabeledOption {
  value: string;
  label: string;
  title: string;
}

export interface OptionGroup {
  label: string;
  title: string;
  options: LabeledOption[];
}

function industryOption(industry: Industry): LabeledOption {
  const label = industry.verified ? industry.name : `${industry.name}（待核实）`;
  return { value: industry.code, label, title: label };
}

/**
 * The catalogue's industries for a Select (the process form, the registry filter): the 39
 * national ones, then Ningxia's "+5" under their own heading, marked 待核实.
 */
export function industryOptions(catalog: Catalog | null): OptionGroup[] {
  if (!catalog) return [];
  const national = catalog.industries.filter((i) => i.scope === 'national');
  const ningxia = catalog.industries.filter((i) => i.scope === 'ningxia');
  return [
    { label: '国家重点行业', title: '国家重点行业', options: national.map(industryOption) },
    ...(ningxia.length > 0
      ? [
          {
            label: '宁夏+5（待核实）',
            title: '宁夏+5（待核实）',
            options: ningxia.map(industryOption),
          },
        ]
      : []),
  ];
}

/** Grades as Select options, shown as they are written (A, B-, 引领性…). */
export function gradeOptions(grades: readonly string[] = ALL_GRADES): LabeledOption[] {
  return grades.map((g) => ({ value: g, label: g, title: g }));
}
