import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeEmployer, makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import { RuleError, type ValidationError } from '../errors.ts';
import * as participants from '../participants/service.ts';
import type { User } from '../users/service.ts';
import * as graduation from './graduation.ts';
import * as internships from './service.ts';

// Service tests for graduation, the hand-over and the report. The clock stands at 2026-11-25.

let t: TestApp;
let team: string;
let tutor: User;

beforeEach(async () => {
  t = await createTestApp();
  team = (await makeTeam(t.db, t.deps, 'Interns team')).id;
  tutor = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
});
afterEach(async () => {
  await t.close();
});

const viewerOf = (u: User) => ({ userId: u.id, role: u.role, teamId: u.teamId });

async function hostEmployer() {
  return (
    (await t.db.selectFrom('employers').select('id').where('name', '=', 'City Hospital').executeTakeFirst()) ??
    (await makeEmployer(t.db, t.deps, tutor, { name: 'City Hospital', type: 'host' }))
  );
}

async function makeCohort(name: string, programmeYear: string, teamId = team, by = tutor) {
  const host = await hostEmployer();
  return internships.createCohort(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(by), {
    name,
    programmeYear,
    hostEmployerId: host.id,
    teamId,
    tutorUserId: by.id,
    educationProvider: null,
    startDate: '2025-09-01',
    endDate: '2026-07-17',
    notes: null,
  });
}

async function makeIntern(cohortId: string, options: { engaged?: boolean; by?: User } = {}) {
  const by = options.by ?? tutor;
  const p = await makeParticipant(t.db, t.deps, by, { programme: 'internship', dateOfBirth: '2005-03-01' });
  if (options.engaged !== false)
    await participants.changeStatus(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(by), p.id, p.version, 'engaged');
  const intern = await internships.addIntern(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(by), cohortId, {
    participantId: p.id,
    ehcPlan: false,
  });
  return { p, intern };
}

async function hostJob(overrides: Partial<graduation.GraduateJobInput> = {}): Promise<graduation.GraduateJobInput> {
  return {
    employerId: (await hostEmployer()).id,
    title: 'Porter',
    departmentId: null,
    siteId: null,
    startDate: '2026-09-01',
    hoursPerWeek: 20,
    hourlyPayPence: 1300,
    seasonal: false,
    integrated: true,
    contractType: 'permanent',
    lineManager: 'Jo Patel',
    ...overrides,
  };
}

async function graduateIntoJob(cohortId: string, internId: string, job?: Partial<graduation.GraduateJobInput>, by = tutor) {
  const current = await internships.getIntern(t.db, viewerOf(by), cohortId, internId);
  return graduation.recordGraduation(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(by), cohortId, internId, current.version, {
    status: 'graduated',
    outcome: 'employed_host',
    outcomeDate: '2026-07-17',
    note: null,
    job: await hostJob(job),
  });
}

describe('recordGraduation', () => {
  it('derives the programme outcome from the job and stores pay in pence', async () => {
    const cohort = await makeCohort('A', '2025/26');
    const { intern } = await makeIntern(cohort.id);
    const short = await graduateIntoJob(cohort.id, intern.id, { hoursPerWeek: 15 });
    expect(short.programmeOutcome.meets).toBe(false);
    expect(short.job.hourlyPayPence).toBe(1300);
    const full = await graduateIntoJob(cohort.id, intern.id, { hoursPerWeek: 16 });
    expect(full.programmeOutcome.meets).toBe(true);
    expect(full.status).toBe('graduated');
  });

  it('refuses a date in the future or before the cohort started, and a department of another employer', async () => {
    const cohort = await makeCohort('A', '2025/26');
    const { intern } = await makeIntern(cohort.id);
    const other = await makeEmployer(t.db, t.deps, tutor, { name: 'Corner Café' });
    const now = t.deps.clock.now().toISOString();
    const departmentId = randomUUID();
    await t.db
      .insertInto('employer_departments')
      .values({
        id: departmentId,
        created_at: now,
        updated_at: now,
        version: 1,
        employer_id: other.id,
        name: 'Kitchen',
        employer_site_id: null,
        intern_capacity: null,
        intern_contact: null,
      })
      .execute();
    const attempt = async (outcomeDate: string, job: Partial<graduation.GraduateJobInput> = {}) =>
      graduation
        .recordGraduation(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), cohort.id, intern.id, 1, {
          status: 'graduated',
          outcome: 'employed_host',
          outcomeDate,
          note: null,
          job: await hostJob(job),
        })
        .catch((err: unknown) => err);
    expect(((await attempt('2026-12-01')) as ValidationError).fields.outcome_date).toBe('Date must be today or in the past');
    expect(((await attempt('2025-08-01')) as ValidationError).fields.outcome_date).toBe(
      'Date must be on or after the day the cohort started',
    );
    expect(((await attempt('2026-07-17', { departmentId })) as ValidationError).fields.department_id).toBe(
      'Choose one of this employer’s departments',
    );
  });
});

