import * as matching from '../matching/service.ts';
import * as appointments from '../appointments/service.ts';
import type { Programme, ParticipantStatus } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as placements from '../placements/service.ts';
import type { ProfileData } from '../profiles/rules.ts';
import * as profiles from '../profiles/service.ts';
import type { ReferralInput } from '../referrals/service.ts';
import * as referrals from '../referrals/service.ts';
import { londonInstant } from '../referrals/rules.ts';
import * as support from '../support/service.ts';
import { PROMPT_LEVELS, type PromptLevel } from '../task-analyses/rules.ts';
import * as taskAnalyses from '../task-analyses/service.ts';
import { mondayOf } from '../employers/rules.ts';
import type { Actor, DemoWorld } from './world.ts';

// The steps of a person's journey, each through the service that owns it, with the clock set to
// when it happened.

/** Refers a new person (the intake form), on `by`'s caseload unless another practitioner is named. */
export async function refer(
  w: DemoWorld,
  by: Actor,
  person: { programme: Programme; practitionerId?: string | null; teamId?: string; minAge?: number; maxAge?: number },
  referral: Omit<ReferralInput, 'receivedDate'> & { receivedDate: string },
): Promise<{ id: string; referralId: string; name: string }> {
  w.at(londonInstant(referral.receivedDate, '15:00'));
  const name = w.nextName();
  const { participant, referral: r } = await referrals.createIntake(
    w.db,
    w.deps,
    by.ctx,
    by.viewer,
    {
      ...name,
      programme: person.programme,
      dateOfBirth: w.dateOfBirth(person.minAge ?? 19, person.maxAge ?? 58),
      nhsNumber: w.nhsNumber(),
      phone: `07700 900${String(w.between(0, 999)).padStart(3, '0')}`,
      preferredContactMethod: w.pick(['phone', 'text', 'email']),
      ...(person.practitionerId !== undefined ? { practitionerId: person.practitionerId } : {}),
      ...(person.teamId ? { teamId: person.teamId } : {}),
    },
    referral,
    { allowDuplicates: true },
  );
  return { id: participant.id, referralId: r.id, name: `${name.givenName} ${name.familyName}` };
}

/** Moves a person's status on a London day, as the form on their page does. */
export async function move(
  w: DemoWorld,
  by: Actor,
  id: string,
  to: ParticipantStatus,
  day: string,
  reason: string | null = null,
) {
  w.at(londonInstant(day, '16:45'));
  const p = await participants.loadVisible(w.db, by.viewer, id);
  await participants.changeStatus(w.db, w.deps, by.ctx, by.viewer, id, p.version, to, reason);
}

/** Saves a version of the vocational profile on a day. */
export async function saveProfile(w: DemoWorld, by: Actor, id: string, day: string, changes: Partial<ProfileData>) {
  w.at(londonInstant(day, '17:00'));
  const current = await profiles.currentVersion(w.db, id);
  await profiles.saveProfile(w.db, w.deps, by.ctx, by.viewer, id, current.version, changes);
}

/** Records a job start (found without a match), which moves the person to employed. */
export async function startJob(
  w: DemoWorld,
  by: Actor,
  id: string,
  job: Omit<placements.PlacementStart, 'participantId' | 'vacancyId' | 'matchId' | 'practitionerId'>,
): Promise<string> {
  w.at(londonInstant(job.startDate, '17:15'));
  const { placement } = await placements.startPlacement(w.db, w.deps, by.ctx, by.viewer, id, job);
  return placement.id;
}

/** Ends a job on a day with a reason (a redundancy opens a redeployment). */
export async function endJob(
  w: DemoWorld,
  by: Actor,
  placementId: string,
  endDate: string,
  endReason: 'resigned' | 'dismissed' | 'redundancy' | 'contract_end' | 'redeployed',
) {
  w.at(londonInstant(endDate, '17:30'));
  const { placement } = await placements.getPlacement(w.db, w.deps, by.viewer, placementId);
  await placements.updatePlacement(w.db, w.deps, by.ctx, by.viewer, placementId, placement.version, { endDate, endReason });
}

/** Writes the support plan for a job, agreed the week it started. */
export async function writePlan(
  w: DemoWorld,
  by: Actor,
  placementId: string,
  startDate: string,
  plan: { coach: string; employer: string; every: number; hours: number; adjustments: string; fading: string },
) {
  w.at(londonInstant(startDate, '17:40'));
  const nextReview = w.day(w.between(5, 70));
  await support.savePlan(
    w.db,
    w.deps,
    by.ctx,
    by.viewer,
    placementId,
    {
      coachSupport: plan.coach,
      employerOwns: plan.employer,
      contactEveryDays: plan.every,
      adjustments: plan.adjustments,
      nextReviewDate: nextReview,
      fadingPlan: plan.fading,
      hoursPerWeek: plan.hours,
    },
    undefined,
  );
}

/** Records a support plan review on a past day, continuing with a later review. */
export async function reviewPlan(w: DemoWorld, by: Actor, placementId: string, day: string, notes: string) {
  w.at(londonInstant(day, '16:00'));
  await support.recordReview(w.db, w.deps, by.ctx, by.viewer, placementId, {
    reviewDate: day,
    decision: w.chance(0.7) ? 'continue' : 'reduce',
    notes,
    nextReviewDate: w.day(w.between(10, 80)),
  });
}

