import * as benefits from '../benefits/service.ts';
import * as capacity from '../access-to-work/capacity.ts';
import type { ContactPurpose } from '../contacts/rules.ts';
import * as employers from '../employers/service.ts';
import type { EmployerContactPurpose, RelationshipStage } from '../employers/rules.ts';
import * as fidelity from '../fidelity/service.ts';
import * as matching from '../matching/service.ts';
import type { MatchStage } from '../matching/stages.ts';
import { londonInstant } from '../referrals/rules.ts';
import * as referrals from '../referrals/service.ts';
import * as vacancies from '../vacancies/service.ts';
import { endJob, managerHeld, move, refer, reviewPlan, saveProfile, startJob, writePlan } from './journeys.ts';
import type { IpsTeam } from './setup.ts';
import type { Actor, DemoWorld } from './world.ts';

// Two IPS teams inside community mental-health teams: each practitioner's caseload of about
// twenty at every status, the employers they work with, vacancies, matches, jobs and in-work
// support, with two years of contacts, and the team's fidelity review.

const EMPLOYERS: readonly { name: string; sector: string; stage: RelationshipStage; jobs: string[] }[] = [
  {
    name: 'Bridge Street Bakery',
    sector: 'Food and drink',
    stage: 'hiring_partner',
    jobs: ['Bakery assistant', 'Counter assistant'],
  },
  { name: 'Valley Garden Centre', sector: 'Retail', stage: 'hiring_partner', jobs: ['Plant area assistant', 'Café assistant'] },
  { name: 'Kestrel Logistics', sector: 'Warehousing', stage: 'hiring_partner', jobs: ['Warehouse operative', 'Forklift driver'] },
  { name: 'The Old Mill Hotel', sector: 'Hospitality', stage: 'engaged', jobs: ['Housekeeper', 'Kitchen porter'] },
  {
    name: 'Wessex Valley Council',
    sector: 'Public sector',
    stage: 'engaged',
    jobs: ['Admin assistant', 'Grounds maintenance operative'],
  },
  { name: 'Cartwright & Daughters Builders Merchants', sector: 'Trade', stage: 'engaged', jobs: ['Yard assistant'] },
  { name: 'Riverside Leisure Centre', sector: 'Leisure', stage: 'engaged', jobs: ['Leisure assistant', 'Receptionist'] },
  {
    name: 'Pennywise Supermarket',
    sector: 'Retail',
    stage: 'hiring_partner',
    jobs: ['Customer assistant', 'Night shelf stacker'],
  },
  { name: 'Greenway Cycles', sector: 'Retail', stage: 'contacted', jobs: ['Bike mechanic trainee'] },
  { name: 'Northgate Community Café', sector: 'Charity', stage: 'contacted', jobs: ['Barista'] },
  { name: 'Sunrise Care Homes', sector: 'Care', stage: 'contacted', jobs: ['Activities assistant'] },
  { name: 'Brightwater Call Centre', sector: 'Customer service', stage: 'dormant', jobs: ['Customer adviser'] },
  { name: 'Hollins Print Works', sector: 'Manufacturing', stage: 'dormant', jobs: ['Print finisher'] },
  { name: 'Quayside Books', sector: 'Retail', stage: 'prospect', jobs: [] },
  { name: 'Meadow Vets', sector: 'Animal care', stage: 'prospect', jobs: [] },
  { name: 'Ashdown IT Recycling', sector: 'Recycling', stage: 'prospect', jobs: [] },
];

const OCCUPATIONS = [
  'Retail assistant',
  'Warehouse operative',
  'Kitchen porter',
  'Admin assistant',
  'Gardener',
  'Barista',
  'Housekeeper',
  'Receptionist',
  'Bike mechanic',
  'Care assistant',
];

const BENEFITS_TEXT = [
  'Universal Credit with LCWRA, paid monthly; worried about losing it if they work.',
  'ESA (support group); wants to stay under permitted work to start with.',
  'Universal Credit, standard allowance and housing costs.',
  'No benefits: living with family.',
];

