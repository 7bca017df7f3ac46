import { describe, expect, it } from 'vitest';

import {
  gradeDisplay,
  gradeRuleset,
  processGradeDisplay,
  visitGradeDisplay,
} from '../../../shared/grading';

import { A_FACTS, cement } from '../../fixtures/rulesets';

describe('how a grade reads (gradeDisplay)', () => {
  it('says 未评定 when nothing is answered, though the engine names the floor grade', () => {
    const floor = gradeRuleset(cement(), {}).grade;
    expect(floor).toBe('D');
    expect(gradeDisplay({ grade: floor, answered: 0, open: 9 })).toEqual({
      kind: 'ungraded',
      grade: null,
      text: '未评定',
    });
  });

  it('says 暂评 with the count still open while some indicators are unanswered', () => {
    expect(gradeDisplay({ grade: 'B', answered: 6, open: 3 })).toEqual({
      kind: 'provisional',
      grade: 'B',
      open: 3,
      label: '暂评 B级',
      text: '暂评 B级（尚有 3 项未填）',
    });
  });

  it('gives a plain grade only for a complete checklist', () => {
    expect(gradeDisplay({ grade: 'B', answered: 9, open: 0 }).text).toBe('B级');
    expect(gradeDisplay({ grade: 'B-', answered: 9, open: 0 }).text).toBe('B-级');
    expect(gradeDisplay({ grade: '引领性', answered: 9, open: 0 }).text).toBe('引领性');
  });

  it('says of a finalized record that the indicators were open when it was finalized', () => {
    expect(gradeDisplay({ grade: 'C', answered: 1, open: 2, frozen: true }).text).toBe(
      '暂评 C级（定稿时尚有 2 项未填）',
    );
    expect(gradeDisplay({ grade: 'C', answered: 3, open: 0, frozen: true }).text).toBe('C级');
  });

  it('gives the floor plainly when a violation decided it, whatever is still open', () => {
    expect(gradeDisplay({ grade: 'D', answered: 0, open: 9, byViolation: true }).text).toBe('D级');
    expect(gradeDisplay({ grade: 'D', answered: 4, open: 5, byViolation: true }).text).toBe('D级');
  });

  it('says 无法评定 when a process could not be graded after answers, 未评定 before any', () => {
    expect(gradeDisplay({ grade: null, answered: 2, open: 1 }).text).toBe('无法评定');
    expect(gradeDisplay({ grade: null, answered: 0, open: 0 }).text).toBe('无法评定');
    expect(gradeDisplay({ grade: null, answered: 0, open: 5 }).text).toBe('未评定');
  });
});

describe('the display of a visited process and of a visit', () => {
  it('counts the open indicators of a process from its indicators and answers', () => {
    const full = gradeRuleset(cement(), A_FACTS);
    const indicators = Object.keys(A_FACTS).length;
    expect(
      processGradeDisplay({ grade: full.grade, factsGrade: null, answered: indicators, indicators })
        .text,
    ).toBe('A级');
    expect(
      processGradeDisplay({ grade: 'B', factsGrade: null, answered: 2, indicators: 5 }).text,
    ).toBe('暂评 B级（尚有 3 项未填）');
    expect(
      processGradeDisplay({ grade: 'D', factsGrade: 'B', answered: 2, indicators: 5 }).text,
    ).toBe('D级');
  });

  it('reads a visit by the answers and open indicators of all its processes', () => {
    const visit = { grade: 'C', lockedUntil: null, frozen: false, answered: 4, open: 1 };
    expect(visitGradeDisplay(visit).text).toBe('暂评 C级（尚有 1 项未填）');
    expect(visitGradeDisplay({ ...visit, answered: 0, open: 5 }).text).toBe('未评定');
    expect(visitGradeDisplay({ ...visit, lockedUntil: '2027-11-02' }).text).toBe('C级');
    expect(visitGradeDisplay({ ...visit, frozen: true }).text).toBe(
      '暂评 C级（定稿时尚有 1 项未填）',
    );
  });
});
