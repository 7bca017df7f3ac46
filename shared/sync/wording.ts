import { localDateTime } from '../local-time';

import { isHlc, parseHlc } from './hlc';
import type { DeferReason } from './status';

/**
 * How sync's things read to a person (the 同步 screen, the CLI): the synced tables, why a remote
 * value was set aside, where it came from. Pure wording; what is unknown shows as it is.
 */

/** What a person calls the synced tables (by the name ops carry). */
export const SYNC_TABLE_NAMES: Readonly<Record<string, string>> = {
  enterprises: '企业',
  enterprise_processes: '行业与工序',
  rulesets: '分级指标',
  pinned_rulesets: '检查固定的指标',
  inspections: '检查记录',
  inspection_members: '检查组成员',
  inspection_processes: '检查的工序',
  inspection_answers: '检查答案',
  attachments: '证据文件',
  attachment_uses: '证据',
  violations: '违法记录',
  plans: '提升方案',
  plan_versions: '方案版本',
  grade_applications: '申报',
  review_steps: '审核记录',
  grade_events: '等级变更记录',
  publications: '公示名单',
};

/** The table's Chinese name; a table this version does not know keeps its own name. */
export function syncTableName(table: string): string {
  return Object.prototype.hasOwnProperty.call(SYNC_TABLE_NAMES, table)
    ? (SYNC_TABLE_NAMES[table] as string)
    : table;
}

/** Field names every synced table shares. */
const COMMON_FIELD_NAMES: Readonly<Record<string, string>> = {
  createdAt: '创建时间',
  deleted: '已删除',
  enterpriseId: '所属企业',
  inspectionId: '所属检查',
  rulesetId: '指标体系',
  note: '备注',
  date: '日期',
  deletedAt: '删除时间',
  deletedBy: '删除人',
  deleteReason: '删除原因',
};

/** What a person calls a synced table's fields (by the names ops carry), where not common. */
export const SYNC_FIELD_NAMES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  enterprises: {
    name: '企业名称',
    creditCode: '统一社会信用代码',
    cityCode: '地市',
    countyCode: '区县',
    address: '地址',
    contactPerson: '联系人',
    contactPhone: '联系电话',
    guarantee: '保障类企业',
    guaranteeSince: '保障类起始日期',
    guaranteeApplicationId: '保障类依据的申报',
  },
  enterprise_processes: {
    industryCode: '行业',
    branch: '分支',
    name: '工序名称',
    currentGrade: '现绩效等级',
    targetGrade: '目标等级',
    differentiators: '差异化指标',
    problems: '存在问题',
    improvements: '提升措施',
    dueDate: '完成时限',
    remark: '备注',
  },
  rulesets: { edition: '版本', json: '指标内容', importedAt: '导入时间' },
  pinned_rulesets: { edition: '版本', json: '指标内容' },
  inspections: {
    type: '检查类型',
    status: '状态',
    revisionOf: '更正的检查',
    number: '记录编号',
    finalizedAt: '定稿时间',
    frozenGrading: '定稿评级',
    correctionReason: '更正原因',
  },
  inspection_members: { name: '姓名', role: '角色', confirmedAt: '确认时间' },
  inspection_processes: {
    processId: '工序',
    rulesetEdition: '指标版本',
    rulesetHash: '指标摘要',
  },
  inspection_answers: {
    inspectionProcessId: '检查的工序',
    indicatorId: '指标',
    fact: '核查结果',
    problems: '存在问题',
    readings: '实测读数',
  },
  attachments: { size: '文件大小', mimeType: '文件类型' },
  attachment_uses: {
    attachmentId: '文件',
    answerId: '所属答案',
    violationId: '所属违法记录',
    fileName: '文件名',
    takenAt: '拍摄时间',
    signerName: '签名人',
    signerRole: '签名身份',
    memberId: '签名的检查组成员',
    planId: '签名的方案',
    planVersion: '签名的方案版本',
    applicationId: '所属申报',
  },
  violations: {
    kind: '违法类型',
    withdrawnAt: '撤销时间',
    withdrawnBy: '撤销人',
    withdrawnAccount: '撤销账号',
    withdrawReason: '撤销原因',
  },
  plans: {
    status: '状态',
    number: '记录编号',
    currentVersion: '当前版本',
    reviewedVersion: '审核的版本',
    reviewedBy: '审核人',
    reviewedAt: '审核时间',
    confirmedVersion: '企业确认的版本',
    confirmedBy: '确认人',
    confirmedAt: '确认时间',
    reviewOpinion: '审定意见',
    reviewedAccount: '审定账号',
    confirmMethod: '确认方式',
    confirmedAccount: '确认账号',
  },
  plan_versions: {
    planId: '所属方案',
    version: '版本号',
    content: '方案内容',
    comment: '修改说明',
  },
  grade_applications: {
    processId: '申报的工序',
    kind: '申报类型',
    targetGrade: '申报等级',
    route: '审核流程',
    basisGrade: '核查等级',
    basisNote: '等级说明',
    inspectionIds: '依据的检查',
    planId: '依据的方案',
    reason: '申报说明',
    applicant: '申报人',
    applicantAccount: '申报账号',
  },
  review_steps: {
    applicationId: '所属申报',
    round: '轮次',
    step: '审核步骤',
    decision: '审核决定',
    opinion: '审核意见',
    requestVisit: '要求现场核查',
    decidedBy: '审核人',
    account: '账号',
    role: '账号角色',
    decidedAt: '审核时间',
  },
  grade_events: {
    processId: '工序',
    grade: '认定等级',
    previousGrade: '原等级',
    change: '变更类型',
    cause: '变更原因',
    reason: '说明',
    documentNo: '文号',
    effectiveDate: '生效日期',
    applicationId: '依据的申报',
    violationId: '依据的违法记录',
    decidedBy: '决定人',
    account: '账号',
    role: '账号角色',
  },
  publications: {
    scope: '公示范围',
    edition: '期数',
    title: '标题',
    publishedAt: '发布时间',
    publishedBy: '发布人',
    account: '发布账号',
    content: '名单内容',
    rowCount: '企业数',
  },
};