const NOTES: Record<string, string[]> = {
  engagement: [
    'Met at the café near their home; talked about what work they want.',
    'Phoned to rearrange; agreed to meet next week.',
  ],
  profile: [
    'Worked on the vocational profile: past jobs, what went well, what they want next.',
    'Talked about disclosure and what the employer would be told.',
  ],
  job_search: [
    'Looked at vacancies together and updated the CV.',
    'Practised interview questions for Thursday.',
    'Applied online together for two jobs.',
  ],
  employer_contact: ['Visited the employer with them to drop off a CV.'],
  benefits: ['Went through what working 16 hours would mean for their Universal Credit.'],
  clinical_liaison: ['Joined the CMHT meeting; care coordinator updated on job search.'],
  in_work_support: [
    'Met after their shift; first weeks going well.',
    'Talked about the new rota; agreed to speak to the manager together.',
    'Checked in by phone after a tough week.',
  ],
};

interface Person {
  id: string;
  referralId: string;
  by: Actor;
  plan: 'referred' | 'engaged' | 'job_search' | 'employed' | 'closed';
  received: string;
}

// A caseload of 19: two new, three engaged, five in job search, six in work (with in-work
// support) and three whose episode closed.
const PLAN: readonly Person['plan'][] = [
  'referred',
  'referred',
  'engaged',
  'engaged',
  'engaged',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'job_search',
  'employed',
  'employed',
  'employed',
  'employed',
  'employed',
  'employed',
  'closed',
  'closed',
  'closed',
];

function receivedAgo(w: DemoWorld, plan: Person['plan'], i: number): number {
  switch (plan) {
    case 'referred':
      return 2 + i * 3;
    case 'engaged':
      return w.between(20, 55);
    case 'job_search':
      return w.between(60, 260);
    case 'employed':
      return w.between(150, 680);
    case 'closed':
      return w.between(420, 720);
  }
}

/** Logs a run of contacts from `fromDay` to `toDay` every few days, with purposes for the phase. */
async function contactsBetween(
  w: DemoWorld,
  by: Actor,
  id: string,
  fromDay: string,
  toDay: string,
  purposes: readonly (keyof typeof NOTES)[],
  gap: [number, number],
  placementId: string | null = null,
) {
  let day = w.workingDayAfter(fromDay, 0);
  while (day <= toDay && w.daysAgo(day) >= 0) {
    const purpose = w.pick(purposes) as ContactPurpose;
    const weekend = w.chance(0.05);
    const d = weekend ? w.day(-w.daysAgo(day) + (6 - new Date(`${day}T12:00:00Z`).getUTCDay())) : day;
    if (w.daysAgo(d) >= 0) {
      await w.contact(by, id, {
        day: d,
        time: weekend ? '11:00' : w.timeOn(d),
        purpose,
        mode: w.chance(0.7) ? 'face_to_face' : w.pick(['phone', 'video', 'message'] as const),
        place:
          purpose === 'in_work_support'
            ? 'workplace'
            : purpose === 'clinical_liaison'
              ? 'clinic'
              : w.pick(['community', 'community', 'home', 'clinic'] as const),
        minutes: w.pick([30, 45, 60, 60, 90]),
        notes: w.pick(NOTES[purpose] ?? NOTES.engagement!),
        shared: purpose === 'clinical_liaison',
        placementId: purpose === 'in_work_support' ? placementId : null,
      });
    }
    day = w.workingDayAfter(day, w.between(gap[0], gap[1]));
  }
}

