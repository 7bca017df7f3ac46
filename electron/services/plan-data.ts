import path from 'node:path';

import { formatIssues, type Checked } from '../../shared/grading';
import {
  validateAnnex1,
  validateMeasureLibrary,
  type Annex1,
  type MeasureLibrary,
} from '../../shared/plan';

import { readJsonResource, RulesetFileError } from './rulesets';

/**
 * The improvement-plan reference data shipped in resources/plan/ (see its README): the measure
 * library a draft takes its suggestions from, and 附件1 (what a target grade brings). Read and
 * checked once, when the context opens, like the shipped rulesets: a bad file stops the start
 * with every problem named by file and JSON path.
 */
export interface PlanData {
  library: MeasureLibrary;
  annex1: Annex1;
}

function readChecked<T>(file: string, validate: (raw: unknown) => Checked<T>): T {
  const raw = readJsonResource(file);
  const checked = validate(raw);
  if (!checked.ok) throw new RulesetFileError(formatIssues(file, checked.issues));
  return checked.value;
}

/** Reads measures.json and annex1.json from a folder (resources/plan). */
export function readPlanData(dir: string): PlanData {
  return {
    library: readChecked(path.join(dir, 'measures.json'), validateMeasureLibrary),
    annex1: readChecked(path.join(dir, 'annex1.json'), validateAnnex1),
  };
}
