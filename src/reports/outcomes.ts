import { MONTHS } from '../pay/minimum-wage.ts';
import { addDays, competitiveVerdict } from '../placements/rules.ts';

// The outcome figures IPS services are judged on (../shared/domain.md, IPS Grow definitions),
// as pure functions over facts loaded once per report. Every figure keeps the people behind it
// so a page can list them for the roles allowed to see people.

export interface Period {
  /** First day, `YYYY-MM-DD`, inclusive. */
  from: string;
  /** Last day, `YYYY-MM-DD`, inclusive. */
  to: string;
}

export interface ReferralFact {
  /** The day the referral was accepted onto a caseload: the referral date. No date, not counted. */
  acceptedDate: string | null;
  firstContactDate: string | null;
  closedDate: string | null;
  /** A job-retention referral: the person already had a job when referred. */
  inWorkAtReferral: boolean;
}

export interface JobFact {
  id: string;
  participantId: string;
  employerId: string;
  /** `host`, `supplier` or `external`. */
  employerType: string;
  siteId: string | null;
  practitionerId: string | null;
  title: string;
  startDate: string;
  endDate: string | null;
  endReason: string | null;
  hoursPerWeek: number | null;
  hourlyPayPence: number | null;
  openToAnyone: boolean;
  setAsideForDisabled: boolean;
  contractType: string | null;
}

export interface InternshipFact {
  cohortEndDate: string;
  /** `active`, `withdrawn` or `graduated`. */
  status: string;
  /** Whether the graduate's job meets the programme outcome (16+ hours, integrated, not seasonal, minimum wage). */
  meetsOutcome: boolean;
}

export interface PersonFact {
  id: string;
  teamId: string | null;
  practitionerId: string | null;
  programme: string;
  dateOfBirth: string | null;
  /** The day the vocational profile was first saved: the person counts as engaged from then. */
  profileStartedOn: string | null;
  referrals: readonly ReferralFact[];
  /**
   * Days (`YYYY-MM-DD`) of face-to-face employer contacts made for this person, sorted: at least
   * the first on or after each referral's accepted day (all the figures need).
   */
  employerFaceToFaceDays: readonly string[];
  jobs: readonly JobFact[];
  /** Days redeployments closed with a new job. */
  redeployedOn: readonly string[];
  internships: readonly InternshipFact[];
}

/** A count with the people behind it. */
export interface Count {
  value: number;
  people: string[];
}

export interface Rate {
  numerator: Count;
  denominator: Count;
  /** One decimal place; null with nobody in the denominator. */
  percent: number | null;
}

export interface Distribution {
  /** People with a figure. */
  count: Count;
  /** Median days; null with nobody. */
  median: number | null;
  buckets: Count[];
  /** Accepted in the period but no such contact yet. */
  notYet: Count;
}

export const DAY_BUCKETS = [
  { label: '0 to 7 days', max: 7 },
  { label: '8 to 14 days', max: 14 },
  { label: '15 to 30 days', max: 30 },
  { label: '31 to 60 days', max: 60 },
  { label: '61 to 90 days', max: 90 },
  { label: 'Over 90 days', max: Infinity },
] as const;

export const HOURS_BUCKETS = [
  { label: 'Under 16 hours', max: 15.99 },
  { label: '16 to 29 hours', max: 29.99 },
  { label: '30 hours or more', max: Infinity },
] as const;

/** Paid hours a job counts from (IPS Grow): fewer and it is not yet a job start. */
export const JOB_START_HOURS = 4;
export const SUSTAINMENT_WEEKS = [13, 26, 52] as const;
export const EMPLOYMENT_RATE_BENCHMARK = 40;
export const JOB_RETENTION_GUIDE = 15;

export function inPeriod(day: string | null, p: Period): day is string {
  return day !== null && day >= p.from && day <= p.to;
}

// A report turns the same few thousand dates into day numbers again and again.
const dayNumbers = new Map<string, number>();
function dayNumber(day: string): number {
  let n = dayNumbers.get(day);
  if (n === undefined) {
    n = Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
    if (dayNumbers.size > 100_000) dayNumbers.clear();
    dayNumbers.set(day, n);
  }
  return n;
}

export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * Paid hours worked in a job by the end of `day`: hours a week spread evenly over the days in
 * post (start day counted), up to the end date. Stepwise records contracted hours, not shifts,
 * so this is the estimate the four-hour rule is applied to.
 */
export function paidHoursBy(job: Pick<JobFact, 'startDate' | 'endDate' | 'hoursPerWeek'>, day: string): number {
  if (job.hoursPerWeek === null || job.hoursPerWeek <= 0) return 0;
  const last = job.endDate !== null && job.endDate < day ? job.endDate : day;
  const days = daysBetween(job.startDate, last) + 1;
  return days <= 0 ? 0 : (job.hoursPerWeek * days) / 7;
}