describe('handOver', () => {
  it('moves the graduate to follow-on support in one step, with a placement and a support plan from the job', async () => {
    const cohort = await makeCohort('A', '2025/26');
    const { p, intern } = await makeIntern(cohort.id);
    const followOnTeam = (await makeTeam(t.db, t.deps, 'Follow-on')).id;
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: followOnTeam });
    await graduateIntoJob(cohort.id, intern.id);
    const result = await t.db
      .transaction()
      .execute((trx) => graduation.handOver(trx, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), cohort.id, intern.id, 2, coach.id));
    expect(result.statusKept).toBeNull();

    const person = await t.db.selectFrom('participants').selectAll().where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(person).toMatchObject({
      programme: 'follow_on',
      status: 'employed',
      practitioner_id: coach.id,
      team_id: followOnTeam,
    });
    const placement = await t.db
      .selectFrom('placements')
      .selectAll()
      .where('id', '=', result.placementId)
      .executeTakeFirstOrThrow();
    expect(placement).toMatchObject({
      participant_id: p.id,
      title: 'Porter',
      start_date: '2026-09-01',
      practitioner_id: coach.id,
      line_manager: 'Jo Patel',
      contract_type: 'permanent',
    });
    expect(Number(placement.open_to_anyone)).toBe(1);
    expect(Number(placement.hourly_pay_pence)).toBe(1300);
    const plan = await t.db
      .selectFrom('support_plans')
      .selectAll()
      .where('placement_id', '=', placement.id)
      .executeTakeFirstOrThrow();
    expect(plan.coach_support).toBe('Follow-on job coaching after the internship');
    expect(Number(plan.contact_every_days)).toBe(7);
    const row = await t.db.selectFrom('cohort_interns').selectAll().where('id', '=', intern.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ follow_on_practitioner_id: coach.id, follow_on_placement_id: placement.id });
    expect(row.handed_over_at).toBe('2026-11-25T10:00:00.000Z');
    const status = await participants.statusHistory(t.db, p.id);
    expect(status.find((s) => s.toStatus === 'employed')).toMatchObject({
      fromStatus: 'engaged',
      reason: 'Graduated from the internship into a job',
    });
    const audited = await t.db
      .selectFrom('audit_events')
      .select('entity_id')
      .where('action', '=', 'intern.handed_over')
      .execute();
    expect(audited.map((a) => a.entity_id)).toEqual([p.id]);

    // The tutor's team no longer sees the person; the coach does, with the internship history.
    await expect(participants.loadVisible(t.db, viewerOf(tutor), p.id)).rejects.toThrow('Participant not found');
    await expect(participants.loadVisible(t.db, viewerOf(coach), p.id)).resolves.toMatchObject({ id: p.id });
    const [history] = await graduation.internshipHistory(t.db, p.id);
    expect(history).toMatchObject({ cohortName: 'A', status: 'graduated', outcome: 'employed_host', followOnName: coach.name });
    // The cohort still lists them, unnamed to the interns' team.
    const listed = await internships.internsOf(t.db, viewerOf(tutor), cohort.id);
    expect(listed.map((i) => i.name)).toEqual([null]);
  });

  it('leaves the status as it is, and says why, when it cannot move straight to employed', async () => {
    const cohort = await makeCohort('A', '2025/26');
    const { p, intern } = await makeIntern(cohort.id, { engaged: false });
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
    await graduateIntoJob(cohort.id, intern.id);
    const result = await graduation.handOver(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), cohort.id, intern.id, 2, coach.id);
    expect(result.statusKept).toContain('cannot move straight to employed');
    const person = await t.db
      .selectFrom('participants')
      .select(['status', 'programme'])
      .where('id', '=', p.id)
      .executeTakeFirstOrThrow();
    expect(person).toEqual({ status: 'referred', programme: 'follow_on' });
  });

  it('refuses a deactivated coach, an intern still on the internship, and a second hand-over', async () => {
    const cohort = await makeCohort('A', '2025/26');
    const { intern } = await makeIntern(cohort.id);
    const coach = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team });
    const hand = (version: number, coachId = coach.id) =>
      graduation.handOver(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), cohort.id, intern.id, version, coachId);
    await expect(hand(1)).rejects.toThrow('Only a graduate can move to follow-on support');
    await graduateIntoJob(cohort.id, intern.id);
    await t.db.updateTable('users').set({ active: 0 }).where('id', '=', coach.id).execute();
    await expect(hand(2)).rejects.toBeInstanceOf(RuleError);
    await t.db.updateTable('users').set({ active: 1 }).where('id', '=', coach.id).execute();
    await hand(2);
    await expect(hand(3)).rejects.toThrow('They have already moved to follow-on support');
    await expect(graduateIntoJob(cohort.id, intern.id, { hoursPerWeek: 30 })).rejects.toThrow(
      /can no longer be changed|Intern not found/,
    );
  });
});

