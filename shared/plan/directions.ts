/**
 * The seven assistance directions (帮扶方向) an improvement plan is grouped by.
 *
 * Source: the seed's task (三) 指导帮扶企业更新升级 (seed/000_60f996f42beafc3c.txt, lines 61–75) asks
 * the teams to help with 提升技术创新能力、开展清洁能源替代、实施无组织排放精细化管理、建设适宜高效的
 * 治理设施、加强治理设施运行管理、提高清洁运输比例、提升自动监测监控能力建设. Issue #7 names the plan's
 * groups with six of them, shortened, plus 环境管理 (for the guideline's 环境管理水平 rows, which the
 * seed's list does not name); 提升技术创新能力 is not a group of its own.
 *
 * When adding a direction: append it here (the order is the order of a printed plan), map the
 * dimensions it answers in DIMENSION_DIRECTIONS, and add library entries in
 * resources/plan/measures.json.
 */
export const ASSISTANCE_DIRECTIONS = [
  '清洁能源替代',
  '无组织排放精细化管理',
  '治理设施建设与升级',
  '治理设施运行管理',
  '清洁运输',
  '自动监测监控能力',
  '环境管理',
] as const;
export type AssistanceDirection = (typeof ASSISTANCE_DIRECTIONS)[number];

/**
 * The direction a gap falls back to when no library entry matches it, by the indicator's
 * dimension (a dimension matches when it contains the pattern: 监测监控 matches 监测监控水平).
 * First match wins. The seed's own dimension names (lines 38–41: 工艺装备、能源类型、原辅材料、污染治理
 * 技术、有组织排放、无组织排放、监测监控、环境管理和运输监管) and the rulesets' (shared/grading/types.ts
 * DIMENSIONS) are both covered.
 * - 装备水平/工艺装备 has no direction of its own: the seed groups 设备更新、技术改造、治理升级
 *   (lines 72–73), so equipment falls under 治理设施建设与升级.
 * - 原辅材料 (fuel sulphur, low-VOCs materials…) is substitution at the source, so it joins
 *   清洁能源替代. Both choices are ours, not the seed's; an expert can override them per indicator in
 *   the measure library.
 */
export const DIMENSION_DIRECTIONS: readonly (readonly [string, AssistanceDirection])[] = [
  ['能源类型', '清洁能源替代'],
  ['原辅材料', '清洁能源替代'],
  ['无组织排放', '无组织排放精细化管理'],
  ['污染治理技术', '治理设施建设与升级'],
  ['排放限值', '治理设施建设与升级'],
  ['有组织排放', '治理设施建设与升级'],
  ['装备水平', '治理设施建设与升级'],
  ['工艺装备', '治理设施建设与升级'],
  ['运行管理', '治理设施运行管理'],
  ['运输', '清洁运输'],
  ['监测监控', '自动监测监控能力'],
  ['环境管理', '环境管理'],
];

/** Where a dimension nobody mapped goes; the draft says so, for the expert to move it. */
export const DEFAULT_DIRECTION: AssistanceDirection = '环境管理';

/** The fallback direction for a dimension, or null when no pattern matches it. */
export function directionForDimension(dimension: string): AssistanceDirection | null {
  for (const [pattern, direction] of DIMENSION_DIRECTIONS) {
    if (dimension.includes(pattern)) return direction;
  }
  return null;
}
