import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import type { Viewer } from '../participants/rules.ts';
import { ValidationError } from '../errors.ts';
import { andList, describeClashes, preferencesText, rotationFieldErrors } from './planning.ts';
import * as planning from './planning.ts';
import * as cohorts from './service.ts';

describe('clashes in words', () => {
  const rotations = [
    { id: 'r1', number: 1 },
    { id: 'r2', number: 2 },
    { id: 'r3', number: 3 },
  ];
  const interns = [
    { id: 'i1', name: 'Sam Okafor' },
    { id: 'i2', name: 'Amy Bell' },
  ];
  const departments = [{ id: 'd1', label: 'Pharmacy (St James’s)' }];
  const placements = [
    { rotationId: 'r2', internId: 'i1', departmentId: 'd1' },
    { rotationId: 'r2', internId: 'i2', departmentId: 'd1' },
  ];

  it('says how many interns a department has against what it takes, marking each of their cells', () => {
    const [c] = describeClashes(
      [{ kind: 'over_capacity', rotationId: 'r2', departmentId: 'd1', placed: 2, capacity: 1 }],
      rotations,
      interns,
      departments,
      placements,
    );
    expect(c?.text).toBe('Pharmacy (St James’s) has 2 interns in rotation 2 but takes 1');
    expect(c?.cells).toEqual(['i1:r2', 'i2:r2']);
  });

  it('says a department that takes no interns takes none', () => {
    const [c] = describeClashes(
      [{ kind: 'over_capacity', rotationId: 'r2', departmentId: 'd1', placed: 2, capacity: 0 }],
      rotations,
      interns,
      departments,
      placements,
    );
    expect(c?.text).toBe('Pharmacy (St James’s) has 2 interns in rotation 2 but takes none');
  });

  it('names the rotations an intern repeats a department in, and a rotation with no department', () => {
    const [twice, none] = describeClashes(
      [
        { kind: 'same_department_twice', internId: 'i1', departmentId: 'd1', rotationIds: ['r1', 'r2', 'r3'] },
        { kind: 'no_placement', internId: 'i2', rotationId: 'r3' },
      ],
      rotations,
      interns,
      departments,
      placements,
    );
    expect(twice?.text).toBe('Sam Okafor is in Pharmacy (St James’s) in rotations 1, 2 and 3');
    expect(twice?.cells).toEqual(['i1:r1', 'i1:r2', 'i1:r3']);
    expect(none?.text).toBe('Amy Bell has no department in rotation 3');
  });

  it('joins lists the way people write them', () => {
    expect(andList([1])).toBe('1');
    expect(andList([1, 2])).toBe('1 and 2');
    expect(andList([1, 2, 3])).toBe('1, 2 and 3');
  });
});

describe('job preferences in the grid', () => {
  it('gives the jobs wanted and interests in short, or nothing', () => {
    expect(preferencesText(JSON.stringify({ occupations: ['Porter', 'Chef'], interests: 'Cooking' }))).toBe(
      'Would like: Porter, Chef. Interests: Cooking',
    );
    expect(preferencesText(JSON.stringify({ skills: 'Typing' }))).toBeNull();
    expect(preferencesText(undefined)).toBeNull();
    const long = preferencesText(JSON.stringify({ interests: 'x'.repeat(400) }));
    expect(long?.length).toBeLessThanOrEqual(160);
    expect(long?.endsWith('…')).toBe(true);
  });
});

describe('rotation problems on their fields', () => {
  it('puts an overlap on the start date and the rest on the end date', () => {
    expect(
      rotationFieldErrors({
        rotation_2: 'Rotation 2 must start after rotation 1 ends',
        rotation_3: 'Rotation 3 must fall within the cohort’s dates',
        rotation_count: 'Choose between 1 and 6 rotations',
      }),
    ).toEqual({
      rotation_2_start_date: 'Rotation 2 must start after rotation 1 ends',
      rotation_3_end_date: 'Rotation 3 must fall within the cohort’s dates',
      rotation_count: 'Choose between 1 and 6 rotations',
    });
  });
});

describe('saving a rotation plan', () => {
  let t: TestApp;
  let v: Viewer;
  let cohortId: string;

  beforeEach(async () => {
    t = await createTestApp();
    const team = await makeTeam(t.db, t.deps);
    const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id });
    v = { userId: pat.id, role: pat.role, teamId: pat.teamId };
    const host = await makeEmployer(t.db, t.deps, pat, { type: 'host' });
    cohortId = (
      await cohorts.createCohort(t.db, t.deps, SYSTEM_CONTEXT, v, {
        name: 'Interns',
        programmeYear: '2026/27',
        hostEmployerId: host.id,
        teamId: team.id,
        tutorUserId: null,
        educationProvider: null,
        startDate: '2026-09-01',
        endDate: '2027-07-09',
        notes: null,
      })
    ).id;
    const person = await makeParticipant(t.db, t.deps, pat, { programme: 'internship' });
    const intern = await cohorts.addIntern(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, {
      participantId: person.id,
      ehcPlan: false,
    });
    const dept = await planning.saveDepartment(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, null, {
      name: 'Stores',
      siteId: null,
      capacity: 1,
      contact: null,
    });
    const plan = (await planning.rotationPlan(t.db, v, cohortId)).rotations;
    const rotations = await planning.saveRotations(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, plan);
    await planning.saveGrid(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, [
      { internId: intern.id, rotationId: rotations[2]!.id, departmentId: dept.id },
    ]);
  });
  afterEach(async () => {
    await t.close();
  });

  it('keeps the rotations’ ids when dates change, and removes a dropped rotation with its placements', async () => {
    const before = await planning.rotationsOf(t.db, v, cohortId);
    const moved = before.map((r) => (r.number === 2 ? { ...r, startDate: addOne(r.startDate) } : r)).slice(0, 2);
    const after = await planning.saveRotations(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, moved);
    expect(after.map((r) => r.id)).toEqual(before.slice(0, 2).map((r) => r.id));
    expect(after[1]?.startDate).toBe(addOne(before[1]!.startDate));
    expect(await t.db.selectFrom('rotation_placements').select('id').execute()).toHaveLength(0);
  });

  it('refuses to remove a rotation with a review recorded against it', async () => {
    const [rotation3] = (await planning.rotationsOf(t.db, v, cohortId)).slice(2);
    const intern = await t.db.selectFrom('cohort_interns').select('id').executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    await t.db
      .insertInto('rotation_reviews')
      .values({
        id: crypto.randomUUID(),
        rotation_id: rotation3!.id,
        cohort_intern_id: intern.id,
        review_date: '2027-07-09',
        went_well: 'Stock counts',
        to_work_on: null,
        intern_words: null,
        written_by_user_id: null,
        created_at: now,
        updated_at: now,
        version: 1,
      })
      .execute();
    const plan = (await planning.rotationsOf(t.db, v, cohortId)).slice(0, 2);
    const err = await planning.saveRotations(t.db, t.deps, SYSTEM_CONTEXT, v, cohortId, plan).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).fields.rotation_count).toBe(
      'Rotation 3 has reviews, tasks or checklist progress recorded, so it cannot be removed',
    );
    expect(await planning.rotationsOf(t.db, v, cohortId)).toHaveLength(3);
  });
});

function addOne(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
