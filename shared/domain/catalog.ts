import { z } from 'zod';

/**
 * The industry catalogue (resources/industries.json): the 39 national key industries with their
 * branches, and Ningxia's "+5" (unverified until the official list is entered).
 */
export const BranchSchema = z.object({
  name: z.string().min(1),
  /** Best first, where sourced. */
  gradeScheme: z.array(z.string().min(1)).min(2).optional(),
  /** Ids of the shipped rulesets that grade this branch. */
  rulesets: z.array(z.string().min(1)).default([]),
  note: z.string().optional(),
});

export const IndustrySchema = z.object({
  code: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  no: z.number().int().positive().optional(),
  name: z.string().min(1),
  category: z.string().optional(),
  scope: z.enum(['national', 'ningxia']),
  verified: z.boolean(),
  branches: z.array(BranchSchema).min(1),
  note: z.string().optional(),
});

export const CatalogSchema = z.object({
  edition: z.string().min(1),
  source: z.string().min(1),
  industries: z.array(IndustrySchema).min(1),
});

export type Branch = z.output<typeof BranchSchema>;
export type Industry = z.output<typeof IndustrySchema>;
export type Catalog = z.output<typeof CatalogSchema>;

/**
 * Where a branch's scheme is not sourced, every grade the Ningxia plan names is allowed
 * (A, B, B-, C, D, 绩效引领性/非引领性): refusing one would be a guess too.
 */
export const ALL_GRADES = ['A', 'B', 'B-', 'C', 'D', '引领性', '非引领性'] as const;

export function findIndustry(catalog: Catalog, codeOrName: string): Industry | undefined {
  const key = codeOrName.trim();
  return catalog.industries.find((i) => i.code === key || i.name === key);
}

export function findBranch(industry: Industry, name: string): Branch | undefined {
  return industry.branches.find((b) => b.name === name.trim());
}

/** The grades a process of this branch may hold. */
export function branchGrades(branch: Branch | undefined): readonly string[] {
  return branch?.gradeScheme ?? ALL_GRADES;
}