/** Loads one IPS team: employers, vacancies, caseloads, jobs, contacts and the fidelity review. */
export async function loadIpsTeam(w: DemoWorld, t: IpsTeam, index: number): Promise<Map<string, string[]>> {
  const peopleOf = new Map<string, string[]>();
  const add = (a: Actor, id: string) => peopleOf.set(a.user.id, [...(peopleOf.get(a.user.id) ?? []), id]);
  const [es1, es2] = t.practitioners as [Actor, Actor];

  // Contracted hours for the team's coaches, for the capacity page.
  w.atDay(-600, '09:00');
  for (const p of t.practitioners)
    await capacity.setContractedHours(w.db, w.deps, t.manager.ctx, t.manager.viewer, p.user.id, 37.5);

  // Employers: half the list for each team, at every relationship stage.
  const mine = EMPLOYERS.filter((_, i) => i % 2 === index);
  const emps: { id: string; name: string; jobs: string[]; stage: RelationshipStage }[] = [];
  for (const [i, e] of mine.entries()) {
    const by = i % 2 === 0 ? es1 : es2;
    w.atDay(-650 + i * 30, '11:00');
    const created = await employers.createEmployer(w.db, w.deps, by.ctx, by.viewer, {
      name: e.name,
      type: 'external',
      sector: e.sector,
      size: w.pick(['micro', 'small', 'medium', 'large'] as const),
      address: `${w.between(2, 180)} ${w.pick(['High Street', 'Station Road', 'Mill Lane', 'Quay Side', 'Church Street'])}, Wessex Valley`,
      postcode: `WV${w.between(1, 9)} ${w.between(1, 9)}${w.pick(['AB', 'DF', 'HJ', 'LN', 'PQ', 'RT'])}`,
    });
    await employers.savePerson(w.db, w.deps, by.ctx, by.viewer, created.id, null, {
      name: `${w.pick(['Sarah', 'Dave', 'Priya', 'Tony', 'Aoife', 'Wes'])} ${w.pick(['Hall', 'Ng', 'Barker', 'Dutta', 'Keane'])}`,
      jobTitle: w.pick(['Store manager', 'HR adviser', 'Owner', 'Operations manager']),
    });
    if (e.stage !== 'prospect') {
      const n = e.stage === 'hiring_partner' ? 9 : e.stage === 'engaged' ? 5 : 2;
      const lastAgo = e.stage === 'dormant' ? 300 : 3;
      for (let k = 0; k < n; k++) {
        const ago = lastAgo + Math.round(((n - 1 - k) * (e.stage === 'dormant' ? 200 : 540)) / Math.max(1, n));
        const d = w.workingDay(-ago);
        w.at(londonInstant(d, '16:45'));
        const purpose: EmployerContactPurpose =
          k === 0 ? 'introduction' : w.pick(['learn_about_business', 'discuss_vacancy', 'follow_up', 'job_carving'] as const);
        await employers.logEmployerContact(w.db, w.deps, by.ctx, by.viewer, created.id, {
          contactedAt: londonInstant(d, w.pick(['10:00', '11:30', '14:00'])).toISOString(),
          mode: w.chance(0.7) ? 'face_to_face' : w.pick(['phone', 'email', 'event'] as const),
          purpose,
          outcome: w.pick([
            'Keen to hear about candidates.',
            'Manager interested in a working interview.',
            'Busy season: call back next month.',
          ]),
          nextStep: k === n - 1 && e.stage !== 'dormant' ? 'Follow up about the next vacancy' : null,
          nextStepDue: k === n - 1 && e.stage !== 'dormant' ? w.day(w.between(3, 20)) : null,
        });
      }
      const current = await employers.getEmployer(w.db, by.viewer, created.id);
      if (current.relationshipStage !== e.stage)
        await employers.updateEmployer(w.db, w.deps, by.ctx, by.viewer, created.id, current.version, {
          relationshipStage: e.stage,
        });
    }
    emps.push({ id: created.id, name: e.name, jobs: e.jobs, stage: e.stage });
  }
  w.present();

  // Open vacancies now, for matching.
  const open: string[] = [];
  for (const e of emps) {
    for (const [k, job] of e.jobs.entries()) {
      const by = k % 2 === 0 ? es1 : es2;
      w.atDay(-w.between(3, 25), '09:30');
      const v = await vacancies.createVacancy(w.db, w.deps, by.ctx, by.viewer, {
        employerId: e.id,
        title: job,
        occupation: job,
        hoursPerWeek: w.pick([12, 16, 20, 24, 30]),
        days: w.pick([
          ['mon', 'tue', 'wed'],
          ['mon', 'tue', 'wed', 'thu', 'fri'],
          ['thu', 'fri', 'sat'],
        ] as const),
        times: w.pick([['mornings'], ['afternoons'], ['mornings', 'afternoons'], ['evenings']] as const),
        weekends: w.chance(0.3),
        hourlyPayPence: w.pick([1271, 1275, 1300, 1350, 1420]),
        place: 'Wessex Valley',
        closingDate: w.day(w.between(7, 45)),
        foundVia: e.stage === 'hiring_partner' ? 'employer_relationship' : 'advertised',
        description: `${job} at ${e.name}. Training given; no experience needed.`,
      });
      open.push(v.id);
    }
  }
  w.progress(`  ${t.team.name}: ${emps.length} employers, ${open.length} open vacancies`);

  const people: Person[] = [];
  for (const by of t.practitioners) {
    for (const [i, plan] of PLAN.entries()) {
      const ago = receivedAgo(w, plan, i);
      const received = w.day(-ago);
      const r = await refer(
        w,
        by,
        { programme: 'ips' },
        {
          receivedDate: received,
          source: i % 4 === 3 ? 'self' : 'clinical_team',
          clinicalTeamId: i % 4 === 3 ? null : t.clinicalTeam.id,
          careCoordinator: i % 4 === 3 ? null : t.clinician.user.name,
          referrerName: i % 4 === 3 ? null : t.clinician.user.name,
          referrerOrganisation: i % 4 === 3 ? null : t.clinicalTeam.name,
          whatTheyWant: w.pick([
            'A part-time job near home.',
            'Back into warehouse work.',
            'Something outdoors.',
            'Office work, mornings only.',
          ]),
          inWorkAtReferral: plan === 'employed' && i === 15,
        },
      );
      people.push({ id: r.id, referralId: r.referralId, by, plan, received });
      if (plan !== 'closed') add(by, r.id);
    }
  }

  let n = 0;
  for (const p of people) {
    n++;
    const by = p.by;
    if (p.plan === 'referred') {
      if (n % 2 === 0) {
        const tried = londonInstant(
          w.workingDayAfter(p.received, 1) < w.today ? w.workingDayAfter(p.received, 1) : p.received,
          '10:00',
        );
        w.at(new Date(tried.getTime() + 3_600_000));
        await referrals.recordContactAttempt(w.db, w.deps, by.ctx, by.viewer, p.id, p.referralId, 1, {
          attemptedAt: tried,
          method: 'phone',
          note: 'No answer; left a voicemail.',
        });
      }
      continue;
    }
    const first = w.workingDayAfter(p.received, w.between(2, 6));
    await w.contact(by, p.id, { day: first, time: w.timeOn(first), purpose: 'engagement', notes: NOTES.engagement![0]! });
    await move(w, by, p.id, 'engaged', first);
    const profileDay = w.workingDayAfter(first, 7);
    if (w.daysAgo(profileDay) >= 0)
      await saveProfile(w, by, p.id, profileDay, {
        work_history: w.pick([
          'Five years in a supermarket, then off sick for two.',
          'Warehouse picker on agency contracts.',
          'Kitchen porter and bar work.',
          'Office administrator for a small firm.',
        ]),
        education: w.pick(['GCSEs, including English and maths.', 'NVQ level 2 in horticulture.', 'Left school at 16.']),
        skills: 'Reliable, good with customers, can drive.',
        strengths: 'Hard working; good sense of humour; calm under pressure.',
        interests: w.pick([
          'Gardening and walking.',
          'Football and cooking.',
          'Gaming and computers.',
          'Animals and the outdoors.',
        ]),
        aspirations: 'A steady part-time job, building up hours over time.',
        occupations: [w.pick(OCCUPATIONS), w.pick(OCCUPATIONS)].filter((o, k, all) => all.indexOf(o) === k),
        hours_per_week_min: w.pick([8, 12, 16]),
        hours_per_week_max: w.pick([16, 20, 25, 30]),
        days: ['mon', 'tue', 'wed', 'thu', 'fri'],
        times: w.pick([['mornings'], ['mornings', 'afternoons'], ['afternoons']] as const).slice(),
        weekends_ok: w.chance(0.5),
        max_travel_minutes: w.pick([20, 30, 45]),
        travel_modes: ['bus', 'walk'],
        lowest_hourly_pay_pence: w.pick([1271, 1300, 1350]),
        disclosure: w.pick(['full', 'partial', 'none'] as const),
        support_needs: 'Prefers a quiet start to the day; written instructions help.',
        benefits: w.pick(BENEFITS_TEXT),
        weekly_structure: 'Volunteers on Tuesdays; CMHT appointments fortnightly on Thursday mornings.',
      });
    if (p.plan === 'engaged') {
      await contactsBetween(w, by, p.id, w.workingDayAfter(first, 5), w.today, ['profile', 'engagement', 'benefits'], [5, 9]);
      continue;
    }
    const searchDay = w.workingDayAfter(first, w.between(10, 21));
    await move(w, by, p.id, 'job_search', searchDay, 'Profile done: starting job search');
    if (p.plan === 'job_search') {
      await contactsBetween(
        w,
        by,
        p.id,
        w.workingDayAfter(searchDay, 3),
        w.today,
        ['job_search', 'job_search', 'employer_contact', 'benefits', 'clinical_liaison'],
        [5, 10],
      );
      // Matches at different stages; each a separate vacancy.
      const stagesFor: MatchStage[][] = [
        ['discussed'],
        ['applied', 'interview'],
        ['applied', 'unsuccessful'],
        ['applied', 'offer'],
        ['declined'],
      ];
      const picks = [0, 1, 2].map((k) => open[(n * 3 + k) % open.length]!);
      for (const [k, v] of [...new Set(picks)].entries()) {
        w.atDay(-w.between(15, 25), '13:00');
        const m = await matching.createMatch(w.db, w.deps, by.ctx, by.viewer, p.id, v);
        let version = m.version;
        for (const s of k === 0 ? [] : stagesFor[(n + k) % stagesFor.length]!) {
          w.atDay(-w.between(2, 12), '13:30');
          version = (await matching.moveStage(w.db, w.deps, by.ctx, by.viewer, p.id, m.id, version, s)).match.version;
        }
      }
      if (n % 5 === 0) {
        w.atDay(-4, '15:00');
        const draft = await benefits.startingDraft(w.db, w.deps, by.ctx, by.viewer, p.id);
        await benefits.saveCalculation(w.db, w.deps, by.ctx, by.viewer, p.id, {
          ...draft,
          notes: 'Worked out together before the interview.',
        });
      }
      // An employer contact on their behalf.
      const e = emps.find((x) => x.stage === 'hiring_partner') ?? emps[0]!;
      const d = w.workingDay(-w.between(2, 20));
      w.at(londonInstant(d, '17:00'));
      await employers.logEmployerContact(w.db, w.deps, by.ctx, by.viewer, e.id, {
        contactedAt: londonInstant(d, '11:00').toISOString(),
        mode: 'face_to_face',
        purpose: 'on_behalf',
        participantId: p.id,
        outcome: 'Manager will look at their CV and call back.',
      });
      continue;
    }
    // In work (or was): a job from a match with one of the team's hiring partners, or found themselves.
    const startDay = w.workingDayAfter(searchDay, w.between(20, 80));
    await contactsBetween(
      w,
      by,
      p.id,
      w.workingDayAfter(searchDay, 3),
      startDay,
      ['job_search', 'job_search', 'employer_contact', 'benefits'],
      [5, 9],
    );
    const e = emps[n % emps.length]!;
    const title = e.jobs[0] ?? 'Retail assistant';
    let placementId: string;
    if (n % 2 === 0) {
      w.at(londonInstant(w.day(-w.daysAgo(startDay) - 30), '09:00'));
      const v = await vacancies.createVacancy(w.db, w.deps, by.ctx, by.viewer, {
        employerId: e.id,
        title,
        hoursPerWeek: 16,
        hourlyPayPence: 1300,
        closingDate: w.day(-w.daysAgo(startDay) - 5),
        foundVia: 'employer_relationship',
      });
      w.at(londonInstant(w.day(-w.daysAgo(startDay) - 25), '10:00'));
      const m = await matching.createMatch(w.db, w.deps, by.ctx, by.viewer, p.id, v.id);
      let version = m.version;
      let result: Awaited<ReturnType<typeof matching.moveStage>> | null = null;
      for (const [k, s] of (['applied', 'interview', 'offer', 'started'] as const).entries()) {
        w.at(londonInstant(w.day(-w.daysAgo(startDay) - 20 + k * 6), '12:00'));
        result = await matching.moveStage(
          w.db,
          w.deps,
          by.ctx,
          by.viewer,
          p.id,
          m.id,
          version,
          s,
          s === 'started' ? { startDate: startDay } : {},
        );
        version = result.match.version;
      }
      placementId = result!.placementId!;
      const filled = await vacancies.getVacancy(w.db, by.viewer, v.id);
      await vacancies.changeVacancyStatus(w.db, w.deps, by.ctx, by.viewer, v.id, filled.version, 'filled');
    } else {
      placementId = await startJob(w, by, p.id, {
        employerId: e.id,
        title,
        startDate: startDay,
        hoursPerWeek: w.pick([10, 16, 20, 24]),
        hourlyPayPence: w.pick([1271, 1290, 1350]),
        contractType: w.pick(['permanent', 'fixed_term', 'zero_hours']),
      });
    }
    await writePlan(w, by, placementId, startDay, {
      coach: 'Weekly meeting away from work for the first month, then fortnightly; on call by phone.',
      employer: 'Induction, rota and supervision, as for any new starter.',
      every: 14,
      hours: 1,
      adjustments: 'Starts at 10:00 on CMHT appointment days.',
      fading: 'Fortnightly after three months, monthly after six, led by what they want.',
    });
    const endDay = p.plan === 'closed' ? w.workingDayAfter(startDay, w.between(120, 300)) : w.today;
    await contactsBetween(
      w,
      by,
      p.id,
      w.workingDayAfter(startDay, 2),
      endDay,
      ['in_work_support', 'in_work_support', 'clinical_liaison', 'benefits'],
      [9, 20],
      placementId,
    );
    if (p.plan === 'employed' && n % 3 === 0)
      await reviewPlan(w, by, placementId, w.workingDay(-w.between(5, 40)), 'Going well; keeping fortnightly contact.');
    if (p.plan === 'closed') {
      if (n % 3 === 0) await endJob(w, by, placementId, endDay, 'resigned');
      w.at(londonInstant(w.workingDayAfter(endDay, 3), '12:00'));
      const current = await referrals.listReferrals(w.db, w.deps, by.viewer, p.id);
      const open = current.find((r) => r.status === 'open');
      if (open)
        await referrals.closeReferral(
          w.db,
          w.deps,
          by.ctx,
          by.viewer,
          p.id,
          open.id,
          open.version,
          'person_choice',
          'Settled in work and chose to end support.',
        );
    }
  }
  w.present();
  w.progress(
    `  ${t.team.name}: caseloads of ${PLAN.length} for ${t.practitioners.map((p) => p.user.name).join(' and ')}, two years of contacts`,
  );

  // Someone waiting for a practitioner, held by the manager.
  for (const id of await managerHeld(w, t.manager, 'ips', open.slice(index, index + 3), 2)) add(t.manager, id);

  // The team's fidelity review, with scores and an action plan.
  const reviewDay = w.workingDay(-45);
  w.at(londonInstant(reviewDay, '16:00'));
  const review = await fidelity.createReview(w.db, w.deps, t.manager.ctx, t.manager.viewer, {
    reviewDate: reviewDay,
    periodFrom: w.day(-410),
    periodTo: w.day(-50),
    reviewers: 'IPS Grow regional lead and a peer reviewer from a neighbouring trust',
    notes: 'Two-day visit: caseload review, shadowing, interviews with clinicians and employers.',
    items: Array.from({ length: 25 }, (_, k) => ({
      item: k + 1,
      score: [4, 5, 5, 4, 4, 3, 5, 4, 5, 4, 3, 4, 4, 4, 3, 5, 3, 3, 4, 4, 5, 4, 5, 4, 4][(k + index * 3) % 25]!,
      evidence: k % 5 === 0 ? 'Seen in the caseload and contact records.' : null,
    })),
  });
  for (const a of [
    {
      item: 17,
      action: 'Each specialist to make six face-to-face employer contacts a week, logged in Stepwise.',
      owner: t.manager.user.name,
    },
    {
      item: 6,
      action: 'Agree a referral route with the local Jobcentre Plus disability employment adviser.',
      owner: es1.user.name,
    },
    { item: 12, action: 'Offer every person a benefits calculation before any job offer.', owner: es2.user.name },
  ])
    await fidelity.addAction(w.db, w.deps, t.manager.ctx, t.manager.viewer, review.id, {
      ...a,
      dueDate: w.day(w.between(20, 90)),
    });
  w.present();
  return peopleOf;
}
