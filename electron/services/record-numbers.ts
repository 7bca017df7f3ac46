import crypto from 'node:crypto';

import type { Db } from '../../db/client';
import {
  inspectionIdsByNumber,
  planIdsByNumber,
  recordNumbersLike,
  unnumberedInspections,
  unnumberedPlans,
} from '../../db/repositories/record-numbers';
import { findCity } from '../../shared/domain/regions';

/**
 * Record numbers people can say aloud: every visit and plan carries one, such as
 * `银川-2026-0012-K7Q3`, on screen, in PDFs and in `uplift export visit <编号>`.
 *
 * The scheme, `<city>-<year>-<sequence>-<device tag>`:
 * - city: the enterprise's city without 市 (银川, 石嘴山, 吴忠, 固原, 中卫; 宁东 for 宁东基地),
 *   as it was when the record was made;
 * - year: of the visit's date (a plan: of the day it was drafted);
 * - sequence: this device's own count of the visits and plans it numbered in that city and year,
 *   at least four digits (0001, …, 9999, 10000). Visits and plans share it, so a number names
 *   one record whichever kind it is; a deleted record's number is never given again;
 * - device tag: four characters of Crockford base 32 (no I, L, O or U) from the SHA-256 of the
 *   device id, the same on every run of the device.
 *
 * Why a device tag rather than renumbering on sync: devices number records offline, at the same
 * time, in the same city, and a finalized (signed) visit may never change, so two devices must
 * never be able to give the same number in the first place. The sequence alone keeps one
 * device's numbers apart, the tag keeps devices apart. Two devices share a tag with odds of about
 * one in a million per pair (20 bits); where that ever happens the numbers of both stay as they
 * are, and `uplift export visit` asks for the id instead of guessing.
 *
 * The number is written once, in the same op that makes the row, and never changed: the app's
 * triggers (db migration 0014) and the store (server/sync/tables.ts IMMUTABLE_FIELDS) refuse it.
 * Records made before numbers existed carry none in the database; they show
 * `宁夏-<year>-<six characters from the SHA-256 of the row id>`, derived the same way on every
 * device and never changing (a finalized visit cannot take a new value, and the region prefix
 * does not follow an enterprise that moves city).
 */

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Uint8Array, length: number): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += CROCKFORD[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  return out;
}

function hashTag(text: string, length: number): string {
  return base32(crypto.createHash('sha256').update(text, 'utf8').digest(), length);
}

/** A city's short name as a number starts with: 银川市 → 银川, 宁东能源化工基地 → 宁东. */
export function cityShortName(cityCode: string): string {
  if (cityCode === 'NINGDONG') return '宁东';
  const city = findCity(cityCode);
  return city ? city.name.replace(/市$/, '') : cityCode;
}

/** The device's four-character tag (Crockford base 32 of the SHA-256 of its id). */
export function deviceTag(deviceId: string): string {
  return hashTag(deviceId, 4);
}

/**
 * The next number this device gives in a city and year. Call it inside the writeChanges
 * transaction that inserts the row, so two writes cannot take the same sequence.
 */
export function nextRecordNumber(db: Db, deviceId: string, cityCode: string, year: string): string {
  const prefix = `${cityShortName(cityCode)}-${year}-`;
  const tag = deviceTag(deviceId);
  let last = 0;
  for (const number of recordNumbersLike(db, `${prefix}%-${tag}`)) {
    const middle = number.slice(prefix.length, number.length - tag.length - 1);
    if (/^\d+$/.test(middle)) last = Math.max(last, Number(middle));
  }
  return `${prefix}${String(last + 1).padStart(4, '0')}-${tag}`;
}

/** The number a record made before numbers existed shows (derived from its id, never stored). */
export function legacyRecordNumber(id: string, year: string): string {
  return `宁夏-${year}-${hashTag(id, 6)}`;
}

/** A visit's number: the stored one, or the legacy one derived from its id and date. */
export function inspectionNumber(row: { id: string; number: string | null; date: string }): string {
  return row.number ?? legacyRecordNumber(row.id, row.date.slice(0, 4));
}

/** The year (local time) of an epoch-ms moment, as numbers write it. */
export function yearOf(epochMs: number): string {
  return String(new Date(epochMs).getFullYear());
}

/** A plan's number: the stored one, or the legacy one derived from its id and creation year. */
export function planNumber(row: { id: string; number: string | null; createdAt: number }): string {
  return row.number ?? legacyRecordNumber(row.id, yearOf(row.createdAt));
}

/** The live visits a number names (the stored number, or a legacy one derived from the id). */
export function findInspectionsByNumber(db: Db, number: string): string[] {
  const wanted = number.trim().toUpperCase();
  const stored = inspectionIdsByNumber(db, wanted);
  if (stored.length > 0) return stored;
  const legacy = /^宁夏-(\d{4})-[0-9A-Z]{6}$/.exec(wanted);
  if (!legacy) return [];
  const year = legacy[1] as string;
  return unnumberedInspections(db, year)
    .filter((r) => legacyRecordNumber(r.id, year) === wanted)
    .map((r) => r.id);
}

/** The live plans a number names (stored, or legacy derived from the id). */
export function findPlansByNumber(db: Db, number: string): string[] {
  const wanted = number.trim().toUpperCase();
  const stored = planIdsByNumber(db, wanted);
  if (stored.length > 0) return stored;
  if (!/^宁夏-\d{4}-[0-9A-Z]{6}$/.test(wanted)) return [];
  return unnumberedPlans(db)
    .filter((r) => planNumber({ id: r.id, number: null, createdAt: r.createdAt }) === wanted)
    .map((r) => r.id);
}