describe('internshipReport', () => {
  it('counts interns, graduates, employed and programme outcomes per cohort, per year and over all years', async () => {
    const a = await makeCohort('A', '2024/25');
    const b = await makeCohort('B', '2025/26');
    const a1 = await makeIntern(a.id);
    const a2 = await makeIntern(a.id);
    const a3 = await makeIntern(a.id);
    await graduateIntoJob(a.id, a1.intern.id);
    await graduateIntoJob(a.id, a2.intern.id, { seasonal: true });
    await graduation.recordGraduation(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), a.id, a3.intern.id, 1, {
      status: 'withdrawn',
      outcome: null,
      outcomeDate: '2026-01-10',
      note: null,
      job: null,
    });
    const b1 = await makeIntern(b.id);
    await makeIntern(b.id);
    await graduation.recordGraduation(t.db, t.deps, SYSTEM_CONTEXT, viewerOf(tutor), b.id, b1.intern.id, 1, {
      status: 'graduated',
      outcome: 'further_education',
      outcomeDate: '2026-07-17',
      note: null,
      job: null,
    });
    // Another team's cohort is not in this team's figures.
    const otherTeam = (await makeTeam(t.db, t.deps)).id;
    const otherTutor = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: otherTeam });
    const c = await makeCohort('C', '2025/26', otherTeam, otherTutor);
    await makeIntern(c.id, { by: otherTutor });

    const report = await graduation.internshipReport(t.db, viewerOf(tutor));
    const pick = (r: graduation.ReportRow) => [r.label, r.interns, r.graduates, r.employed, r.programmeOutcomes, r.ratePercent];
    expect(report.cohorts.map(pick)).toEqual([
      ['B', 2, 1, 0, 0, 0],
      ['A', 3, 2, 2, 1, 50],
    ]);
    expect(report.years.map(pick)).toEqual([
      ['2025/26', 2, 1, 0, 0, 0],
      ['2024/25', 3, 2, 2, 1, 50],
    ]);
    expect(pick(report.overall)).toEqual(['All years', 5, 3, 2, 1, 33]);
  });

  it('has no rate before anyone graduates', async () => {
    const a = await makeCohort('A', '2025/26');
    await makeIntern(a.id);
    const report = await graduation.internshipReport(t.db, viewerOf(tutor));
    expect(report.overall).toMatchObject({ interns: 1, graduates: 0, ratePercent: null });
    expect(graduation.reportCsv(report)).toContain('All years,All years,,1,0,0,0,\r\n');
  });
});
