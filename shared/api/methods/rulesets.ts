import { z } from 'zod';
import type { Catalog } from '../../domain/catalog';
import type { Ruleset } from '../../grading/types';
import { text } from '../../text';
import { Empty, type FilePayload, FileSchema, method } from './common';

/** The catalog and the ruleset library (分级指标库): its methods and what they return. */
/** A ruleset of the library, as the 分级指标库 lists it. */
export interface RulesetSummary {
  id: string;
  industry: string;
  branch: string | null;
  edition: string;
  status: 'draft' | 'verified';
  source: string;
  /** 说明: what a team needs to know of the table (field screens and PDFs show it). */
  summary: string | null;
  /** 来源与缺项: the experts' account of what was sourced and what is missing (library only). */
  sourceNote: string | null;
  indicatorCount: number;
  grades: string[];
  origin: 'shipped' | 'imported';
  hash: string;
}

/** One indicator as a preview lists it. */
export interface RulesetIndicatorBrief {
  id: string;
  title: string;
  /** 上限, 下限, 是否, 选项 or 等级. */
  kind: string;
  unit: string | null;
}

/**
 * What importing a file would install, before anything is installed: the ruleset, its indicators
 * by dimension, what changes against the installed edition, and who may publish it to the region.
 */
export interface RulesetPreview {
  summary: Omit<RulesetSummary, 'origin'>;
  dimensions: { dimension: string; indicators: RulesetIndicatorBrief[] }[];
  /** The installed ruleset compared against: the same id and edition, else its latest edition. */
  installed: {
    edition: string;
    status: 'draft' | 'verified';
    origin: 'shipped' | 'imported';
  } | null;
  /** This very content is installed already: installing changes nothing. */
  identical: boolean;
  changes: {
    added: RulesetIndicatorBrief[];
    removed: RulesetIndicatorBrief[];
    /** Each changed indicator with what changed, in Chinese (「A级要求：50 → 40」). */
    changed: (RulesetIndicatorBrief & { what: string[] })[];
    /** Changes of the ruleset itself (grade scheme, status, source), in Chinese. */
    ruleset: string[];
  } | null;
  /** The reader's warnings (example rows skipped, ids generated), with their place. */
  warnings: string[];
  publish: {
    /** The logged-in account's role; null when this device has no sync account. */
    role: string | null;
    allowed: boolean;
    /** Who may publish it to the region, in Chinese, for this account. */
    message: string;
  };
}

export interface RulesetDetail {
  summary: RulesetSummary;
  ruleset: Ruleset;
}

const RulesetRef = z
  .object({ id: text('指标体系编号').min(1).max(100), edition: text('版本').max(50).optional() })
  .strict();

export const rulesetMethods = {
  'catalog.get': method(Empty).returns<Catalog>(),
  'ruleset.list': method(Empty).returns<RulesetSummary[]>(),
  'ruleset.get': method(RulesetRef).returns<RulesetDetail>(),
  'ruleset.preview': method(FileSchema).returns<RulesetPreview>(),
  'ruleset.import': method(FileSchema).returns<{ summary: RulesetSummary; added: boolean }>(),
  'ruleset.export': method(
    RulesetRef.extend({ format: z.enum(['xlsx', 'json']).default('xlsx') }).strict(),
  ).returns<FilePayload>(),
  'ruleset.template': method(Empty).returns<FilePayload>(),
} as const;
