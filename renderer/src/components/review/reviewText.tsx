/**
 * How 审核评定 names things on screen: what an application asks for, its status, its next step,
 * a decision's colour. Shared by the queue, the application's drawer and the 申报 form.
 */
import { Tag } from 'antd';

import {
  ROUTE_NAMES,
  type ApplicationStatus,
  type ApplicationSummary,
  type Decision,
  type ReviewRoute,
  type ReviewStep,
} from '../../../../shared/domain/review';

const STATUS_COLORS: Readonly<Record<ApplicationStatus, string>> = {
  待初审: 'blue',
  待复审: 'geekblue',
  待评定: 'cyan',
  退回补充: 'orange',
  已通过: 'green',
  不予通过: 'red',
};

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  return <Tag color={STATUS_COLORS[status]}>{status}</Tag>;
}

/** A grade as officers say it: 引领性 is 绩效引领性. */
export function gradeName(grade: string | null): string {
  if (grade === null) return '—';
  return grade === '引领性' ? '绩效引领性' : grade;
}

/** 申报A级, 申报B-级, 申报绩效引领性, 申报非引领性 or 申报保障类. */
export function applicationContent(a: Pick<ApplicationSummary, 'kind' | 'targetGrade'>): string {
  if (a.kind === '保障类') return '申报保障类';
  if (a.targetGrade === null) return '申报等级';
  const name = gradeName(a.targetGrade);
  return /^[A-D]/.test(a.targetGrade) ? `申报${name}级` : `申报${name}`;
}

export function routeName(route: ReviewRoute): string {
  return ROUTE_NAMES[route];
}

/** The route as a sentence for the 申报 form. */
export function routeSentence(route: ReviewRoute): string {
  return route === 'region' ? '将报市级初审、自治区复审' : '将报市级评定';
}

/** What happens next to an application. */
export function nextStepText(next: ReviewStep | null): string {
  if (next === null) return '审核完毕';
  return next === '提交' ? '待申报人补充后重新提交' : next;
}

export const DECISION_COLORS: Readonly<Record<Decision | '提交', string>> = {
  提交: 'blue',
  通过: 'green',
  退回补充: 'orange',
  不予通过: 'red',
};

/** The name part of an account written 姓名（用户名）. */
export function personOf(account: string | null): string {
  if (account === null) return '';
  const at = account.indexOf('（');
  return at > 0 ? account.slice(0, at) : account;
}
