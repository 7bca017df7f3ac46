import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { AppContext } from '../../electron/services/context';
import {
  addEvidence,
  confirmInspection,
  finalizeInspection,
  getInspectionDetail,
} from '../../electron/services/inspections';
import { encodePng } from '../../electron/services/png';
import type { InspectionDetail } from '../../shared/domain/inspection';
import { closeAppContext, createTestContext } from '../helpers/context';
import { answer, createSite, NOX, startSiteInspection, type Site } from '../helpers/inspections';

const REFUSED = '检查记录已确认，不能修改；如需更正，请创建修订版本';

/**
 * The triggers of migration 0003, met with raw SQL: whatever bypasses the services, SQLite itself
 * refuses to change a finalized visit or anything that belongs to it.
 */
describe('immutability triggers', () => {
  let ctx: AppContext;
  let site: Site;
  let draft: InspectionDetail;
  let final: InspectionDetail;
  const run =
    (sql: string, ...params: unknown[]) =>
    () =>
      ctx.db.sqlite.prepare(sql).run(...params);

  function visitWithEverything(): InspectionDetail {
    const visit = startSiteInspection(ctx, site);
    const id = visit.inspection.id;
    answer(ctx, id, site.cementId, NOX, { fact: 90 });
    addEvidence(ctx, {
      inspectionId: id,
      processId: site.cementId,
      indicatorId: NOX,
      fileName: 'cems.png',
      data: encodePng(4, 4, () => [200, 30, 30]),
    });
    return getInspectionDetail(ctx, id);
  }

  beforeEach(() => {
    ctx = createTestContext();
    site = createSite(ctx);
    draft = visitWithEverything();
    const toFinalize = visitWithEverything();
    for (const m of toFinalize.members) {
      confirmInspection(ctx, { inspectionId: toFinalize.inspection.id, memberId: m.id });
    }
    final = finalizeInspection(ctx, toFinalize.inspection.id);
  });
  afterEach(() => closeAppContext(ctx));

  it('refuses a raw UPDATE or DELETE of a finalized visit, including un-finalizing it', () => {
    const id = final.inspection.id;
    expect(run(`UPDATE inspections SET note = '事后补记' WHERE id = ?`, id)).toThrow(REFUSED);
    expect(run(`UPDATE inspections SET status = 'draft' WHERE id = ?`, id)).toThrow(REFUSED);
    expect(run(`UPDATE inspections SET deleted = 1, note = 'x' WHERE id = ?`, id)).toThrow(REFUSED);
    expect(run(`DELETE FROM inspections WHERE id = ?`, id)).toThrow(REFUSED);
    const row = ctx.db.sqlite.prepare('SELECT status, note FROM inspections WHERE id = ?').get(id);
    expect(row).toEqual({ status: 'finalized', note: null });
  });

  it('lets a finalized visit go to the 回收站 and back, and nothing else of it change', () => {
    const id = final.inspection.id;
    const trash = `UPDATE inspections SET deleted = ?, deleted_at = ?, deleted_by = '李审核',
      delete_reason = '重复录入', updated_at = 'x', updated_by = 'y', field_clocks = '{}' WHERE id = ?`;
    expect(() => ctx.db.sqlite.prepare(trash).run(1, 1, id)).not.toThrow();
    expect(() => ctx.db.sqlite.prepare(trash).run(0, null, id)).not.toThrow();
    // Every other column, present and future (a migration adding one must name it in the trigger).
    const allowed = new Set([
      'deleted',
      'deleted_at',
      'deleted_by',
      'delete_reason',
      'updated_at',
      'updated_by',
      'field_clocks',
    ]);
    const columns = (
      ctx.db.sqlite.prepare('PRAGMA table_info(inspections)').all() as { name: string }[]
    )
      .map((c) => c.name)
      .filter((c) => !allowed.has(c));
    expect(columns.length).toBeGreaterThan(10);
    for (const c of columns) {
      const value = c === 'created_at' || c === 'finalized_at' ? 12345 : 'changed';
      expect(run(`UPDATE inspections SET "${c}" = '${value}' WHERE id = ?`, id)).toThrow(REFUSED);
    }
  });

  it('refuses to add, change or remove the members, processes, answers and evidence of a finalized visit', () => {
    const id = final.inspection.id;
    const children: [string, string][] = [
      ['inspection_members', final.members[0]!.id],
      ['inspection_processes', final.processes[0]!.id],
      ['inspection_answers', final.answers[0]!.id],
      ['attachment_uses', final.evidence[0]!.id],
    ];
    for (const [table, rowId] of children) {
      expect(run(`UPDATE ${table} SET updated_by = 'x' WHERE id = ?`, rowId)).toThrow(REFUSED);
      expect(run(`UPDATE ${table} SET deleted = 1 WHERE id = ?`, rowId)).toThrow(REFUSED);
      expect(run(`DELETE FROM ${table} WHERE id = ?`, rowId)).toThrow(REFUSED);
      // A copy of the row with a new id, into the finalized visit.
      const columns = (
        ctx.db.sqlite.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]
      )
        .map((c) => c.name)
        .filter((c) => c !== 'id');
      const list = columns.map((c) => `"${c}"`).join(', ');
      expect(
        run(
          `INSERT INTO ${table} (id, ${list}) SELECT 'copy-' || id, ${list} FROM ${table} WHERE id = ?`,
          rowId,
        ),
      ).toThrow(REFUSED);
    }
    // Nor can a draft's row be moved into the finalized visit.
    expect(
      run(`UPDATE inspection_members SET inspection_id = ? WHERE id = ?`, id, draft.members[0]!.id),
    ).toThrow(REFUSED);
  });

  it('refuses evidence that names only an answer of a finalized visit, as a sync op may', () => {
    const use = final.evidence[0]!;
    const insert = (answerId: string) =>
      run(
        `INSERT INTO attachment_uses (id, attachment_id, answer_id, file_name, created_at, updated_at, updated_by)
         VALUES (?, ?, ?, '补拍.png', 1, '0', 'x')`,
        `late-${answerId}`,
        use.sha256,
        answerId,
      );
    expect(insert(final.answers[0]!.id)).toThrow(REFUSED);
    expect(insert(draft.answers[0]!.id)).not.toThrow();
    expect(
      run(
        `UPDATE attachment_uses SET answer_id = ? WHERE id = ?`,
        final.answers[0]!.id,
        `late-${draft.answers[0]!.id}`,
      ),
    ).toThrow(REFUSED);
  });

  it('lets the same raw statements through on a draft', () => {
    const id = draft.inspection.id;
    expect(run(`UPDATE inspections SET note = '草稿备注' WHERE id = ?`, id)).not.toThrow();
    expect(
      run(`UPDATE inspection_answers SET note = '改' WHERE id = ?`, draft.answers[0]!.id),
    ).not.toThrow();
    expect(
      run(`UPDATE attachment_uses SET file_name = 'a.png' WHERE id = ?`, draft.evidence[0]!.id),
    ).not.toThrow();
  });

  it('keeps content-addressed rows as they were stored', () => {
    const hash = final.processes[0]!.ruleset.hash;
    expect(run(`UPDATE pinned_rulesets SET json = '{}' WHERE id = ?`, hash)).toThrow(
      '固定的指标体系内容不能修改',
    );
    expect(run(`UPDATE attachments SET size = 1 WHERE id = ?`, final.evidence[0]!.sha256)).toThrow(
      '附件内容不能修改',
    );
  });
});
