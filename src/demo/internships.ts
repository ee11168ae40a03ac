import * as accessToWork from '../access-to-work/service.ts';
import * as employers from '../employers/service.ts';
import * as cohorts from '../internships/service.ts';
import * as planning from '../internships/planning.ts';
import * as progress from '../internships/progress.ts';
import { defaultRotations } from '../internships/rules.ts';
import * as matching from '../matching/service.ts';
import { londonInstant } from '../referrals/rules.ts';
import * as taskAnalyses from '../task-analyses/service.ts';
import * as vacancies from '../vacancies/service.ts';
import * as issues from '../workplace-issues/service.ts';
import { mondayOf } from '../employers/rules.ts';
import { endJob, instruct, managerHeld, move, refer, reviewPlan, saveProfile, startJob, writePlan } from './journeys.ts';
import type { Staff, Trust } from './setup.ts';
import type { Actor, DemoWorld } from './world.ts';

// The supported-internship side: the trust's current cohort, its earlier graduates in jobs across
// the trust and its suppliers with follow-on coaching, and the Access to Work that pays for it.

const TASKS: readonly { title: string; department: string; steps: string[] }[] = [
  {
    title: 'Restocking a ward linen trolley',
    department: 'Laundry and linen',
    steps: [
      'Collect the trolley from the linen room',
      'Check the ward’s restock list',
      'Count sheets into the top shelf',
      'Count pillowcases into the middle shelf',
      'Add towels and gowns to the bottom shelf',
      'Cover the trolley',
      'Take it to the ward by the service lift',
      'Sign the ward’s delivery sheet',
    ],
  },
  {
    title: 'Setting up the staff restaurant till',
    department: 'Staff restaurant',
    steps: [
      'Collect the till drawer from the office',
      'Log on with your own card',
      'Count the float with a colleague',
      'Check the card reader is connected',
      'Put the menu board out',
      'Tell the supervisor you are ready',
    ],
  },
  {
    title: 'Checking an instrument tray',
    department: 'Sterile services',
    steps: [
      'Wash hands and put on gloves',
      'Read the tray list',
      'Lay out each instrument on the mat',
      'Tick each instrument against the list',
      'Report anything missing to the supervisor',
      'Wrap the tray',
      'Label the tray with the date',
    ],
  },
  {
    title: 'Filing returned medical records',
    department: 'Medical records',
    steps: [
      'Collect the returns trolley',
      'Scan each folder’s barcode',
      'Sort folders by terminal digit',
      'File each folder in its bay',
      'Put any damaged folder in the repair tray',
    ],
  },
  {
    title: 'Morning pharmacy stores delivery round',
    department: 'Pharmacy stores',
    steps: [
      'Print the delivery list',
      'Load the totes in ward order',
      'Lock the cage trolley',
      'Deliver each tote and get a signature',
      'Bring back the empty totes',
      'Hand the signed list to the stores lead',
    ],
  },
];

const CHECKLIST = [
  'Arrives on time and signs in',
  'Wears the uniform and ID badge correctly',
  'Travels to the hospital independently',
  'Asks for help when unsure',
  'Follows infection-control hand washing',
  'Takes breaks at the agreed times',
  'Uses the phone or radio to report a problem',
  'Completes a task list without prompting',
];

const COACHING = [
  'Checked in with their line manager: going well, no concerns.',
  'Reviewed the rota for next month with them and their supervisor.',
  'Observed the morning round; fewer prompts needed than last visit.',
  'Talked through the new stock system; practised the scanner together.',
  'Met them at break to talk about the change of shift pattern.',
  'Agreed with the supervisor to step back to monthly visits.',
  'Helped them prepare for their appraisal.',
];

export interface SeResult {
  /** People each coach (and the manager) can be given appointments with. */
  peopleOf: Map<string, string[]>;
}

