import { NOT_APPLICABLE, type FactValue, type Requirement } from './types';

/**
 * Requirements and facts in words, as a person reads them on screen or in a printed record.
 * One wording for the checklist, the gap list and the PDFs.
 */

/** What the wording needs of an indicator (an Indicator, or a gap that names its kind and unit). */
export interface IndicatorKindUnit {
  kind: string;
  unit?: string | null;
}

function list(v: Requirement): string {
  return Array.isArray(v) ? v.join('、') : String(v);
}

/** A requirement in words, as the guideline's table would state it. */
export function requirementText(indicator: IndicatorKindUnit, requirement: Requirement): string {
  const unit = indicator.unit ? ` ${indicator.unit}` : '';
  switch (indicator.kind) {
    case 'max':
      return `≤ ${list(requirement)}${unit}`;
    case 'min':
      return `≥ ${list(requirement)}${unit}`;
    case 'bool':
      return requirement === true ? '要求' : '—';
    case 'oneOf':
      return list(requirement);
    case 'level':
      return `达到${list(requirement)}级要求`;
    default:
      return list(requirement);
  }
}

/** A fact in words: readings with their unit, 是/否, the option or level chosen; null is 未填写. */
export function factText(indicator: IndicatorKindUnit, fact: FactValue | null): string {
  if (fact === null) return '未填写';
  if (fact === NOT_APPLICABLE) return '不适用';
  const unit = indicator.unit ? ` ${indicator.unit}` : '';
  if (Array.isArray(fact)) return fact.length === 0 ? '未填写' : `${fact.join('、')}${unit}`;
  if (typeof fact === 'boolean') return fact ? '是' : '否';
  if (typeof fact === 'number') return `${fact}${unit}`;
  return indicator.kind === 'level' ? `${fact}级` : fact;
}
