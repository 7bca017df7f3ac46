import { z } from 'zod';

import { text } from '../text';
import { checkCreditCode, normalizeCreditCode } from './credit-code';
import { findCity, findCounty } from './regions';
import type { OfficialGradeNow } from './review';

/** An optional text field: blank becomes null, surrounding spaces are dropped. */
function optionalText(label: string, max: number) {
  return text(label, `${label}应为文本`)
    .trim()
    .max(max, `${label}不能超过${max}个字`)
    .nullish()
    .transform((v) => (v === undefined || v === null || v === '' ? null : v));
}

const PHONE = /^[0-9+\-\s()（）转,，/]{5,40}$/;

/** What a person enters for an enterprise (the form, the CLI, an import row). */
export const EnterpriseDraftSchema = z
  .object({
    name: text('企业名称', '企业名称不能为空')
      .trim()
      .min(1, '企业名称不能为空')
      .max(100, '企业名称不能超过100个字'),
    creditCode: text('统一社会信用代码', '统一社会信用代码应为文本')
      .nullish()
      .transform((v, ctx) => {
        const code = v === undefined || v === null ? '' : normalizeCreditCode(v);
        if (code === '') return null;
        const check = checkCreditCode(code);
        if (!check.ok) {
          ctx.addIssue({ code: 'custom', message: check.message });
          return z.NEVER;
        }
        return check.code;
      }),
    cityCode: text('地级市', '请选择地级市').min(1, '请选择地级市'),
    countyCode: optionalText('县（市、区）', 20),
    address: optionalText('地址', 200),
    contactPerson: optionalText('联系人', 50),
    contactPhone: optionalText('联系电话', 40).refine((v) => v === null || PHONE.test(v), {
      message: '联系电话只能包含数字、空格、+、-、括号和“转”',
    }),
  })
  .strict()
  .superRefine((d, ctx) => {
    // An empty city was already reported as 请选择地级市.
    if (d.cityCode === '') return;
    const city = findCity(d.cityCode);
    if (!city) {
      ctx.addIssue({
        code: 'custom',
        path: ['cityCode'],
        message: `地级市“${d.cityCode}”不是宁夏的地级市或宁东基地`,
      });
      return;
    }
    if (d.countyCode === null) {
      if (!city.countyOptional) {
        ctx.addIssue({ code: 'custom', path: ['countyCode'], message: '请选择县（市、区）' });
      }
    } else if (!findCounty(city.code, d.countyCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['countyCode'],
        message: `县（市、区）“${d.countyCode}”不属于${city.name}`,
      });
    }
  });

export type EnterpriseDraftInput = z.input<typeof EnterpriseDraftSchema>;
export type EnterpriseDraft = z.output<typeof EnterpriseDraftSchema>;

export const IdSchema = z.string({ error: '缺少记录编号' }).uuid('记录编号格式不正确');

export const EnterpriseUpdateSchema = z
  .object({ id: IdSchema, draft: EnterpriseDraftSchema })
  .strict();

/** An enterprise as stored and shown. Times: createdAt in epoch ms, updatedAt a hybrid clock. */
export interface Enterprise {
  id: string;
  name: string;
  creditCode: string | null;
  cityCode: string;
  countyCode: string | null;
  address: string | null;
  contactPerson: string | null;
  contactPhone: string | null;
  createdAt: number;
  updatedAt: string;
}

export const ENTERPRISE_PAGE_MAX = 500;

export const EnterpriseQuerySchema = z
  .object({
    text: text('搜索词').trim().max(100, '搜索词不能超过100个字').optional(),
    cityCode: text('地级市').max(20).optional(),
    countyCode: text('县（市、区）').max(20).optional(),
    /** Enterprises with a live process of this industry (catalogue code). */
    industryCode: text('重点行业类型').max(50).optional(),
    /** …whose current (绩效现状) or target (绩效提升目标) grade is this. */
    currentGrade: text('绩效现状').max(10).optional(),
    targetGrade: text('绩效提升目标').max(10).optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(ENTERPRISE_PAGE_MAX).default(50),
  })
  .strict();
export type EnterpriseQueryInput = z.input<typeof EnterpriseQuerySchema>;
export type EnterpriseQuery = z.output<typeof EnterpriseQuerySchema>;

export interface EnterprisePage {
  total: number;
  /** True when a text search matched more than `total` enterprises (shown as 1000+). */
  totalCapped?: boolean;
  items: EnterpriseListItem[];
}

/**
 * An enterprise's grade now, as the registry shows it: its latest finalized visit's grade (as that
 * visit was finalized), unless a violation locks it today, which puts it at the floor.
 */
export interface CurrentGrade {
  /** The grade now; null when there is no finalized visit to read it from. */
  grade: string | null;
  /** The latest finalized visit (a correction in place of the visit it corrects), if any. */
  visit: {
    id: string;
    date: string;
    grade: string | null;
    lockedUntil: string | null;
    answered: number;
    open: number;
    frozen: boolean;
  } | null;
  /** The violation that locks the enterprise today; it decides the grade (the floor). */
  violation: { date: string; kind: string; lockedUntil: string } | null;
}

/** A row of the registry: the enterprise and what the list shows beside it. */
export interface EnterpriseListItem extends Enterprise {
  currentGrade: CurrentGrade;
  /**
   * YYYY-MM-DD until which a violation (超标排放, 偷排偷放…) bars the enterprise from applying
   * for a better grade, as of today; null when it is not locked.
   */
  lockedUntil: string | null;
  /** The official grade (认定等级) of the enterprise as a whole now, from its grade history. */
  official: OfficialGradeNow;
  /** 保障类企业 (marked by the city). */
  guarantee: boolean;
}