/** A field's Chinese name; a field this version does not know keeps its own name. */
export function syncFieldName(table: string, field: string): string {
  const own = Object.prototype.hasOwnProperty.call(SYNC_FIELD_NAMES, table)
    ? SYNC_FIELD_NAMES[table]
    : undefined;
  if (own && Object.prototype.hasOwnProperty.call(own, field)) return own[field] as string;
  if (Object.prototype.hasOwnProperty.call(COMMON_FIELD_NAMES, field)) {
    return COMMON_FIELD_NAMES[field] as string;
  }
  return field;
}

/** Why a remote value waits, and what will make it apply. */
export const DEFER_REASON_TEXT: Readonly<Record<DeferReason, string>> = {
  unknown_table: '来自较新版本的数据表，升级后生效',
  unknown_field: '较新版本的字段，升级后生效',
  parent_missing: '等待所属记录到达',
  incomplete: '记录不完整，等待其余字段',
  finalize: '等待检查记录其余部分到达后定稿',
  immutable: '已定稿的检查记录不能修改，中心的修改已保存待核对',
  duplicate: '与本机已有记录重复（如统一社会信用代码）',
  invalid: '数值格式不正确',
  bad_text: '含有无效字符（不成对的代理项、空字符或控制字符），未写入本机',
  forged: '指标内容与其编号（SHA-256 摘要）不符，可能被篡改，未写入本机',
};

/** The reason in Chinese; a reason a newer version wrote shows as it is. */
export function deferReasonText(reason: string): string {
  return Object.prototype.hasOwnProperty.call(DEFER_REASON_TEXT, reason)
    ? DEFER_REASON_TEXT[reason as DeferReason]
    : reason;
}

const BUNDLE_PREFIX = 'bundle:';

/** Where a remote value came from: the central store, or a USB bundle of another device. */
export function syncSourceText(source: string): string {
  if (source === 'server') return '中心服务器';
  if (source.startsWith(BUNDLE_PREFIX)) return 'U盘数据包';
  return source;
}

/** The device a bundle came from (bundle:<deviceId>); null for the central store. */
export function syncSourceDevice(source: string): string | null {
  return source.startsWith(BUNDLE_PREFIX) ? source.slice(BUNDLE_PREFIX.length) || null : null;
}

/** The wall time of a hybrid clock stamp (epoch ms); null for what is not a stamp. */
export function clockTime(stamp: string): number | null {
  return isHlc(stamp) ? parseHlc(stamp).wallMs : null;
}

/** A moment as every screen shows one: 2026-11-28 19:16:50 (the device's time zone). */
export function localTimeText(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '未知';
  return localDateTime(ms);
}

/** Fields that hold a moment as epoch milliseconds (createdAt, finalizedAt, takenAt…). */
function isMomentField(field: string): boolean {
  return /^[a-z]+At$/.test(field);
}

/**
 * A field's value as a person reads it in a list: moments as local times, yes/no for flags,
 * empty values said so; anything else as it is (structures as their JSON).
 */
export function syncValueText(field: string, value: unknown): string {
  if (value === null || value === undefined) return '（空）';
  if (typeof value === 'string') return value === '' ? '（空字符串）' : value;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number' && isMomentField(field)) return localTimeText(value);
  return JSON.stringify(value);
}
