import type { ReviewAccount } from '../../shared/api/methods/reviews';
import type { InspectionSummary } from '../../shared/domain/inspection';
import type { ApplicationDetail, ApplicationSummary } from '../../shared/domain/review';
import type { PlanSummary } from '../../shared/plan/api';

export const ENTERPRISE_ID = '00000000-0000-4000-8000-00000000e001';
export const VISIT_ID = '00000000-0000-4000-8000-00000000f001';
export const OLD_VISIT_ID = '00000000-0000-4000-8000-00000000f002';
export const PLAN_ID = '00000000-0000-4000-8000-00000000d001';

let serial = 0;

/** An application as review.list gives it. */
export function summary(fields: Partial<ApplicationSummary> = {}): ApplicationSummary {
  serial++;
  return {
    id: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    enterpriseId: ENTERPRISE_ID,
    enterpriseName: '宁夏瑞泰水泥有限公司',
    cityCode: '6401',
    processId: null,
    industries: '水泥',
    kind: '等级',
    targetGrade: 'B',
    route: 'region',
    status: '待初审',
    round: 1,
    next: '市级初审',
    applicant: '张伟',
    createdAt: Date.UTC(2026, 10, 20, 2),
    updatedAt: Date.UTC(2026, 10, 21, 2),
    ...fields,
  };
}

/** An application as review.get gives it: B applied for, waiting for the city's 初审. */
export function detail(fields: Partial<ApplicationDetail> = {}): ApplicationDetail {
  const base = summary();
  return {
    ...base,
    basisGrade: 'B',
    basisNote: null,
    reason: '已完成超低排放改造',
    applicantAccount: '张伟（zhangwei）',
    inspectionIds: [VISIT_ID],
    planId: PLAN_ID,
    steps: [
      {
        id: '00000000-0000-4000-8000-00000000c001',
        round: 1,
        step: '提交',
        decision: '提交',
        decidedBy: '张伟',
        decidedAt: Date.UTC(2026, 10, 20, 2),
        opinion: null,
        requestVisit: false,
        account: '张伟（zhangwei）',
        role: '帮扶队员',
        parked: null,
      },
      {
        id: '00000000-0000-4000-8000-00000000c002',
        round: 1,
        step: '市级初审',
        decision: '不予通过',
        decidedBy: '王审核',
        decidedAt: Date.UTC(2026, 10, 21, 2),
        opinion: '材料不全',
        requestVisit: true,
        account: '王审核（wang）',
        role: '市级审核',
        parked: '该申报第 1 轮的市级初审已由李审核作出决定（通过），不能重复决定',
      },
    ],
    materials: {
      visits: [
        {
          id: VISIT_ID,
          number: '银川-2026-0001-K7Q3',
          date: '2026-11-18',
          type: '帮扶指导',
          grade: 'B',
          gaps: 3,
          photos: 12,
        },
      ],
      plan: { id: PLAN_ID, number: '银川-2026-0013-P2X8', status: '企业确认', measures: 7 },
      evidence: [
        {
          id: '00000000-0000-4000-8000-00000000b001',
          attachmentId: '00000000-0000-4000-8000-00000000b101',
          fileName: '监测报告.pdf',
          mimeType: 'application/pdf',
        },
      ],
    },
    official: { grade: 'C', since: '2025-06-01', cause: '审核通过' },
    actions: [
      { step: '市级初审', allowed: true, why: null },
      { step: '提交', allowed: false, why: '该申报正在审核中，退回补充后才能重新提交' },
    ],
    ...fields,
  };
}

export function account(fields: Partial<ReviewAccount> = {}): ReviewAccount {
  return {
    account: '李审核（lishenhe）',
    role: '市级审核',
    scope: '6401',
    steps: ['提交', '市级初审', '市级评定'],
    mayPublishCity: true,
    mayPublishRegion: false,
    mayRecordAPlus: false,
    mayChangeGrade: true,
    why: null,
    ...fields,
  };
}

/** A finalized visit as inspection.list gives it. */
export function finalizedVisit(fields: Partial<InspectionSummary>): InspectionSummary {
  return {
    id: VISIT_ID,
    number: '银川-2026-0001-K7Q3',
    judged: false,
    enterpriseId: ENTERPRISE_ID,
    date: '2026-11-18',
    type: '帮扶指导',
    status: 'finalized',
    note: null,
    revisionOf: null,
    correctionReason: null,
    finalizedAt: 2,
    createdAt: 1,
    updatedAt: '0000000001700000000000-0000-device',
    enterpriseName: '宁夏瑞泰水泥有限公司',
    grade: 'B',
    unverified: false,
    lockedUntil: null,
    members: ['张伟'],
    processCount: 1,
    answered: 2,
    open: 0,
    frozen: true,
    revisedBy: null,
    ...fields,
  };
}

export function plan(): PlanSummary {
  return {
    id: PLAN_ID,
    enterpriseId: ENTERPRISE_ID,
    status: '企业确认',
    number: '银川-2026-0013-P2X8',
    currentVersion: 2,
    reviewed: null,
    confirmed: null,
    createdAt: 1,
    updatedAt: '0000000001700000000000-0000-device',
    enterpriseName: '宁夏瑞泰水泥有限公司',
    targetGrade: 'B',
    measures: 7,
    investment: null,
  };
}
