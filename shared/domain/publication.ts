import { cityName, findCity } from './regions';
import { CITY_PUBLISHER, REGION_PUBLISHER } from './review';

/**
 * 信息公开: the scopes a results list is published for (a city, by its code, or the whole
 * region), their names and default titles, and who may publish each. Pure: the device's services
 * and screens share it.
 */

export const REGION_SCOPE = 'region';
export const REGION_NAME = '宁夏回族自治区';

/** Whether `scope` is 'region' or a known city's code. */
export function isPublicationScope(scope: string): boolean {
  return scope === REGION_SCOPE || findCity(scope) !== undefined;
}

/** 银川市, or 宁夏回族自治区 for the region. */
export function publicationScopeName(scope: string): string {
  return scope === REGION_SCOPE ? REGION_NAME : cityName(scope);
}

/** 银川市重污染天气重点行业绩效分级结果公示（第1期）. */
export function defaultPublicationTitle(scope: string, edition: number): string {
  return `${publicationScopeName(scope)}重污染天气重点行业绩效分级结果公示（第${edition}期）`;
}

/** The logged-in account as the rule reads it; null when the device is not logged in. */
export interface PublisherAccount {
  role: string;
  /** A city code or 'region'. */
  scope: string;
}

/**
 * Why this account may not publish the scope's list (a Chinese sentence naming the account
 * needed), or null when it may: a city's list by that city's 市级审核, the region's by 自治区复审.
 */
export function publishProblem(account: PublisherAccount | null, scope: string): string | null {
  const name = publicationScopeName(scope);
  const needed = scope === REGION_SCOPE ? REGION_PUBLISHER : CITY_PUBLISHER;
  const whose = scope === REGION_SCOPE ? needed : `${name}${needed}`;
  if (account === null) {
    return `发布${name}的认定结果须登录${whose}账号；本机尚未登录同步账号`;
  }
  if (account.role !== needed) {
    return `发布${name}的认定结果须由${whose}账号进行；当前账号是${account.role}`;
  }
  if (scope !== REGION_SCOPE && account.scope !== scope) {
    return `发布${name}的认定结果须由${whose}账号进行；当前账号是${publicationScopeName(account.scope)}的${account.role}`;
  }
  return null;
}
