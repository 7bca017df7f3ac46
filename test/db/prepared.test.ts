import { describe, expect, it } from 'vitest';

import { prepare, prepareAs } from '../../db/prepared';
import { getInspectionDetail } from '../../electron/services/inspections';
import { closeAppContext, createTestContext } from '../helpers/context';
import { NOX, answer, createSite, startSiteInspection } from '../helpers/inspections';

describe('prepared queries (db/prepared)', () => {
  it('are kept per open database: two at once, and one opened after another closed', () => {
    // Sequential ids: both databases hold a visit with the very same ids, different answers.
    const a = createTestContext();
    const b = createTestContext();
    const siteA = createSite(a);
    const siteB = createSite(b);
    const visitA = startSiteInspection(a, siteA).inspection.id;
    const visitB = startSiteInspection(b, siteB).inspection.id;
    expect(visitB).toBe(visitA);

    expect(answer(a, visitA, siteA.cementId, NOX, { fact: 40 }).answer?.fact).toBe(40);
    expect(answer(b, visitB, siteB.cementId, NOX, { fact: 90 }).answer?.fact).toBe(90);
    expect(getInspectionDetail(a, visitA).answers.map((x) => x.fact)).toEqual([40]);
    expect(getInspectionDetail(b, visitB).answers.map((x) => x.fact)).toEqual([90]);

    closeAppContext(a);
    expect(getInspectionDetail(b, visitB).answers.map((x) => x.fact)).toEqual([90]);
    const c = createTestContext();
    const siteC = createSite(c);
    const visitC = startSiteInspection(c, siteC).inspection.id;
    expect(getInspectionDetail(c, visitC).answers).toEqual([]);
    closeAppContext(b);
    closeAppContext(c);
  });

  it('prepare and prepareAs keep one statement per connection and key, the SQL built once', () => {
    const a = createTestContext();
    const b = createTestContext();
    const sql = 'SELECT count(*) AS n FROM enterprises';
    expect(prepare(a.db.sqlite, sql)).toBe(prepare(a.db.sqlite, sql));
    expect(prepare(b.db.sqlite, sql)).not.toBe(prepare(a.db.sqlite, sql));
    let built = 0;
    const build = () => {
      built++;
      return sql;
    };
    const keyed = prepareAs(a.db.sqlite, 'count\u0001enterprises', build);
    expect(prepareAs(a.db.sqlite, 'count\u0001enterprises', build)).toBe(keyed);
    expect(built).toBe(1);
    // A key never meets an SQL text of the same spelling.
    expect(prepareAs(a.db.sqlite, sql, () => sql)).not.toBe(prepare(a.db.sqlite, sql));
    closeAppContext(a);
    closeAppContext(b);
  });
});
