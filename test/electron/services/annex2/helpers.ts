/**
 * What the 附件2 tests share: the fixtures' folder, the 13 headers, a registry's list content
 * comparable across registries, and workbook helpers (open, read a row, edit and save).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { listAnnex2Rows } from '../../../../db/repositories/annex2';
import type { AppContext } from '../../../../electron/services/context';
import { AppError } from '../../../../shared/api/errors';

const FIXTURES = path.resolve('test', 'fixtures', 'annex2');
export const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name));

export const HEADERS = [
  '序号',
  '地级市',
  '县（市、区）',
  '企业名称',
  '重点行业类型',
  '重点行业分支',
  '绩效现状',
  '绩效提升目标',
  '差异化指标',
  '存在问题',
  '改进措施',
  '拟完成时间',
  '备注',
];

/** The list's content of a registry, comparable across registries (no ids, no clocks). */
export function snapshot(ctx: AppContext) {
  return listAnnex2Rows(ctx.db, {}).map((r) => ({
    name: r.name,
    cityCode: r.cityCode,
    countyCode: r.countyCode,
    industryCode: r.industryCode,
    branch: r.branch,
    currentGrade: r.currentGrade,
    targetGrade: r.targetGrade,
    differentiators: r.differentiators,
    problems: r.problems,
    improvements: r.improvements,
    dueDate: r.dueDate,
    remark: r.remark,
  }));
}

export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

export async function openWorkbook(data: Buffer): Promise<ExcelJS.Worksheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  return wb.worksheets[0]!;
}

/** Row values 1..13 as plain values (null for empty). */
export function values(ws: ExcelJS.Worksheet, r: number): unknown[] {
  return HEADERS.map((_, c) => ws.getRow(r).getCell(c + 1).value ?? null);
}

/** Loads a workbook, lets `edit` change it, and returns the new file. */
export async function edited(data: Buffer, edit: (ws: ExcelJS.Worksheet) => void): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(data as unknown as ArrayBuffer);
  edit(wb.worksheets[0]!);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
