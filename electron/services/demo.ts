import { writeChanges } from '../../db/changes';
import { insertEnterprise } from '../../db/repositories/enterprises';
import { AppError } from '../../shared/api/errors';
import { completeCreditCode, CREDIT_CODE_ALPHABET } from '../../shared/domain/credit-code';
import { EnterpriseDraftSchema, type EnterpriseDraft } from '../../shared/domain/enterprise';
import { CITIES } from '../../shared/domain/regions';

import type { AppContext } from './context';
import { enterpriseCount } from './enterprises';

/** A small seeded generator (mulberry32), so a demo is the same every time for one seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TRADE_CHARS =
  '鑫泰昊华宏瑞达恒源盛隆远丰润祥嘉晟兴宇通博安正德元峰建金银宝利新天佳和顺益明光';
const TRADES = [
  '水泥',
  '铁合金',
  '焦化',
  '石灰',
  '炭素',
  '电石',
  '活性炭',
  '碳化硅',
  '铸造',
  '新型建材',
  '玻璃',
  '煤化工',
  '制药',
  '涂装',
  '陶瓷',
  '耐火材料',
  '镁业',
  '兰炭',
  '硅业',
  '冶金',
];
const SUFFIXES = ['有限公司', '有限责任公司', '股份有限公司', '集团有限公司', '科技有限公司'];
const PARKS = ['工业园区', '经济技术开发区', '精细化工园区', '循环经济产业园', '高新技术产业园'];
const ROADS = [
  '建设路',
  '工业大道',
  '园区三路',
  '环城北路',
  '长城路',
  '兴业街',
  '创新路',
  '滨河大道',
];
const SURNAMES = '王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗海丁田';
const GIVEN = [
  '伟',
  '芳',
  '军',
  '强',
  '磊',
  '静',
  '敏',
  '勇',
  '洋',
  '艳',
  '杰',
  '涛',
  '明',
  '霞',
  '斌',
  '鹏',
  '建国',
  '玉梅',
  '志刚',
  '晓东',
];
/** Area codes of the landlines: 银川 0951, 石嘴山 0952, 吴忠 0953, 固原 0954, 中卫 0955. */
const AREA_CODES: Record<string, string> = {
  '6401': '0951',
  '6402': '0952',
  '6403': '0953',
  '6404': '0954',
  '6405': '0955',
  NINGDONG: '0951',
};

function pick<T>(rand: () => number, items: readonly T[] | string): T {
  const i = Math.floor(rand() * items.length);
  return (typeof items === 'string' ? items.charAt(i) : items[i]) as T;
}

function digits(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rand() * 10));
  return s;
}

/** Every (city, county) pair, 宁东基地 as one pair with no county. */
interface RegionSlot {
  cityCode: string;
  cityName: string;
  countyCode: string | null;
  countyName: string;
}

function regionSlots(): RegionSlot[] {
  return CITIES.flatMap((c): RegionSlot[] =>
    c.counties.length === 0
      ? [{ cityCode: c.code, cityName: c.name, countyCode: null, countyName: '' }]
      : c.counties.map((k) => ({
          cityCode: c.code,
          cityName: c.name,
          countyCode: k.code,
          countyName: k.name,
        })),
  );
}

/** Makes `count` realistic, valid enterprise drafts, every county getting some. */
export function demoEnterprises(count: number, seed = 2025): EnterpriseDraft[] {
  const rand = seededRandom(seed);
  const slots = regionSlots();
  const names = new Set<string>();
  const codes = new Set<string>();
  const drafts: EnterpriseDraft[] = [];
  for (let i = 0; i < count; i++) {
    const slot = i < slots.length ? (slots[i] as RegionSlot) : pick(rand, slots);
    const place = slot.cityCode === 'NINGDONG' ? '宁东' : slot.cityName.replace(/市$/, '');
    let name = '';
    for (let attempt = 0; attempt < 50 && (name === '' || names.has(name)); attempt++) {
      name = `宁夏${place}${pick<string>(rand, TRADE_CHARS)}${pick<string>(rand, TRADE_CHARS)}${pick(rand, TRADES)}${pick(rand, SUFFIXES)}`;
    }
    if (names.has(name)) name = `${name.replace(/公司$/, '')}第${i + 1}分公司`;
    names.add(name);
    const regionDigits = slot.countyCode ?? '640181';
    let code = '';
    while (code === '' || codes.has(code)) {
      let body = `91${regionDigits}`;
      for (let k = 0; k < 9; k++) body += pick<string>(rand, CREDIT_CODE_ALPHABET);
      code = completeCreditCode(body);
    }
    codes.add(code);
    const withCode = rand() < 0.9;
    const mobile = rand() < 0.6;
    drafts.push(
      EnterpriseDraftSchema.parse({
        name,
        creditCode: withCode ? code : null,
        cityCode: slot.cityCode,
        countyCode: slot.countyCode,
        address: `宁夏回族自治区${slot.cityName}${slot.countyName}${pick(rand, PARKS)}${pick(rand, ROADS)}${1 + Math.floor(rand() * 300)}号`,
        contactPerson: `${pick<string>(rand, SURNAMES)}${pick(rand, GIVEN)}`,
        contactPhone: mobile
          ? `1${pick<string>(rand, '3578')}${digits(rand, 9)}`
          : `${AREA_CODES[slot.cityCode] ?? '0951'}-${pick<string>(rand, '23456789')}${digits(rand, 6)}`,
      }),
    );
  }
  return drafts;
}

export interface DemoResult {
  enterprises: number;
}

/**
 * Fills an empty data folder with a demo registry so a new user can try the app at once.
 * It refuses a folder that already holds enterprises: demo data never mixes with real data.
 */
export function fillDemo(
  ctx: AppContext,
  options: { enterprises: number; seed?: number },
): DemoResult {
  const existing = enterpriseCount(ctx);
  if (existing > 0) {
    throw new AppError(
      'conflict',
      `数据目录中已有 ${existing} 家企业。演示数据只写入空的数据目录，请用 --data-dir 指定一个新目录。`,
    );
  }
  const drafts = demoEnterprises(options.enterprises, options.seed);
  writeChanges(ctx.db, ctx.device, (changes) => {
    for (const draft of drafts)
      insertEnterprise(changes, ctx.device.newId(), draft, ctx.device.now());
  });
  ctx.events.emit('data.changed', { tables: ['enterprises'] });
  return { enterprises: drafts.length };
}