/** A job counts as a start once four hours of paid work are done (by `asOf`); hours not recorded, not yet. */
export function isJobStart(job: Pick<JobFact, 'startDate' | 'endDate' | 'hoursPerWeek'>, asOf: string): boolean {
  return paidHoursBy(job, asOf) >= JOB_START_HOURS - 1e-9;
}

function count(ids: Iterable<string>): Count {
  const people = [...new Set(ids)];
  return { value: people.length, people };
}

/** Counts of records (referrals, jobs) that may hold one person more than once. */
function tally(ids: readonly string[]): Count {
  return { value: ids.length, people: [...new Set(ids)] };
}

export function rate(numerator: Count, denominator: Count): Rate {
  return {
    numerator,
    denominator,
    percent: denominator.value === 0 ? null : Math.round((numerator.value * 1000) / denominator.value) / 10,
  };
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function distribution(
  entries: readonly { person: string; days: number | null }[],
  buckets: readonly { label: string; max: number }[],
): Distribution {
  const known = entries.filter((e): e is { person: string; days: number } => e.days !== null);
  return {
    count: tally(known.map((e) => e.person)),
    median: median(known.map((e) => e.days)),
    buckets: buckets.map((b, i) =>
      tally(known.filter((e) => e.days <= b.max && (i === 0 || e.days > buckets[i - 1]!.max)).map((e) => e.person)),
    ),
    notYet: tally(entries.filter((e) => e.days === null).map((e) => e.person)),
  };
}

/** Referrals accepted onto a caseload in the period (a person referred twice counts twice). */
export function referralsAccepted(people: readonly PersonFact[], p: Period): Count {
  return tally(people.flatMap((x) => x.referrals.filter((r) => inPeriod(r.acceptedDate, p)).map(() => x.id)));
}

/** People whose vocational profile was started in the period. */
export function peopleEngaged(people: readonly PersonFact[], p: Period): Count {
  return count(people.filter((x) => inPeriod(x.profileStartedOn, p)).map((x) => x.id));
}

/** Days from accepting a referral (in the period) to the first contact with the person. */
export function daysToFirstContact(people: readonly PersonFact[], p: Period): Distribution {
  const entries = people.flatMap((x) =>
    x.referrals
      .filter((r) => inPeriod(r.acceptedDate, p))
      .map((r) => ({
        person: x.id,
        days: r.firstContactDate === null ? null : Math.max(0, daysBetween(r.acceptedDate!, r.firstContactDate)),
      })),
  );
  return distribution(entries, DAY_BUCKETS);
}

/**
 * Days from accepting a referral (in the period) to the first face-to-face contact with an
 * employer on the person's behalf, on or after that day (IPS fidelity item 15: rapid job search).
 */
export function daysToFirstEmployerContact(people: readonly PersonFact[], p: Period): Distribution {
  const entries = people.flatMap((x) =>
    x.referrals
      .filter((r) => inPeriod(r.acceptedDate, p))
      .map((r) => {
        const first = x.employerFaceToFaceDays.find((d) => d >= r.acceptedDate!);
        return { person: x.id, days: first === undefined ? null : daysBetween(r.acceptedDate!, first) };
      }),
  );
  return distribution(entries, DAY_BUCKETS);
}

/** Jobs started in the period that count as starts by `asOf` (four paid hours done). */
export function jobStarts(jobs: readonly JobFact[], p: Period, asOf: string): JobFact[] {
  return jobs.filter((j) => inPeriod(j.startDate, p) && isJobStart(j, asOf));
}

/** Every job start in the period, second and parallel part-time jobs included. */
export function totalJobStarts(jobs: readonly JobFact[], p: Period, asOf: string): Count {
  return tally(jobStarts(jobs, p, asOf).map((j) => j.participantId));
}

/**
 * Jobs started in the period with no hours a week recorded: the four-hour rule cannot be applied,
 * so they are not job starts until someone enters the hours. Shown so the gap gets filled.
 */
export function jobsWithoutHours(jobs: readonly JobFact[], p: Period): Count {
  return tally(jobs.filter((j) => inPeriod(j.startDate, p) && j.hoursPerWeek === null).map((j) => j.participantId));
}

/** People supported into work: each person once, however many jobs they started. */
export function peopleIntoWork(jobs: readonly JobFact[], p: Period, asOf: string): Count {
  return count(jobStarts(jobs, p, asOf).map((j) => j.participantId));
}

/** The referral a person was on at any time in the period: the latest accepted by its end, still open at its start. */
function referralDuring(x: PersonFact, p: Period): ReferralFact | null {
  let best: ReferralFact | null = null;
  for (const r of x.referrals) {
    if (r.acceptedDate === null || r.acceptedDate > p.to) continue;
    if (r.closedDate !== null && r.closedDate < p.from) continue;
    if (best === null || r.acceptedDate > best.acceptedDate!) best = r;
  }
  return best;
}

/**
 * Employment rate: of the people on a caseload in the period who were out of work when
 * referred, the share who started a job in the period (after their referral). Job-retention
 * referrals are left out of both.
 */
export function employmentRate(people: readonly PersonFact[], p: Period, asOf: string): Rate {
  const outOfWork: string[] = [];
  const started: string[] = [];
  for (const x of people) {
    const r = referralDuring(x, p);
    if (r === null || r.inWorkAtReferral) continue;
    outOfWork.push(x.id);
    if (jobStarts(x.jobs, p, asOf).some((j) => j.startDate >= r.acceptedDate!)) started.push(x.id);
  }
  return rate(count(started), count(outOfWork));
}

/** Whether any job covers the day. */
export function inWorkOn(jobs: readonly Pick<JobFact, 'startDate' | 'endDate'>[], day: string): boolean {
  return jobs.some((j) => j.startDate <= day && (j.endDate === null || j.endDate >= day));
}

/**
 * Still in work N weeks after starting: people whose N-week point after a job start fell in the
 * period (and has passed), and of those, who were in any job on that day.
 */
export function stillInWork(people: readonly PersonFact[], weeks: number, p: Period, asOf: string): Rate {
  const reached: string[] = [];
  const inWork: string[] = [];
  // Jobs whose N-week point can fall in the period started in the period shifted back N weeks.
  const startedFrom = addDays(p.from, -weeks * 7);
  const startedTo = addDays(p.to, -weeks * 7);
  for (const x of people) {
    const points = x.jobs
      .filter((j) => j.startDate >= startedFrom && j.startDate <= startedTo && isJobStart(j, asOf))
      .map((j) => addDays(j.startDate, weeks * 7))
      .filter((d) => inPeriod(d, p) && d <= asOf)
      .sort();
    const first = points[0];
    if (first === undefined) continue;
    reached.push(x.id);
    if (inWorkOn(x.jobs, first)) inWork.push(x.id);
  }
  return rate(count(inWork), count(reached));
}

export interface JobQuality {
  hours: Distribution;
  medianHourlyPayPence: number | null;
  competitive: Rate;
}

/** Hours a week and hourly pay of the jobs started, and the share that are competitive. */
export function jobQuality(people: readonly PersonFact[], p: Period, asOf: string): JobQuality {
  const starts = people.flatMap((x) => jobStarts(x.jobs, p, asOf).map((j) => ({ x, j })));
  const competitive = starts.filter(
    ({ x, j }) =>
      competitiveVerdict({
        hourlyPayPence: j.hourlyPayPence,
        dateOfBirth: x.dateOfBirth,
        startDate: j.startDate,
        openToAnyone: j.openToAnyone,
        setAsideForDisabled: j.setAsideForDisabled,
        contractType: j.contractType,
      }).competitive,
  );
  return {
    hours: distribution(
      starts.map(({ j }) => ({ person: j.participantId, days: j.hoursPerWeek })),
      HOURS_BUCKETS,
    ),
    medianHourlyPayPence: median(starts.flatMap(({ j }) => (j.hourlyPayPence === null ? [] : [j.hourlyPayPence]))),
    competitive: rate(tally(competitive.map(({ j }) => j.participantId)), tally(starts.map(({ j }) => j.participantId))),
  };
}

/** On the caseload at the end of the period: the share referred while already in work (guide: 15% or less). */
export function jobRetentionShare(people: readonly PersonFact[], p: Period): Rate {
  const caseload: string[] = [];
  const retention: string[] = [];
  const end: Period = { from: p.to, to: p.to };
  for (const x of people) {
    const r = referralDuring(x, end);
    if (r === null) continue;
    caseload.push(x.id);
    if (r.inWorkAtReferral) retention.push(x.id);
  }
  return rate(count(retention), count(caseload));
}

/** Jobs ended by redundancy in the period. */
export function redundancies(jobs: readonly JobFact[], p: Period): Count {
  return tally(jobs.filter((j) => j.endReason === 'redundancy' && inPeriod(j.endDate, p)).map((j) => j.participantId));
}

/** Redeployments that closed with a new job in the period. */
export function redeployments(people: readonly PersonFact[], p: Period): Count {
  return tally(people.flatMap((x) => x.redeployedOn.filter((d) => inPeriod(d, p)).map(() => x.id)));
}

/** Interns of cohorts that ended in the period: the share of graduates into a job meeting the programme outcome. */
export function internshipOutcomes(people: readonly PersonFact[], p: Period): Rate {
  const graduates: string[] = [];
  const outcomes: string[] = [];
  for (const x of people) {
    for (const i of x.internships) {
      if (!inPeriod(i.cohortEndDate, p) || i.status !== 'graduated') continue;
      graduates.push(x.id);
      if (i.meetsOutcome) outcomes.push(x.id);
    }
  }
  return rate(tally(outcomes), tally(graduates));
}

// ---- The whole set --------------------------------------------------------------------------------

export interface OutcomeFigures {
  referrals_accepted: Count;
  people_engaged: Count;
  days_to_first_contact: Distribution;
  days_to_first_employer_contact: Distribution;
  people_into_work: Count;
  job_starts: Count;
  jobs_without_hours: Count;
  employment_rate: Rate;
  in_work_13_weeks: Rate;
  in_work_26_weeks: Rate;
  in_work_52_weeks: Rate;
  hours_per_week: Distribution;
  median_hourly_pay_pence: number | null;
  competitive_jobs: Rate;
  job_retention_share: Rate;
  redundancies: Count;
  redeployments: Count;
  internship_outcomes: Rate;
}

/**
 * Every figure for one group. `jobs` are the jobs that belong to the group: all the people's jobs,
 * or, when splitting by employer type, only the jobs with that type of employer.
 */
export function outcomeFigures(
  people: readonly PersonFact[],
  p: Period,
  asOf: string,
  jobs?: readonly JobFact[],
): OutcomeFigures {
  const groupJobs = jobs ?? people.flatMap((x) => x.jobs);
  const jobPeople =
    jobs === undefined
      ? people
      : (() => {
          const byPerson = new Map<string, JobFact[]>();
          for (const j of jobs) {
            const list = byPerson.get(j.participantId);
            if (list) list.push(j);
            else byPerson.set(j.participantId, [j]);
          }
          return people.filter((x) => byPerson.has(x.id)).map((x) => ({ ...x, jobs: byPerson.get(x.id)! }));
        })();
  const quality = jobQuality(jobPeople, p, asOf);
  const [w13, w26, w52] = SUSTAINMENT_WEEKS.map((w) => stillInWork(jobPeople, w, p, asOf)) as [Rate, Rate, Rate];
  return {
    referrals_accepted: referralsAccepted(people, p),
    people_engaged: peopleEngaged(people, p),
    days_to_first_contact: daysToFirstContact(people, p),
    days_to_first_employer_contact: daysToFirstEmployerContact(people, p),
    people_into_work: peopleIntoWork(groupJobs, p, asOf),
    job_starts: totalJobStarts(groupJobs, p, asOf),
    jobs_without_hours: jobsWithoutHours(groupJobs, p),
    employment_rate: employmentRate(people, p, asOf),
    in_work_13_weeks: w13,
    in_work_26_weeks: w26,
    in_work_52_weeks: w52,
    hours_per_week: quality.hours,
    median_hourly_pay_pence: quality.medianHourlyPayPence,
    competitive_jobs: quality.competitive,
    job_retention_share: jobRetentionShare(people, p),
    redundancies: redundancies(groupJobs, p),
    redeployments: redeployments(people, p),
    internship_outcomes: internshipOutcomes(people, p),
  };
}

// ---- Quarters --------------------------------------------------------------------------------------

export interface Quarter extends Period {
  /** "2026/27 Q2": the NHS financial year (April to March) and its quarter. */
  label: string;
  /** "July to September 2026". */
  months: string;
}

/** The quarter holding `day` (quarters of the financial year: April–June is Q1). */
export function quarterOf(day: string): Quarter {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const startMonth = Math.floor((m - 1) / 3) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(y, endMonth, 0)).getUTCDate();
  const fyStart = m >= 4 ? y : y - 1;
  const q = startMonth >= 4 ? (startMonth - 4) / 3 + 1 : 4;
  return {
    from: `${y}-${String(startMonth).padStart(2, '0')}-01`,
    to: `${y}-${String(endMonth).padStart(2, '0')}-${lastDay}`,
    label: `${fyStart}/${String((fyStart + 1) % 100).padStart(2, '0')} Q${q}`,
    months: `${MONTHS[startMonth - 1]} to ${MONTHS[endMonth - 1]} ${y}`,
  };
}

/** The last complete quarter before `today`: the default report period. */
export function lastCompleteQuarter(today: string): Quarter {
  return quarterOf(addDays(quarterOf(today).from, -1));
}

/** The `n` quarters up to and including the one holding `day`, oldest first. */
export function quartersTo(day: string, n: number): Quarter[] {
  const out: Quarter[] = [quarterOf(day)];
  while (out.length < n) out.unshift(quarterOf(addDays(out[0]!.from, -1)));
  return out;
}
