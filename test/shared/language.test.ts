import { describe, expect, it } from 'vitest';

import { describeForeign, foreignTokens } from '../../shared/language';

function tokens(text: string): string[] {
  return foreignTokens(text).map((t) => `${t.kind}:${t.token}`);
}

describe('what a team reads is checked for codes and English', () => {
  it('catches a UUID, even inside a sentence', () => {
    expect(tokens('本机编号 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b，请勿修改')).toEqual([
      'uuid:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    ]);
  });

  it('catches an indicator id, alone or glued to Chinese', () => {
    expect(tokens('指标 equipment.level 未填')).toEqual(['indicator-id:equipment.level']);
    expect(tokens('另列为transport.road-other-guo4。')).toEqual([
      'indicator-id:transport.road-other-guo4',
    ]);
    expect(tokens('自动生成的编号 ind-1a2b3c4d')).toEqual(['indicator-id:ind-1a2b3c4d']);
  });

  it('catches a ruleset id', () => {
    expect(tokens('指标体系：cement-clinker-2020')).toEqual(['ruleset-id:cement-clinker-2020']);
    expect(tokens('general-a-b-c-d')).toEqual(['ruleset-id:general-a-b-c-d']);
  });

  it('catches an English word and a transcriber’s n/a or true', () => {
    expect(tokens('请查看 sourceNote 字段')).toEqual(['english:sourceNote']);
    expect(tokens('不适用的填 n/a，满足的填 true')).toEqual(['english:n/a', 'english:true']);
    expect(tokens('Draft 草稿')).toEqual(['english:Draft']);
  });

  it('lets standard numbers through: GB 4915-2013, GB/T 16758, HJ 75-2017', () => {
    expect(tokens('执行 GB 4915-2013 和《排风罩的分类及技术条件》（GB/T 16758）')).toEqual([]);
    expect(tokens('按 HJ 75-2017 验收，GB16297 限值')).toEqual([]);
  });

  it('lets units through: mg/m³, μg/m³, %, kg, t, Nm³/h', () => {
    expect(tokens('颗粒物 8.5 mg/m³，臭氧 120 μg/m³，比例 80%，每吨 3 kg，年产 50 万 t')).toEqual(
      [],
    );
    expect(tokens('风量 12000 Nm³/h，pH 7.5')).toEqual([]);
  });

  it('lets grade letters, PDF and Excel, and the guidelines’ abbreviations through', () => {
    expect(tokens('暂评 B级（尚有 3 项未填）；A 级、B-级、D级')).toEqual([]);
    expect(tokens('导出记录 PDF，下载 Excel 模板')).toEqual([]);
    expect(tokens('VOCs 采用活性炭吸附；PM有逸散工序；脱硝 SNCR+SCR；PM2.5')).toEqual([]);
  });

  it('lets record numbers, credit codes, outlet codes and file extensions through', () => {
    expect(tokens('编号 银川-2026-0012-K7Q3、宁夏-2025-3F9A2C、宁东-2026-0001-ABCD')).toEqual([]);
    expect(tokens('统一社会信用代码 91640100MA76XN1K7L')).toEqual([]);
    expect(tokens('DA001 主排气筒；DW002 废水总排口')).toEqual([]);
    expect(tokens('厂区全景.png、现场照片_3.jpg、方案.pdf')).toEqual([]);
  });

  it('lets U盘 and a server’s address by IP through, but not a web page’s address', () => {
    expect(tokens('导出同步包（U 盘）；例如 http://192.168.1.10:4791')).toEqual([]);
    expect(tokens('见 http://guc884.cn/news/1.html')).toEqual([
      'english:http',
      'indicator-id:guc884.cn',
      'english:news/1.html',
    ]);
  });

  it('does not take a record number’s tail alone for a word', () => {
    expect(tokens('K7Q3')).toEqual(['english:K7Q3']);
  });

  it('names each token with where it is, for a failing test to show', () => {
    expect(describeForeign(foreignTokens('这一行有 equipment.level 编号'))).toEqual([
      'indicator id "equipment.level" in “这一行有 equipment.level 编号”',
    ]);
  });

  it('takes a screen’s own extra words', () => {
    expect(tokens('版本 beta')).toEqual(['english:beta']);
    expect(foreignTokens('版本 beta', ['beta'])).toEqual([]);
  });
});