/** The host trust's departments where interns rotate, with capacity and a contact. */
async function cohortDepartments(w: DemoWorld, by: Actor, trust: Trust, cohortId: string, siteIds: readonly string[]) {
  const chosen = trust.departments.filter((d) => siteIds.includes(d.siteId)).slice(0, 8);
  for (const d of chosen) {
    const current = await employers.getDepartment(w.db, by.viewer, trust.host.id, d.id);
    await planning.saveDepartment(
      w.db,
      w.deps,
      by.ctx,
      by.viewer,
      cohortId,
      { id: d.id, version: current.version },
      {
        name: d.name,
        siteId: d.siteId,
        capacity: 2,
        contact: `${w.pick(['Sue', 'Mark', 'Aleksandra', 'Tunde', 'Bronwen', 'Gary'])}, ${d.name} supervisor`,
      },
    );
  }
  return chosen;
}

/** Loads the supported-internship cohort, the employed graduates and their Access to Work. */
export async function loadSupportedEmployment(w: DemoWorld, staff: Staff, trust: Trust): Promise<SeResult> {
  const { manager, tutor, coaches } = staff.se;
  const peopleOf = new Map<string, string[]>();
  const add = (a: Actor, id: string) => peopleOf.set(a.user.id, [...(peopleOf.get(a.user.id) ?? []), id]);
  const deptByName = new Map(trust.departments.map((d) => [d.name, d]));

  // The service's employability checklist, set up by the manager.
  w.atDay(-700, '11:00');
  for (const text of CHECKLIST) await progress.addChecklistItem(w.db, w.deps, manager.ctx, manager.viewer, text);

  // Task analyses written with department managers.
  const taskIds = new Map<string, string>();
  for (const [i, t] of TASKS.entries()) {
    w.atDay(-690 + i * 20, '15:00');
    const ta = await taskAnalyses.createTaskAnalysis(w.db, w.deps, tutor.ctx, tutor.viewer, {
      title: t.title,
      employerId: trust.host.id,
      departmentId: deptByName.get(t.department)?.id ?? null,
      description: `Written with the ${t.department.toLowerCase()} supervisor; each step has its natural cue on the wall chart.`,
      steps: t.steps,
    });
    taskIds.set(t.department, ta.id);
  }
  w.progress('  task analyses and the employability checklist');

  // ---- Graduates of earlier cohorts in work, with follow-on coaching ------------------------
  const hostDepts = trust.departments;
  const [harbourside, greenline, parkway] = trust.suppliers as [
    (typeof trust.suppliers)[0],
    (typeof trust.suppliers)[0],
    (typeof trust.suppliers)[0],
  ];
  const redeployed: { person: string; coach: Actor; placementId: string }[] = [];
  const graduates: { id: string; coach: Actor; placementId: string; start: string; dept: string }[] = [];
  for (let g = 0; g < 54; g++) {
    const coach = coaches[g % 2]!;
    const yearsAgo = 1 + (g % 4);
    const start = w.workingDayAfter(w.day(-(yearsAgo * 365) + w.between(20, 60)), 0);
    const p = await refer(
      w,
      coach,
      { programme: 'follow_on', minAge: 19 + yearsAgo, maxAge: 24 + yearsAgo },
      { source: 'education', referrerOrganisation: 'Wessex Valley College', receivedDate: w.day(-(yearsAgo * 365) + 5) },
    );
    await move(w, coach, p.id, 'engaged', w.day(-(yearsAgo * 365) + 8), 'Handed over from the internship');
    const supplier = g % 7 === 3 ? harbourside : g % 11 === 5 ? greenline : g % 13 === 7 ? parkway : null;
    const dept = hostDepts[g % hostDepts.length]!;
    const title = supplier
      ? supplier === harbourside
        ? 'Catering assistant'
        : supplier === greenline
          ? 'Laundry operative'
          : 'Car park attendant'
      : jobTitle(dept.name);
    const placementId = await startJob(w, coach, p.id, {
      employerId: supplier ? supplier.id : trust.host.id,
      title,
      ...(supplier ? {} : { departmentId: dept.id, siteId: dept.siteId }),
      startDate: start,
      hoursPerWeek: w.pick([16, 20, 22.5, 24, 30, 37.5]),
      hourlyPayPence: w.pick([1271, 1290, 1325, 1350, 1402]),
      contractType: 'permanent',
      lineManager: `${w.pick(['Sue', 'Mark', 'Aleksandra', 'Tunde', 'Bronwen', 'Gary', 'Nicola'])} ${w.pick(['Price', 'Hale', 'Osei', 'Kerr'])}`,
    });
    graduates.push({ id: p.id, coach, placementId, start, dept: supplier ? 'supplier' : dept.name });
    add(coach, p.id);
    // Harbourside lost its catering contract: a handful were made redundant and redeployed into the trust.
    if (supplier === harbourside && redeployed.length < 5) redeployed.push({ person: p.id, coach, placementId });
  }
  w.progress(`  54 employed graduates in ${hostDepts.length} departments and 3 suppliers`);

  const redundancyDay = w.workingDay(-230);
  for (const [i, r] of redeployed.entries()) {
    await endJob(w, r.coach, r.placementId, redundancyDay, 'redundancy');
    // The last one is still looking, held by the manager while the coach is on leave.
    if (i === redeployed.length - 1) {
      const g = graduates.find((x) => x.id === r.person)!;
      g.placementId = '';
      continue;
    }
    const dept = hostDepts[(i * 4 + 1) % hostDepts.length]!;
    const newId = await startJob(w, r.coach, r.person, {
      employerId: trust.host.id,
      title: jobTitle(dept.name),
      departmentId: dept.id,
      siteId: dept.siteId,
      startDate: w.workingDay(-230 + 21 + i * 7),
      hoursPerWeek: 22.5,
      hourlyPayPence: 1325,
      contractType: 'permanent',
    });
    const g = graduates.find((x) => x.id === r.person)!;
    g.placementId = newId;
    g.start = w.workingDay(-230 + 21 + i * 7);
    g.dept = dept.name;
  }
  w.progress('  redundancies at Harbourside Facilities, and redeployment into the trust');

  // Support plans, coaching contacts for the last six months, and reviews.
  for (const [i, g] of graduates.entries()) {
    if (!g.placementId) continue;
    await writePlan(w, g.coach, g.placementId, w.daysAgo(g.start) > 200 ? w.day(-200) : g.start, {
      coach: 'Monthly workplace visit; phone check-in in between; help with rota changes and appraisals.',
      employer: 'Day-to-day supervision, rota, annual leave and appraisal, as for any colleague.',
      every: w.pick([14, 21, 28]),
      hours: w.pick([1, 1.5, 2]),
      adjustments: 'Written task list at the workstation; breaks at fixed times; a named buddy on each shift.',
      fading: 'Visits every two weeks, then monthly once the supervisor is confident; phone support always available.',
    });
    let day = w.workingDay(-w.between(175, 185));
    while (w.daysAgo(day) > 2) {
      const weekend = w.chance(0.06);
      const d = weekend ? nextSaturday(day) : day;
      if (w.daysAgo(d) <= 0) break;
      await w.contact(g.coach, g.id, {
        day: d,
        time: weekend ? '10:30' : w.timeOn(d),
        purpose: w.chance(0.2) && taskIds.has(g.dept) ? 'task_instruction' : 'in_work_support',
        place: w.chance(0.8) ? 'workplace' : 'remote',
        mode: w.chance(0.8) ? 'face_to_face' : 'phone',
        minutes: w.pick([30, 45, 60, 90]),
        withWhom: w.chance(0.4) ? 'Their line manager' : null,
        notes: w.pick(COACHING),
        placementId: g.placementId,
      });
      day = w.workingDayAfter(day, w.between(14, 32));
    }
    if (i % 3 === 0)
      await reviewPlan(
        w,
        g.coach,
        g.placementId,
        w.workingDay(-w.between(20, 60)),
        'Settled and confident; agreed to keep monthly visits.',
      );
  }
  w.progress('  follow-on support plans, reviews and coaching contacts');

  // Instruction with fading prompts for graduates in departments with a task analysis.
  let taught = 0;
  for (const g of graduates) {
    const ta = taskIds.get(g.dept);
    if (!ta || !g.placementId || taught >= 8) continue;
    await instruct(w, g.coach, ta, g.id, g.placementId, w.workingDay(-w.between(70, 120)), w.between(6, 10));
    taught++;
  }

  // Workplace issues: owned by the employer or the coach, open and closed.
  const issueOn = graduates.filter((g) => g.placementId).slice(0, 6);
  for (const [i, g] of issueOn.entries()) {
    const raisedOn = w.workingDay(-w.between(10, 90));
    w.at(londonInstant(raisedOn, '16:00'));
    const issue = await issues.raiseIssue(w.db, w.deps, g.coach.ctx, g.coach.viewer, g.placementId, {
      raisedBy: (['line_manager', 'participant', 'hr', 'coach'] as const)[i % 4]!,
      raisedOn,
      category: (['attendance', 'skills', 'relationships', 'health', 'performance', 'personal'] as const)[i % 6]!,
      description: [
        'Late three times this month after the bus timetable changed.',
        'Finding the new scanner confusing; asked for more practice.',
        'Upset by a comment from a colleague on the late shift.',
        'Back pain after long shifts; asked about a stool at the workstation.',
        'Missing items on the morning round since the list changed.',
        'Caring for a parent in hospital; asked about swapping shifts.',
      ][i]!,
      actions: 'Coach and supervisor to meet with them this week.',
    });
    if (i % 2 === 1) {
      w.at(londonInstant(w.workingDayAfter(raisedOn, 8) < w.today ? w.workingDayAfter(raisedOn, 8) : w.today, '16:30'));
      await issues.updateIssue(w.db, w.deps, g.coach.ctx, g.coach.viewer, g.placementId, issue.id, issue.version, {
        status: 'closed',
        outcome: 'Sorted: extra practice sessions and a change to the rota.',
      });
    }
  }
  w.progress('  instruction sessions with fading prompts, and workplace issues');

  // Access to Work: awards for the first follow-on coach's people, support charged, claims.
  const lucy = coaches[0]!;
  const awarded = graduates.filter((g) => g.coach === lucy && g.placementId).slice(0, 10);
  for (const [i, g] of awarded.entries()) {
    const start = w.day(-w.between(300, 420));
    // One award ends within twelve weeks, so its renewal shows as due.
    const end = i === 0 ? w.day(60) : w.day(-w.daysAgo(start) + 3 * 365 - 10);
    w.at(londonInstant(start, '12:00'));
    await accessToWork.createAward(w.db, w.deps, lucy.ctx, lucy.viewer, g.id, {
      supportKind: 'job_coach',
      startDate: i === 0 ? w.day(-3 * 365 + 70) : start,
      endDate: end,
      hoursPerWeek: null,
      hoursTotal: w.pick([60, 80, 100]),
      hourlyRatePence: 2650,
      totalAmountPence: null,
      employerContributionPence: null,
      applicationId: null,
      placementId: g.placementId,
      coachUserId: null,
      reference: `ATW-${String(400_000 + i * 731).padStart(7, '0')}`,
      notes: 'Job coach support, tapering; claims monthly in arrears.',
      renewsAwardId: null,
    });
    // Coaching logged from here on is charged to the award by default.
    for (let k = 0; k < 4; k++) {
      const d = w.workingDay(-(k * 9 + w.between(3, 6)));
      await w.contact(lucy, g.id, {
        day: d,
        time: w.timeOn(d),
        purpose: 'in_work_support',
        place: 'workplace',
        minutes: w.pick([60, 90, 120]),
        notes: w.pick(COACHING),
        placementId: g.placementId,
      });
    }
  }
  // A claim for last month, submitted, for two people; one paid.
  const lastMonthStart = `${w.day(-35).slice(0, 7)}-01`;
  const lastMonthEnd = w.day(-Number(w.today.slice(8, 10)));
  for (const [i, g] of awarded.slice(1, 3).entries()) {
    const [award] = await accessToWork.listFor(w.db, lucy.viewer, g.id).then((x) => ('awards' in x ? x.awards : []));
    if (!award) continue;
    w.atDay(-Number(w.today.slice(8, 10)) + 2, '11:00');
    const claim = await accessToWork.buildClaim(w.db, w.deps, lucy.ctx, lucy.viewer, g.id, award.id, {
      start: lastMonthStart,
      end: lastMonthEnd,
    });
    const submitted = await accessToWork.submitClaim(w.db, w.deps, lucy.ctx, lucy.viewer, g.id, claim.id, claim.version);
    if (i === 0) {
      w.present();
      await accessToWork.markPaid(w.db, w.deps, lucy.ctx, lucy.viewer, g.id, claim.id, submitted.version, {
        date: w.today,
        pence: null,
      });
    }
  }
  // An application sent for someone newly redeployed.
  const applicant = graduates.find((g) => g.coach === lucy && g.placementId && !awarded.includes(g));
  if (applicant) {
    w.atDay(-12, '10:00');
    await accessToWork.createApplication(w.db, w.deps, lucy.ctx, lucy.viewer, applicant.id, {
      appliedBy: 'coach',
      applicantName: null,
      sentDate: w.day(-12),
      reference: null,
      status: 'sent',
      decisionDate: null,
      supportKind: 'job_coach',
      hoursPerWeek: 3,
      expectedStartDate: w.day(14),
      renewsAwardId: null,
      notes: 'Applied online with them; the adviser will phone next week.',
    });
  }
  w.present();
  w.progress('  Access to Work awards, charged support, claims and an application');

  // ---- The cohort in progress ----------------------------------------------------------------
  const cohortStart = mondayOf(w.day(-130));
  const cohortEnd = w.day(-130 + 300);
  w.at(londonInstant(w.day(-200), '10:00'));
  const year = Number(cohortStart.slice(0, 4));
  const cohortYear = Number(cohortStart.slice(5, 7)) >= 8 ? year : year - 1;
  const cohort = await cohorts.createCohort(w.db, w.deps, manager.ctx, manager.viewer, {
    name: `Project SEARCH ${cohortYear}/${String((cohortYear + 1) % 100).padStart(2, '0')}`,
    programmeYear: `${cohortYear}/${String((cohortYear + 1) % 100).padStart(2, '0')}`,
    hostEmployerId: trust.host.id,
    teamId: staff.se.team.id,
    tutorUserId: tutor.user.id,
    educationProvider: 'Wessex Valley College',
    startDate: cohortStart,
    endDate: cohortEnd,
    notes: 'Classroom in the education centre at Kingsmead; interns rotate across three hospitals.',
  });
  const cohortSites = trust.siteIds.slice(0, 3);
  // The IPS teams coach interns whose mental health affects work (in-reach), so they are coaches too.
  const inReach = staff.ips.flatMap((t) => [t.manager.user.id, ...t.practitioners.map((p) => p.user.id)]);
  await cohorts.setCoachesAndSites(
    w.db,
    w.deps,
    manager.ctx,
    manager.viewer,
    cohort.id,
    [tutor.user.id, lucy.user.id, ...inReach],
    cohortSites,
  );
  const depts = await cohortDepartments(w, manager, trust, cohort.id, cohortSites);
  const rotations = await planning.saveRotations(
    w.db,
    w.deps,
    manager.ctx,
    manager.viewer,
    cohort.id,
    defaultRotations(cohortStart, cohortEnd),
  );

  const interns: { id: string; internId: string }[] = [];
  for (let i = 0; i < 9; i++) {
    const p = await refer(
      w,
      tutor,
      { programme: 'internship', minAge: 17, maxAge: 23 },
      { source: 'education', referrerOrganisation: 'Wessex Valley College', receivedDate: w.day(-190 + i) },
    );
    await move(w, tutor, p.id, 'engaged', w.day(-160 + i), 'Offered a place on the internship');
    w.at(londonInstant(w.day(-150), '10:00'));
    const intern = await cohorts.addIntern(w.db, w.deps, tutor.ctx, tutor.viewer, cohort.id, {
      participantId: p.id,
      ehcPlan: true,
    });
    interns.push({ id: p.id, internId: intern.id });
    add(tutor, p.id);
  }
  w.at(londonInstant(w.day(-140), '10:00'));
  await planning.saveGrid(
    w.db,
    w.deps,
    manager.ctx,
    manager.viewer,
    cohort.id,
    interns.flatMap((intern, i) =>
      rotations.map((r, k) => ({
        internId: intern.internId,
        rotationId: r.id,
        departmentId: depts[(i + k * 3) % depts.length]!.id,
      })),
    ),
  );
  w.progress(`  cohort ${cohort.name}: 9 interns, ${rotations.length} rotations across ${depts.length} departments`);

  // Skills progress in the rotations so far, with a review at the end of each finished one.
  const items = await progress.checklist(w.db, tutor.viewer);
  const offered = await taskAnalyses.searchTaskAnalyses(w.db, tutor.viewer, { employerId: trust.host.id }, 50);
  for (const [i, intern] of interns.entries()) {
    for (const [k, r] of rotations.entries()) {
      if (r.startDate > w.today) continue;
      const finished = r.endDate < w.today;
      w.at(londonInstant(finished ? r.endDate : w.today, '15:00'));
      await progress.saveRotationProgress(w.db, w.deps, tutor.ctx, tutor.viewer, cohort.id, r.id, intern.internId, {
        taskIds: offered.slice((i + k) % offered.length, ((i + k) % offered.length) + 2).map((t) => t.id),
        checks: items.map((item, n) => ({ itemId: item.id, achieved: n < 3 + k * 2 + (i % 3), note: null })),
        review: finished
          ? {
              reviewDate: r.endDate,
              wentWell: 'Learnt the department’s routine quickly and got on well with the team.',
              toWorkOn: 'Asking for help straight away when something is not on the list.',
              internWords: 'I liked working with the porters and want to try reception next.',
              version: undefined,
            }
          : { reviewDate: null, wentWell: null, toWorkOn: null, internWords: null, version: undefined },
      });
    }
  }
  // The register for the last four weeks of term.
  for (let d = 28; d >= 0; d--) {
    const day = w.day(-d);
    if (w.workingDay(-d) !== day || day < cohortStart) continue;
    w.at(londonInstant(day, '16:00'));
    await progress.recordAttendance(
      w.db,
      w.deps,
      tutor.ctx,
      tutor.viewer,
      cohort.id,
      day,
      interns.map((intern) => {
        const absent = w.chance(0.07);
        return {
          internId: intern.internId,
          present: !absent,
          reason: absent ? w.pick(['ill', 'appointment', 'transport'] as const) : null,
          note: null,
        };
      }),
    );
  }
  w.progress('  rotation progress, reviews and the attendance register');

  // Interns practise the task analyses with fading prompts too.
  const firstTask = [...taskIds.values()][0]!;
  for (const intern of interns.slice(0, 4)) await instruct(w, tutor, firstTask, intern.id, null, w.workingDay(-60), 6);

  // Job search for the interns as graduation nears: trust vacancies and matches.
  const trustJobs: string[] = [];
  for (const [i, d] of depts.slice(0, 5).entries()) {
    w.atDay(-30 + i, '09:30');
    const v = await vacancies.createVacancy(w.db, w.deps, tutor.ctx, tutor.viewer, {
      employerId: trust.host.id,
      title: jobTitle(d.name),
      occupation: jobTitle(d.name),
      departmentId: d.id,
      siteId: d.siteId,
      hoursPerWeek: w.pick([18.75, 22.5, 30, 37.5]),
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      times: ['mornings', 'afternoons'],
      hourlyPayPence: 1290,
      closingDate: w.day(20 + i * 5),
      foundVia: 'employer_relationship',
      description: 'Band 2 post ring-fenced for a guaranteed interview for internship graduates.',
    });
    trustJobs.push(v.id);
  }
  const stages = [['discussed'], ['applied'], ['applied', 'interview'], [], ['discussed', 'applied']] as const;
  for (const [i, intern] of interns.slice(0, 7).entries()) {
    w.atDay(-25 + i, '14:00');
    const match = await matching.createMatch(w.db, w.deps, tutor.ctx, tutor.viewer, intern.id, trustJobs[i % trustJobs.length]!);
    let version = match.version;
    for (const s of stages[i % stages.length]!) {
      w.atDay(-18 + i, '14:00');
      version = (await matching.moveStage(w.db, w.deps, tutor.ctx, tutor.viewer, intern.id, match.id, version, s)).match.version;
    }
  }

  // Graduates after more hours or a step up, and the one still to be redeployed, matched by their coach.
  for (const coach of coaches) {
    const mine = graduates
      .filter((g) => g.coach === coach)
      .sort((a, b) => Number(Boolean(a.placementId)) - Number(Boolean(b.placementId)));
    for (const [i, g] of mine.slice(0, 3).entries()) {
      w.atDay(-20 + i, '10:00');
      const m = await matching.createMatch(w.db, w.deps, coach.ctx, coach.viewer, g.id, trustJobs[(i + 2) % trustJobs.length]!);
      if (i !== 1) {
        w.atDay(-9 + i, '10:00');
        await matching.moveStage(w.db, w.deps, coach.ctx, coach.viewer, g.id, m.id, m.version, i === 0 ? 'applied' : 'discussed');
      }
    }
  }

  // Two people awaiting allocation, held by the manager, who matches them to trust vacancies.
  for (const id of await managerHeld(w, manager, 'follow_on', trustJobs, 2)) add(manager, id);
  await saveProfile(w, tutor, interns[0]!.id, w.day(-150), {
    interests: 'Portering, being on the move, meeting people.',
    occupations: ['Porter', 'Receptionist'],
    hours_per_week_min: 16,
    hours_per_week_max: 30,
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    times: ['mornings', 'afternoons'],
    travel_modes: ['bus', 'walk'],
    max_travel_minutes: 45,
  });
  w.present();
  w.progress('  trust vacancies and interns’ job matches');
  return { peopleOf };
}

function nextSaturday(day: string): string {
  let d = day;
  for (let i = 0; i < 7; i++) {
    if (new Date(`${d}T12:00:00Z`).getUTCDay() === 6) return d;
    d = addOne(d);
  }
  return d;
}

function addOne(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function jobTitle(department: string): string {
  const titles: Record<string, string> = {
    Catering: 'Catering assistant',
    'Domestic services': 'Domestic assistant',
    Portering: 'Porter',
    'Pharmacy stores': 'Pharmacy stores assistant',
    'Sterile services': 'Sterile services technician',
    'Medical records': 'Medical records clerk',
    'Staff restaurant': 'Restaurant assistant',
    'Estates and facilities': 'Estates assistant',
    'Ward housekeeping': 'Ward housekeeper',
    'Outpatients reception': 'Outpatients receptionist',
    'Pathology reception': 'Pathology reception assistant',
    'Supplies and logistics': 'Supplies assistant',
    'Laundry and linen': 'Linen room assistant',
    'Therapy support': 'Therapy support assistant',
    'Main reception': 'Receptionist',
  };
  return titles[department] ?? 'Support assistant';
}
