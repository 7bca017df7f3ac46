/**
 * Demo inspections: plausible facts and generated photos for processes with a gradable ruleset,
 * and 通用帮扶检查表 inspections with typical findings where an industry has none.
 */

import {
  AnswerSaveSchema,
  INSPECTION_TYPES,
  InspectionStartSchema,
  MEMBER_ROLES,
  ViolationDraftSchema,
} from '../../../shared/domain/inspection';
import type { FactValue, Indicator, Ruleset } from '../../../shared/grading';
import type { AppContext } from '../context';
import { listEnterprises } from '../enterprises';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  saveAnswer,
  startInspection,
} from '../inspections';
import { encodePng } from '../png';
import { listProcesses } from '../processes';
import { findRuleset } from '../rulesets';
import { createViolation } from '../violations';
import { GIVEN, SURNAMES } from './names';
import { pick, seededRandom } from './random';

/** A plausible on-site fact for an indicator, around its requirements; sometimes unanswered. */
export function demoFact(
  rand: () => number,
  indicator: Indicator,
  ruleset: Ruleset,
): FactValue | undefined {
  if (rand() < 0.1) return undefined;
  const limits = Object.values(indicator.require).filter((v): v is number => typeof v === 'number');
  switch (indicator.kind) {
    case 'max':
    case 'min': {
      const pivot = limits.length > 0 ? (limits[Math.floor(rand() * limits.length)] as number) : 50;
      const reading = () => {
        const value = Math.round(pivot * (0.75 + rand() * 0.4) * 10) / 10;
        return indicator.unit === '%' ? Math.min(100, value) : value;
      };
      const value = reading();
      return rand() < 0.3 ? [value, reading()] : value;
    }
    case 'bool':
      return rand() < 0.75;
    case 'oneOf':
      return pick(rand, indicator.options ?? ['n/a']);
    case 'level':
      return pick(
        rand,
        ruleset.grades.map((g) => g.grade),
      );
  }
}

/** A visit team: one member of each role, with a generated name. */
function demoTeam(rand: () => number): { name: string; role: string }[] {
  return MEMBER_ROLES.map((role) => ({
    name: `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`,
    role,
  }));
}

