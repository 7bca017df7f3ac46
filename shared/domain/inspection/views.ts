import { z } from 'zod';
import {
  type FactValue,
  type Gap,
  type Requirement,
  type Ruleset,
  type RulesetStatus,
} from '../../grading/types';
import { type InspectionStatus, type InspectionType, type MemberRole, type Reading } from './input';

/** What the services return for visits: the visit, its team, processes, answers, evidence and grading. */
// ─── What the services return ───────────────────────────────────────────────────────────────

export interface Inspection {
  id: string;
  enterpriseId: string;
  date: string;
  type: InspectionType;
  status: InspectionStatus;
  note: string | null;
  /** The visit this one corrects, if it is a revision. */
  revisionOf: string | null;
  /** Why it corrects it (更正原因); null unless it is a revision. */
  correctionReason: string | null;
  /** The record number people say aloud (银川-2026-0012-K7Q3); never changes. */
  number: string;
  /** Epoch ms. */
  finalizedAt: number | null;
  createdAt: number;
  updatedAt: string;
}

/** A signature on a visit or a plan: evidence whose file is the signed PNG. */
export interface Signature {
  /** The evidence use; its file is read with evidence.read. */
  id: string;
  sha256: string;
  signerName: string;
  /** A team member's role, 企业陪同人员, 审定专家 or 企业确认人. */
  signerRole: string;
  /** The team member who signed, for a member's signature. */
  memberId: string | null;
  /** Epoch ms. */
  signedAt: number;
}

export interface InspectionMember {
  id: string;
  name: string;
  role: MemberRole;
  /** Epoch ms of this member's confirmation; null until they confirm. */
  confirmedAt: number | null;
}

/** The ruleset a visited process is answered against, exactly as pinned. */
export interface PinnedRuleset {
  id: string;
  edition: string;
  hash: string;
  status: RulesetStatus;
  /** The 通用帮扶检查表 (its grades are 专家判定), not an industry's ruleset. */
  general: boolean;
  /** The pinned content (null when it is not on this device yet). */
  ruleset: Ruleset | null;
}

export interface InspectionProcess {
  /** The inspection_processes row. */
  id: string;
  /** The enterprise_processes row. */
  processId: string;
  /** What to call it: its own name, else industry and branch. */
  label: string;
  industryCode: string;
  branch: string;
  targetGrade: string | null;
  ruleset: PinnedRuleset;
}

export interface InspectionAnswer {
  id: string;
  processId: string;
  indicatorId: string;
  /** null: not answered (unknown). */
  fact: FactValue | null;
  note: string | null;
  /** 存在问题 recorded here (empty when none). */
  problems: string[];
  /** 实测读数 recorded here (empty when none). */
  readings: Reading[];
  updatedAt: string;
}

/** What a photo's own EXIF says, read once on the device (electron/services/photos.ts). */
export interface PhotoInfo {
  /** Upright size in pixels of the original. */
  width: number;
  height: number;
  /** The camera's clock when it was taken, 'YYYY-MM-DD HH:mm' as it showed; null if not recorded. */
  takenAt: string | null;
  /** Where, in degrees (north and east positive); null if not recorded. */
  gps: { lat: number; lon: number } | null;
}

/** Where a photo was taken, as screens and PDFs print it: 北纬 38.4872° 东经 106.2306° (about 10 m). */
export function photoPlaceText(gps: { lat: number; lon: number }): string {
  const lat = `${gps.lat >= 0 ? '北纬' : '南纬'} ${Math.abs(gps.lat).toFixed(4)}°`;
  const lon = `${gps.lon >= 0 ? '东经' : '西经'} ${Math.abs(gps.lon).toFixed(4)}°`;
  return `${lat} ${lon}`;
}

export interface EvidenceUse {
  id: string;
  /** SHA-256 of the content (the attachment's id). */
  sha256: string;
  fileName: string;
  mimeType: string;
  size: number;
  /** Epoch ms the caller gave as the file's own time; null if unknown. */
  takenAt: number | null;
  createdAt: number;
  inspectionId: string | null;
  /** The answer it documents, with its process and indicator; null for the visit as a whole. */
  answerId: string | null;
  processId: string | null;
  indicatorId: string | null;
  violationId: string | null;
  /** The application (申报) it is material of. */
  applicationId: string | null;
}

/** A requirement not met, named so a person can read it without the ruleset at hand. */
export interface GapView {
  indicatorId: string;
  title: string;
  dimension: string;
  kind: string;
  unit: string | null;
  status: Gap['status'];
  required: Requirement;
  actual: FactValue | null;
}

