import fs from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { readGeneralChecklist } from '../../electron/services/general-checklist';
import { buildGeneralChecklist, DIMENSIONS, validateRuleset } from '../../shared/grading';
import { tempDir } from '../helpers/context';

const SHIPPED = path.resolve('resources', 'general');

describe('resources/general/checklist.json', () => {
  it('says what to look at for every dimension of the guideline, and what every grade means', () => {
    const data = readGeneralChecklist(SHIPPED);
    expect(data.dimensions.map((d) => d.dimension)).toEqual([...DIMENSIONS]);
    for (const grade of ['A', 'B', 'B-', 'C', 'D', '引领性', '非引领性']) {
      expect(data.levels[grade], grade).toBeTruthy();
    }
  });

  it('builds a valid checklist for every grade scheme the catalogue names', () => {
    const data = readGeneralChecklist(SHIPPED);
    for (const scheme of [
      ['A', 'B', 'C', 'D'],
      ['A', 'B', 'B-', 'C', 'D'],
      ['引领性', '非引领性'],
    ]) {
      const checked = validateRuleset(buildGeneralChecklist(data, scheme));
      expect(checked.ok, scheme.join('/')).toBe(true);
    }
  });

  it('refuses a file with a dimension the guideline does not have, naming where', () => {
    const dir = tempDir();
    const data = JSON.parse(fs.readFileSync(path.join(SHIPPED, 'checklist.json'), 'utf8')) as {
      dimensions: { dimension: string }[];
    };
    data.dimensions[2]!.dimension = '原料';
    fs.writeFileSync(path.join(dir, 'checklist.json'), JSON.stringify(data));
    expect(() => readGeneralChecklist(dir)).toThrow(/dimensions\.2\.dimension：维度应为/);
  });
});