/** A visit date in 2025 (YYYY-MM-DD). */
function demoDate(month: number, day: number): string {
  return `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A generated "photo": a soft two-colour gradient with a grid, different for every seed. */
export function demoPhoto(seed: number): Buffer {
  const rand = seededRandom(seed);
  const a = [rand() * 255, rand() * 255, rand() * 255];
  const b = [rand() * 255, rand() * 255, rand() * 255];
  return encodePng(96, 72, (x, y) => {
    const t = (x + y) / (96 + 72);
    const grid = x % 16 === 0 || y % 16 === 0 ? 0.8 : 1;
    return [0, 1, 2].map((i) =>
      Math.round(((a[i] as number) * (1 - t) + (b[i] as number) * t) * grid),
    ) as [number, number, number];
  });
}

/**
 * A few site visits for enterprises whose processes have a gradable ruleset: a team, answers
 * for most indicators, two photos each (one of them the same file every time, stored once);
 * every other visit finalized, and one violation with its photo.
 */
export function demoInspections(
  ctx: AppContext,
  count: number,
  seed: number,
): { visits: number; evidence: number } {
  const rand = seededRandom(seed + 2);
  const shared = demoPhoto(seed);
  let visits = 0;
  let evidence = 0;
  let last: { enterpriseId: string; inspectionId: string; date: string; takenAt: number } | null =
    null;
  const enterprises = listEnterprises(ctx, { offset: 0, limit: 500 }).items;
  for (const enterprise of enterprises) {
    if (visits >= count) break;
    const processes = listProcesses(ctx, enterprise.id).filter((p) => {
      const entry = p.rulesetId ? findRuleset(ctx, p.rulesetId) : undefined;
      return entry !== undefined && entry.ruleset.indicators.length > 0;
    });
    if (processes.length === 0) continue;
    const month = 3 + Math.floor(rand() * 8);
    const day = 1 + Math.floor(rand() * 28);
    const team = demoTeam(rand);
    const visit = startInspection(
      ctx,
      InspectionStartSchema.parse({
        enterpriseId: enterprise.id,
        date: demoDate(month, day),
        type: pick(rand, INSPECTION_TYPES),
        members: team,
        processIds: processes.map((p) => p.id),
        note: '演示数据',
      }),
    );
    const id = visit.inspection.id;
    for (const p of visit.processes) {
      const ruleset = p.ruleset.ruleset;
      if (!ruleset) continue;
      for (const indicator of ruleset.indicators) {
        const fact = demoFact(rand, indicator, ruleset);
        if (fact === undefined) continue;
        saveAnswer(
          ctx,
          AnswerSaveSchema.parse({
            inspectionId: id,
            processId: p.processId,
            indicatorId: indicator.id,
            fact,
          }),
        );
      }
    }
    const first = visit.processes[0];
    const firstIndicator = first?.ruleset.ruleset?.indicators[0];
    const takenAt = Date.UTC(
      2025,
      month - 1,
      day,
      2 + Math.floor(rand() * 6),
      Math.floor(rand() * 60),
    );
    addEvidence(ctx, { inspectionId: id, fileName: '厂区全景.png', data: shared, takenAt });
    addEvidence(ctx, {
      inspectionId: id,
      ...(first && firstIndicator
        ? { processId: first.processId, indicatorId: firstIndicator.id }
        : {}),
      fileName: `现场照片_${visits + 1}.png`,
      data: demoPhoto(seed * 31 + visits + 1),
      takenAt: takenAt + 5 * 60_000,
    });
    evidence += 2;
    if (visits % 2 === 0) {
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      finalizeInspection(ctx, id);
    }
    visits++;
    last = { enterpriseId: enterprise.id, inspectionId: id, date: visit.inspection.date, takenAt };
  }
  if (last) {
    const violation = createViolation(
      ctx,
      ViolationDraftSchema.parse({
        enterpriseId: last.enterpriseId,
        date: last.date,
        kind: '超标排放',
        note: '演示数据：在线监测小时均值超标',
        inspectionId: last.inspectionId,
      }),
    );
    addEvidence(ctx, {
      violationId: violation.id,
      fileName: '在线监测超标截图.png',
      data: demoPhoto(seed * 17),
      takenAt: last.takenAt,
    });
    evidence++;
  }
  return { visits, evidence };
}

/** What a team typically writes per dimension of the 通用帮扶检查表: findings and problems. */
const GENERAL_NOTES: Readonly<Record<string, { finding: string; problems: readonly string[] }>> = {
  'general.equipment': {
    finding: '主要生产设备为 2012 年建成投运，自动化控制水平一般',
    problems: ['部分工序仍为敞开式作业，设备密闭化程度不足'],
  },
  'general.energy': {
    finding: '生产用热由园区集中供热，另有 1 台燃气导热油炉',
    problems: ['导热油炉未安装低氮燃烧器'],
  },
  'general.materials': {
    finding: '原辅材料进厂有检验记录，溶剂型原料占比较高',
    problems: ['未使用低挥发性有机物含量的原辅材料替代溶剂型原料'],
  },
  'general.treatment': {
    finding: '主要排气筒配套布袋除尘和活性炭吸附设施',
    problems: ['活性炭更换周期过长，未建立更换台账', '除尘设施运行记录不完整'],
  },
  'general.emission': {
    finding: '主要排放口自行监测数据达标，个别时段接近限值',
    problems: ['颗粒物排放浓度与超低排放水平仍有差距'],
  },
  'general.fugitive': {
    finding: '原料库为半封闭料棚，厂区道路已硬化',
    problems: ['原料露天堆放，未建封闭料棚', '产尘点未设集气罩，无组织排放明显'],
  },
  'general.monitoring': {
    finding: '主要排放口已安装在线监测并联网',
    problems: ['治理设施未安装分表计电'],
  },
  'general.management': {
    finding: '排污许可证在有效期内，有专职环保人员 1 名',
    problems: ['环保管理台账记录不全，缺少生产设施运行记录'],
  },
  'general.transport': {
    finding: '原料、产品全部公路运输，国五及以上车辆约占六成',
    problems: ['国五及以上或新能源车辆运输比例偏低'],
  },
  'general.transport-control': {
    finding: '厂区出入口有门禁，未建车辆电子台账',
    problems: ['未建立运输车辆门禁视频监控和电子台账'],
  },
};

/**
 * A few visits with the 通用帮扶检查表, each at an enterprise of another industry that has no
 * ruleset (制药, 焦化, 铁合金…): every dimension judged, findings, problems where a dimension is
 * below B, a reading at the main outlet and two photos; all but the last finalized.
 */
export function demoGeneralInspections(
  ctx: AppContext,
  count: number,
  seed: number,
): { visits: number; evidence: number } {
  const rand = seededRandom(seed + 4);
  const shared = demoPhoto(seed);
  const industries = new Set<string>();
  let visits = 0;
  for (const enterprise of listEnterprises(ctx, { offset: 0, limit: 500 }).items) {
    if (visits >= count) break;
    const processes = listProcesses(ctx, enterprise.id);
    const first = processes[0];
    if (!first || processes.some((p) => p.rulesetId) || industries.has(first.industryCode))
      continue;
    industries.add(first.industryCode);
    const month = 3 + Math.floor(rand() * 8);
    const day = 1 + Math.floor(rand() * 28);
    const visit = startInspection(
      ctx,
      InspectionStartSchema.parse({
        enterpriseId: enterprise.id,
        date: demoDate(month, day),
        type: '帮扶指导',
        members: demoTeam(rand),
        processIds: processes.map((p) => p.id),
        note: '演示数据：本行业尚无分级指标，按通用帮扶检查表检查',
      }),
    );
    const id = visit.inspection.id;
    for (const p of visit.processes) {
      const ruleset = p.ruleset.ruleset;
      if (!ruleset) continue;
      const grades = ruleset.grades.map((g) => g.grade);
      for (const indicator of ruleset.indicators) {
        // Mostly the middle of the scheme: the best grade is rare on a first visit.
        const level = grades[Math.min(grades.length - 1, 1 + Math.floor(rand() * 2))] as string;
        const notes = GENERAL_NOTES[indicator.id];
        const below = level !== grades[0] && level !== grades[1];
        saveAnswer(
          ctx,
          AnswerSaveSchema.parse({
            inspectionId: id,
            processId: p.processId,
            indicatorId: indicator.id,
            fact: level,
            note: notes?.finding ?? null,
            problems: below && notes ? notes.problems : [],
            ...(indicator.id === 'general.emission'
              ? {
                  readings: [
                    {
                      outlet: 'DA001 主排气筒',
                      pollutant: '颗粒物',
                      value: Math.round((5 + rand() * 20) * 10) / 10,
                      unit: 'mg/m³',
                      limit: 30,
                    },
                  ],
                }
              : {}),
          }),
        );
      }
    }
    const takenAt = Date.UTC(2025, month - 1, day, 3, Math.floor(rand() * 60));
    addEvidence(ctx, { inspectionId: id, fileName: '厂区全景.png', data: shared, takenAt });
    const firstProcess = visit.processes[0];
    addEvidence(ctx, {
      inspectionId: id,
      ...(firstProcess
        ? { processId: firstProcess.processId, indicatorId: 'general.fugitive' }
        : {}),
      fileName: `无组织排放现场_${visits + 1}.png`,
      data: demoPhoto(seed * 37 + visits + 1),
      takenAt: takenAt + 10 * 60_000,
    });
    visits++;
    if (visits < count) {
      for (const m of visit.members) confirmInspection(ctx, { inspectionId: id, memberId: m.id });
      finalizeInspection(ctx, id);
    }
  }
  return { visits, evidence: visits * 2 };
}
