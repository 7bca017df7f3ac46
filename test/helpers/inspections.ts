import type { AppContext } from '../../electron/services/context';
import { createEnterprise } from '../../electron/services/enterprises';
import {
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
  saveAnswer,
  startInspection,
} from '../../electron/services/inspections';
import { createProcess } from '../../electron/services/processes';
import { EnterpriseDraftSchema } from '../../shared/domain/enterprise';
import {
  AnswerSaveSchema,
  InspectionStartSchema,
  type AnswerSaveInput,
  type InspectionDetail,
  type InspectionStartInput,
} from '../../shared/domain/inspection';
import { ProcessDraftSchema, type ProcessDraftInput } from '../../shared/domain/process';

/** The fixture cement ruleset's indicators: NOx (max: A 50, B 100) and clean trucks (min: A 100, B 80, C 50). */
export const NOX = 'emission.kiln-tail.nox';
export const TRUCKS = 'transport.clean-road-share';
export const CEMS = 'monitoring.cems';

export interface Site {
  enterpriseId: string;
  /** 水泥熟料, graded by the fixture cement-clinker (draft), target B. */
  cementId: string;
  /** 电解锰, graded by manganese-leading (verified, 引领性/非引领性), target 引领性. */
  manganeseId: string;
}

/** An enterprise with two processes that have rulesets. */
export function createSite(ctx: AppContext, name = '宁夏瑞泰水泥有限公司'): Site {
  const enterpriseId = createEnterprise(
    ctx,
    EnterpriseDraftSchema.parse({ name, cityCode: '6401', countyCode: '640104' }),
  ).id;
  const process = (over: Partial<ProcessDraftInput>) =>
    createProcess(ctx, ProcessDraftSchema.parse({ enterpriseId, ...over })).id;
  return {
    enterpriseId,
    cementId: process({
      industryCode: 'cement',
      branch: '水泥熟料',
      name: '1#熟料线',
      rulesetId: 'cement-clinker',
      currentGrade: 'C',
      targetGrade: 'B',
    }),
    manganeseId: process({
      industryCode: 'ferroalloy',
      branch: '电解锰',
      rulesetId: 'manganese-leading',
      currentGrade: '非引领性',
      targetGrade: '引领性',
    }),
  };
}

export function startSiteInspection(
  ctx: AppContext,
  site: Site,
  over: Partial<InspectionStartInput> = {},
): InspectionDetail {
  return startInspection(
    ctx,
    InspectionStartSchema.parse({
      enterpriseId: site.enterpriseId,
      date: '2025-06-01',
      type: '帮扶指导',
      members: [
        { name: '张伟', role: '执法' },
        { name: '李静', role: '专家' },
      ],
      processIds: [site.cementId],
      ...over,
    }),
  );
}

/** Saves one answer through the same schema the API applies. */
export function answer(
  ctx: AppContext,
  inspectionId: string,
  processId: string,
  indicatorId: string,
  over: Partial<AnswerSaveInput> = {},
) {
  return saveAnswer(ctx, AnswerSaveSchema.parse({ inspectionId, processId, indicatorId, ...over }));
}

/** Every member of the inspection confirms it, then it is finalized. */
export function confirmAndFinalize(ctx: AppContext, id: string): InspectionDetail {
  for (const m of getInspectionDetail(ctx, id).members) {
    confirmInspection(ctx, { inspectionId: id, memberId: m.id });
  }
  return finalizeInspection(ctx, id);
}
