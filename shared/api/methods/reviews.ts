import { z } from 'zod';

import { IdSchema } from '../../domain/enterprise';
import {
  APPLICATION_STATUSES,
  ApplicationDraftSchema,
  GradeChangeSchema,
  PublishSchema,
  ResubmitSchema,
  ReviewDecisionSchema,
  type ApplicationDetail,
  type ApplicationStatus,
  type ApplicationSummary,
  type GradeEvent,
  type OfficialGradeNow,
  type Publication,
  type PublicationRow,
  type ReviewStep,
} from '../../domain/review';
import { ById, type FilePayload, TaskId, method } from './common';

/**
 * 审核评定, 动态管理 and 信息公开: applications (申报) and their review, the official grade and its
 * history, and the published results lists (shared/domain/review.ts holds the rules).
 */

export const REVIEW_PAGE_MAX = 200;

export const ApplicationListSchema = z
  .object({
    enterpriseId: IdSchema.optional(),
    cityCode: z.string().max(20).optional(),
    status: z.enum(APPLICATION_STATUSES).optional(),
    /** Only those whose next step this device's account may take (the review queue). */
    mine: z.boolean().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(REVIEW_PAGE_MAX).default(50),
  })
  .strict();

export interface ApplicationPage {
  total: number;
  items: ApplicationSummary[];
  /** How many wait at each status in the same filter (the queue's tabs). */
  counts: Partial<Record<ApplicationStatus, number>>;
}

/** What this device's account may do in the review workflow (the screens offer only these). */
export interface ReviewAccount {
  /** The logged-in account (姓名（用户名）), or null when the device has never logged in. */
  account: string | null;
  role: string | null;
  /** A city code or 'region'; null when not logged in. */
  scope: string | null;
  /** Steps this account may take (提交 is open to everyone). */
  steps: ReviewStep[];
  mayPublishCity: boolean;
  mayPublishRegion: boolean;
  mayRecordAPlus: boolean;
  mayChangeGrade: boolean;
  /** Why the account may not review, when it may not (Chinese, for the screen). */
  why: string | null;
}

/** A 降级 a 复核 visit points to: its grade is below the official grade. */
export interface DowngradeProposal {
  enterpriseId: string;
  enterpriseName: string;
  cityCode: string;
  processId: string | null;
  official: string;
  found: string;
  inspectionId: string;
  inspectionNumber: string | null;
  inspectionDate: string;
}

export interface GradeHistory {
  /** The enterprise as a whole (processId null), then each process with a grade of its own. */
  official: OfficialGradeNow;
  processes: { processId: string; industry: string; official: OfficialGradeNow }[];
  guarantee: { since: string | null; applicationId: string | null } | null;
  events: GradeEvent[];
  proposals: DowngradeProposal[];
}

export type PublicationSummary = Omit<Publication, 'rows'> & { rowCount: number };

/** The results list as it would be published now for a scope, and whether this account may. */
export interface PublicationPreview {
  /** A city code or 'region' (the account's own when none was asked for). */
  scope: string;
  scopeName: string;
  rows: PublicationRow[];
  /** The edition number publishing now would take, and its default title. */
  nextEdition: number;
  title: string;
  /** Whether this device's account may publish it; why not, when it may not. */
  allowed: boolean;
  why: string | null;
  /** The last edition, when nothing has changed since it (publishing again is refused). */
  sameAs: number | null;
  /** The logged-in account's scope (a city code or 'region'); null when not logged in. */
  accountScope: string | null;
  /** The logged-in account's name (to fill in 发布人); null when not logged in. */
  accountName: string | null;
}

export const reviewMethods = {
  'review.account': method(z.object({}).strict()).returns<ReviewAccount>(),
  /** 申报: refused under a violation lock (naming the day it ends) or without a finalized visit. */
  'review.apply': method(ApplicationDraftSchema).returns<ApplicationDetail>(),
  'review.resubmit': method(ResubmitSchema).returns<ApplicationDetail>(),
  /** 初审 / 复审 / 评定: the account must hold the step's role; an approval sets 认定等级. */
  'review.decide': method(ReviewDecisionSchema).returns<ApplicationDetail>(),
  'review.get': method(ById).returns<ApplicationDetail>(),
  'review.list': method(ApplicationListSchema).returns<ApplicationPage>(),
  'grade.history': method(z.object({ enterpriseId: IdSchema }).strict()).returns<GradeHistory>(),
  /** 复核降级 (the city confirms), A+认定 (the region, A-level only) or 撤销等级. */
  'grade.change': method(GradeChangeSchema).returns<GradeEvent>(),
  'grade.proposals': method(z.object({ cityCode: z.string().max(20).optional() }).strict()).returns<
    DowngradeProposal[]
  >(),
  /**
   * The list as it would be published now for a scope (a city code or 'region'; without one, the
   * account's own, or the region when not logged in), and whether this account may publish it.
   */
  'publication.preview': method(
    z.object({ scope: z.string().min(1).max(20).optional() }).strict(),
  ).returns<PublicationPreview>(),
  'publication.publish': method(PublishSchema).returns<PublicationSummary>(),
  'publication.list': method(z.object({ scope: z.string().max(20).optional() }).strict()).returns<
    PublicationSummary[]
  >(),
  'publication.get': method(ById).returns<Publication>(),
  'publication.exportExcel': method(ById.extend({ taskId: TaskId }).strict()).returns<
    FilePayload & { rows: number }
  >(),
  /** The 公告 as a PDF. */
  'publication.exportPdf': method(ById.extend({ taskId: TaskId }).strict()).returns<
    FilePayload & { pages: number }
  >(),
} as const;