/**
 * Instruction sessions on a task analysis, `count` of them from `firstDay` a week or so apart:
 * the baseline needs a lot of help and each step fades towards independence.
 */
export async function instruct(
  w: DemoWorld,
  by: Actor,
  taskAnalysisId: string,
  participantId: string,
  placementId: string | null,
  firstDay: string,
  count: number,
) {
  const analysis = await taskAnalyses.getTaskAnalysis(w.db, by.viewer, taskAnalysisId);
  const steps = analysis.steps.filter((s) => !s.retired);
  // Each step starts somewhere between model and physical and fades at its own pace.
  const start = steps.map(() => w.between(2, 4));
  const pace = steps.map(() => 0.5 + w.random() * 0.9);
  let day = firstDay;
  for (let n = 0; n < count; n++) {
    if (w.daysAgo(day) < 0) break;
    const results = steps.map((s, i) => {
      const level = Math.max(0, Math.round(start[i]! - n * pace[i]! + (w.chance(0.15) ? 1 : 0)));
      return { stepId: s.id, promptLevel: levelAt(Math.min(level, 4)) };
    });
    w.at(londonInstant(day, '15:30'));
    await taskAnalyses.recordSession(w.db, w.deps, by.ctx, by.viewer, taskAnalysisId, {
      participantId,
      placementId,
      sessionDate: day,
      notes: n === 0 ? 'Baseline: the help needed at each step before teaching.' : null,
      results,
    });
    day = w.workingDayAfter(day, w.between(5, 9));
  }
}

function levelAt(i: number): PromptLevel {
  // PROMPT_LEVELS runs least to most intrusive.
  return PROMPT_LEVELS[i]!;
}

/** Appointments across this week and the next two for a practitioner's (or manager's) people; days before today are attended. */
export async function plannedWeek(w: DemoWorld, by: Actor, people: readonly string[], siteId: string) {
  if (people.length === 0) return;
  const monday = mondayOf(w.today);
  let n = 0;
  for (let d = 0; d < 19; d++) {
    const day = addDay(monday, d);
    const weekend = d % 7 >= 5;
    if (weekend && !(d === 5 || d === 12)) continue;
    const perDay = weekend ? 1 : w.between(1, 3);
    for (let k = 0; k < perDay; k++) {
      const person = people[n++ % people.length]!;
      const time = weekend ? '11:00' : (['09:30', '11:00', '14:00', '15:30', '18:00'][k + (w.chance(0.15) ? 2 : 0)] ?? '16:00');
      const startsAt = londonInstant(day, time);
      const past = startsAt.getTime() + 3_600_000 < w.now.getTime();
      w.at(new Date(startsAt.getTime() - 6 * 86_400_000));
      const place = w.pick(['community', 'site', 'community', 'remote'] as const);
      const a = await appointments.planAppointment(w.db, w.deps, by.ctx, by.viewer, person, {
        startsAt: startsAt.toISOString(),
        durationMinutes: w.pick([30, 45, 60]),
        placeKind: place,
        siteId: place === 'site' ? siteId : null,
        placeDetail:
          place === 'community'
            ? w.pick(['Café on the high street', 'Central library', 'Jobcentre Plus', 'Their workplace'])
            : null,
        purpose: w.pick(['job_search', 'in_work_support', 'profile', 'benefits', 'employer_contact'] as const),
      });
      if (past) {
        w.at(new Date(startsAt.getTime() + 2 * 3_600_000));
        await appointments.attendAppointment(w.db, w.deps, by.ctx, by.viewer, a.id, a.version, {});
      }
    }
  }
  w.present();
}

function addDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/**
 * People a manager holds while they wait for a practitioner: referred by the manager (so on no
 * one's caseload), in job search, with matches to the given vacancies that the manager made.
 */
export async function managerHeld(
  w: DemoWorld,
  manager: Actor,
  programme: Programme,
  vacancyIds: readonly string[],
  count: number,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const p = await refer(w, manager, { programme }, { source: 'self', receivedDate: w.day(-40 - i * 9) });
    const first = w.workingDay(-36 + i * 2);
    await w.contact(manager, p.id, {
      day: first,
      time: '10:00',
      purpose: 'engagement',
      notes: 'First meeting while they wait for a practitioner.',
    });
    await move(w, manager, p.id, 'engaged', first);
    await saveProfile(w, manager, p.id, first, {
      work_history: 'Retail and warehouse work, most recently two years at a supermarket.',
      occupations: ['Retail assistant', 'Receptionist'],
      hours_per_week_min: 16,
      hours_per_week_max: 25,
      lowest_hourly_pay_pence: 1271,
    });
    await move(w, manager, p.id, 'job_search', w.workingDay(-28 + i), 'Ready to look');
    for (const [k, v] of vacancyIds.slice(0, 3).entries()) {
      w.atDay(-12 + k + i, '11:00');
      const m = await matching.createMatch(w.db, w.deps, manager.ctx, manager.viewer, p.id, v);
      if (k > 0)
        await matching.moveStage(
          w.db,
          w.deps,
          manager.ctx,
          manager.viewer,
          p.id,
          m.id,
          m.version,
          k === 1 ? 'applied' : 'discussed',
        );
    }
    const d = w.workingDay(-3 - i);
    await w.contact(manager, p.id, {
      day: d,
      time: '14:00',
      purpose: 'job_search',
      notes: 'Went through the vacancies together.',
    });
    ids.push(p.id);
  }
  w.present();
  return ids;
}