export interface ProcessGrading {
  inspectionProcessId: string;
  processId: string;
  label: string;
  rulesetId: string;
  edition: string;
  /**
   * The pinned ruleset in words (水泥熟料分级指标, or 通用帮扶检查表), as every screen and
   * document a team reads names it; never its id. 分级指标 where this device lacks the content.
   */
  rulesetName: string;
  /** The pinned ruleset's 说明 for the team (its `summary`), or null. */
  summary: string | null;
  /** 指标待核实: the pinned ruleset is a draft (not yet checked against the official text). */
  unverified: boolean;
  /** Visited with the 通用帮扶检查表: the grade is the team's judgement (专家判定), worst dimension. */
  judged: boolean;
  /** null when the process cannot be graded (see `problem`). */
  grade: string | null;
  /** Where a violation put the process at its floor: the grade its facts alone support. */
  factsGrade: string | null;
  targetGrade: string | null;
  /** null when there is no target, or it is not a grade of the pinned ruleset. */
  reachesTarget: boolean | null;
  /** The requirements of the target grade's column not met (empty when the facts meet it). */
  gapsToTarget: GapView[] | null;
  /** For each grade better than `grade`: its requirements not met. */
  gaps: Record<string, GapView[]>;
  answered: number;
  indicators: number;
  /** Why grading or the target could not be worked out, in Chinese; null when all is well. */
  problem: string | null;
}

export interface InspectionGrading {
  /** The day grades are computed as of: the visit's date. */
  asOf: string;
  /** The enterprise's grade from the visited processes (worst of them, violations applied). */
  grade: string | null;
  lockedUntil: string | null;
  /** Any pinned ruleset is a draft: show 指标待核实 beside every grade. */
  unverified: boolean;
  /** Indicators answered (a fact or 不适用) over every visited process. */
  answered: number;
  /** Indicators still unanswered over every visited process. */
  open: number;
  /**
   * The grades are those finalization computed and stored (a finalized visit keeps them, whatever
   * is recorded later); false while a draft is graded live.
   */
  frozen: boolean;
  /**
   * A violation recorded after finalization that the frozen grades do not include, and that
   * locks the enterprise now: it changes the enterprise's current grade, never this record's.
   */
  laterViolation: { date: string; kind: string; lockedUntil: string } | null;
  processes: ProcessGrading[];
}

/**
 * What finalization stores of a visit's grading (inspections.frozenGrading, JSON): the grades it
 * computed, and the violation it applied, so the record reads the same ever after.
 */
export const FrozenGradingSchema = z.object({
  v: z.literal(1),
  asOf: z.string(),
  grade: z.string().nullable(),
  lockedUntil: z.string().nullable(),
  /** The violation (its date) that put the processes at their floor; null when none did. */
  violationDate: z.string().nullable(),
  processes: z.array(
    z.object({
      /** The inspection_processes row. */
      id: z.string(),
      grade: z.string().nullable(),
      factsGrade: z.string().nullable(),
      answered: z.number().int().min(0),
      indicators: z.number().int().min(0),
    }),
  ),
});
export type FrozenGrading = z.output<typeof FrozenGradingSchema>;

/** What autosaving one answer returns: the answer as stored and the visit's live grading. */
export interface AnswerSaved {
  answer: InspectionAnswer | null;
  /** false when the same values were saved again and nothing was written. */
  changed: boolean;
  grading: InspectionGrading;
}

/** The visit that corrects a visit (a revision naming it). */
export interface RevisedBy {
  id: string;
  number: string;
  status: InspectionStatus;
  /** Why the correction was made: shown on the corrected visit too. */
  reason: string | null;
}

export interface InspectionSummary extends Inspection {
  enterpriseName: string;
  grade: string | null;
  unverified: boolean;
  /** Some process was judged with the 通用帮扶检查表: the grade rests on 专家判定. */
  judged: boolean;
  lockedUntil: string | null;
  members: string[];
  processCount: number;
  answered: number;
  /** Indicators still unanswered (for a finalized visit: when it was finalized). */
  open: number;
  /** The grade is the one stored at finalization. */
  frozen: boolean;
  /** The visit that corrects this one (a revision naming it), if any. */
  revisedBy: RevisedBy | null;
}

export interface InspectionDetail {
  inspection: Inspection;
  enterpriseName: string;
  members: InspectionMember[];
  processes: InspectionProcess[];
  answers: InspectionAnswer[];
  evidence: EvidenceUse[];
  /** Who signed it (team members, the enterprise's representative), in the order they signed. */
  signatures: Signature[];
  grading: InspectionGrading;
  /** The answer saved last, so a reopened draft continues where it was left. */
  lastAnswer: { processId: string; indicatorId: string } | null;
  /** The visits of this correction chain, oldest first (this one included). */
  history: {
    id: string;
    number: string;
    status: InspectionStatus;
    date: string;
    revisionOf: string | null;
  }[];
  revisedBy: RevisedBy | null;
}
