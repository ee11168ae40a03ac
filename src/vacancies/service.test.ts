import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Db } from '../db/types.ts';
import * as employers from '../employers/service.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as vacancies from './service.ts';

let t: TestApp;
let pat: User;
const viewerOf = (u: User) => participants.viewerOf({ userId: u.id, role: u.role, teamId: u.teamId });

beforeEach(async () => {
  t = await createTestApp();
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: (await makeTeam(t.db, t.deps)).id });
});
afterEach(async () => {
  await t.close();
});

async function importText(text: string, db: Db = t.db) {
  const { finished } = await vacancies.startImport(db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), { fileName: 'test.csv', text });
  return finished;
}

describe('importing vacancies', () => {
  it('matches departments and sites by name within the employer, adding the new ones once', async () => {
    const acme = await makeEmployer(t.db, t.deps, pat, { name: 'Acme' });
    await employers.saveSite(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(pat), acme.id, null, { name: 'Main Site' });
    const report = await importText(
      [
        'employer,title,site,department',
        'Acme,Porter,main  site,Kitchens',
        'ACME LTD,Cook,Main Site,kitchens',
        'Other Co,Cleaner,Main Site,Kitchens',
      ].join('\n'),
    );
    expect(report).toMatchObject({ status: 'done', added: 3, alreadyImported: 0, newEmployers: 1, errors: [] });
    const parts = await employers.employerParts(t.db, viewerOf(pat), acme.id);
    expect(parts.sites.map((s) => s.name)).toEqual(['Main Site']);
    expect(parts.departments.map((d) => ({ name: d.name, siteId: d.siteId }))).toEqual([
      { name: 'Kitchens', siteId: parts.sites[0]!.id },
    ]);
    const other = await employers.findByName(t.db, 'Other Co');
    expect(other).toMatchObject({ type: 'external', relationshipStage: 'prospect' });
    const otherParts = await employers.employerParts(t.db, viewerOf(pat), other!.id);
    expect(otherParts.sites.map((s) => s.name)).toEqual(['Main Site']);
  });

  it('counts a row repeated in the same file as already imported', async () => {
    const report = await importText('employer,title,reference\nAcme,Porter,R1\nAcme,Porter again,R1\n');
    expect(report).toMatchObject({ added: 1, alreadyImported: 1 });
  });

  it('audits each vacancy added and the import as a whole, with counts and no row values', async () => {
    const report = await importText('employer,title,hourly_pay\nAcme,Porter,12.80\nAcme,,12.80\n');
    const events = await t.db
      .selectFrom('audit_events')
      .select(['action', 'entity_type', 'entity_id', 'details'])
      .where('action', 'in', ['vacancy.created', 'vacancy.imported'])
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['vacancy.created', 'vacancy.imported']);
    expect(JSON.parse(events[0]!.details!)).toMatchObject({ import_id: report.id });
    expect(events[1]).toMatchObject({ entity_type: 'vacancy_import', entity_id: report.id });
    expect(JSON.parse(events[1]!.details!)).toEqual({
      rows: 2,
      added: 1,
      already_imported: 0,
      new_employers: 1,
      not_imported: 1,
    });
    expect(JSON.stringify(events)).not.toContain('Porter');
  });

  it('marks the import failed with a message when a batch cannot be saved, keeping the batches before it', async () => {
    const rows = Array.from({ length: vacancies.IMPORT_BATCH + 10 }, (_, i) => `Acme,Role ${i + 1}`);
    let transactions = 0;
    // The second batch's transaction fails, as a lost database connection would.
    const failing = new Proxy(t.db, {
      get(target, prop) {
        if (prop === 'transaction' && ++transactions === 2)
          return () => ({
            execute: () => Promise.reject(new Error('connection lost')),
          });
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    await expect(importText(['employer,title', ...rows].join('\n'), failing)).rejects.toThrow('connection lost');
    const [imp] = await t.db.selectFrom('vacancy_imports').selectAll().execute();
    expect(imp).toMatchObject({ status: 'failed', processed_rows: vacancies.IMPORT_BATCH, added: vacancies.IMPORT_BATCH });
    expect(imp?.failure).toContain(`stopped at line ${vacancies.IMPORT_BATCH + 2}`);
    expect(imp?.failure).toContain('import the file again to add the rest');
  });
});
