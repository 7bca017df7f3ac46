/**
 * The tables demo enterprises are made of: trade words and the industry each belongs to, company
 * suffixes, parks, roads, people's names and the landline area codes of each city.
 */

export const TRADE_CHARS =
  '鑫泰昊华宏瑞达恒源盛隆远丰润祥嘉晟兴宇通博安正德元峰建金银宝利新天佳和顺益明光';
export const TRADES = [
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
export const SUFFIXES = [
  '有限公司',
  '有限责任公司',
  '股份有限公司',
  '集团有限公司',
  '科技有限公司',
];
export const PARKS = [
  '工业园区',
  '经济技术开发区',
  '精细化工园区',
  '循环经济产业园',
  '高新技术产业园',
];
export const ROADS = [
  '建设路',
  '工业大道',
  '园区三路',
  '环城北路',
  '长城路',
  '兴业街',
  '创新路',
  '滨河大道',
];
export const SURNAMES = '王李张刘陈杨马赵黄周吴徐孙胡朱高林何郭罗海丁田';
export const GIVEN = [
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
export const AREA_CODES: Record<string, string> = {
  '6401': '0951',
  '6402': '0952',
  '6403': '0953',
  '6404': '0954',
  '6405': '0955',
  NINGDONG: '0951',
};

/** The catalogue industry each demo trade belongs to. */
export const TRADE_INDUSTRY: Record<string, string> = {
  水泥: 'cement',
  铁合金: 'ferroalloy',
  焦化: 'coking',
  石灰: 'lime-kiln',
  炭素: 'carbon',
  电石: 'nx-calcium-carbide',
  活性炭: 'nx-activated-carbon',
  碳化硅: 'nx-silicon-carbide',
  铸造: 'casting',
  新型建材: 'brick-tile-kiln',
  玻璃: 'glass',
  煤化工: 'nx-coal-chemical',
  制药: 'pharmaceutical',
  涂装: 'industrial-coating',
  陶瓷: 'ceramics',
  耐火材料: 'refractory',
  镁业: 'nx-magnesium',
  兰炭: 'nx-semi-coke',
  硅业: 'nx-industrial-silicon',
  冶金: 'ferroalloy',
};
