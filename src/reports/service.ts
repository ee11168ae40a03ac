import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import { EMPLOYER_TYPE_LABELS, type EmployerType } from '../employers/rules.ts';
import { programmeOutcome } from '../internships/rules.ts';
import { PROGRAMME_LABELS, type Programme, type Viewer } from '../participants/rules.ts';
import { addDays } from '../placements/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import * as settings from '../settings/service.ts';
import {
  type Count,
  type Distribution,
  type JobFact,
  type OutcomeFigures,
  type Period,
  type PersonFact,
  type Rate,
  DAY_BUCKETS,
  HOURS_BUCKETS,
  outcomeFigures,
} from './outcomes.ts';
import * as repo from './repo.ts';
import { type Shown, complement, isSmall, rateHidden, shown } from './suppression.ts';

export const SPLITS = ['none', 'team', 'site', 'programme', 'practitioner', 'employer_type'] as const;
export type Split = (typeof SPLITS)[number];
export const SPLIT_LABELS: Record<Split, string> = {
  none: 'No split (whole service)',
  team: 'Team',
  site: 'Site (of the job)',
  programme: 'Programme',
  practitioner: 'Practitioner',
  employer_type: 'Employer type (host, supplier, external)',
};

/** Roles that see people behind the figures; everyone else gets suppressed aggregates. */
export function seesPeople(role: Viewer['role']): boolean {
  return role === 'practitioner' || role === 'manager';
}

// ---- Loading the facts --------------------------------------------------------------------------

/**
 * London day of a stored instant (ISO, UTC): the UTC day, or the next one for 23:00–23:59 UTC in
 * British Summer Time. String work only, since a report turns tens of thousands of instants into days.
 */
const bstByYear = new Map<string, readonly [string, string]>();
function dayOfInstant(instant: string): string {
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(instant)) return londonDate(new Date(instant));
  const year = instant.slice(0, 4);
  let bst = bstByYear.get(year);
  if (bst === undefined) {
    // British Summer Time: from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October.
    const lastSunday = (month: number) => {
      const d = new Date(Date.UTC(Number(year), month + 1, 0));
      d.setUTCDate(d.getUTCDate() - d.getUTCDay());
      return `${d.toISOString().slice(0, 10)}T01:00:00`;
    };
    bst = [lastSunday(2), lastSunday(9)] as const;
    bstByYear.set(year, bst);
  }
  const day = instant.slice(0, 10);
  return instant >= bst[0] && instant < bst[1] && instant.slice(11, 13) === '23' ? addDays(day, 1) : day;
}

function group<T extends { participant_id: string | null }>(rows: readonly T[], keep: ReadonlySet<string>): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    if (r.participant_id === null || !keep.has(r.participant_id)) continue;
    const list = out.get(r.participant_id);
    if (list) list.push(r);
    else out.set(r.participant_id, [r]);
  }
  return out;
}

/**
 * The people a viewer's report covers: their team (practitioners and managers) or the whole service.
 * `accepted`: the days whose accepted referrals the figures measure time to first employer contact
 * for (the report period, or the span of quarters charted); the first employer contact is looked
 * up for those referrals only, the costliest query at scale.
 */
export async function loadFacts(db: DbOrTrx, viewer: Viewer, accepted: Period | null = null): Promise<PersonFact[]> {
  const scope: repo.FactScope | null = seesPeople(viewer.role)
    ? { teamIds: viewer.teamId ? [viewer.teamId] : [], practitionerId: viewer.userId }
    : null;
  const [people, referrals, profiles, f2f, jobs, redeployed, interns] = await Promise.all([
    repo.participantFacts(db, scope),
    repo.referralFacts(db, scope),
    repo.profileStarts(db, scope),
    repo.firstEmployerFaceToFace(db, scope, accepted),
    repo.jobFacts(db, scope),
    repo.redeploymentFacts(db, scope),
    repo.internFacts(db, scope),
  ]);
  const ids = new Set(people.map((p) => p.id));
  const dob = new Map(people.map((p) => [p.id, p.date_of_birth]));
  const referralsBy = group(referrals, ids);
  const profileBy = new Map(
    profiles.filter((p) => ids.has(p.participant_id)).map((p) => [p.participant_id, dayOfInstant(String(p.started_at))]),
  );
  const f2fBy = group(f2f, ids);
  const jobsBy = group(jobs, ids);
  const redeployedBy = group(redeployed, ids);
  const internsBy = group(interns, ids);
  return people.map((p) => ({
    id: p.id,
    teamId: p.team_id,
    practitionerId: p.practitioner_id,
    programme: p.programme,
    dateOfBirth: p.date_of_birth,
    profileStartedOn: profileBy.get(p.id) ?? null,
    referrals: (referralsBy.get(p.id) ?? []).map((r) => ({
      acceptedDate: r.accepted_date,
      firstContactDate: r.first_contact_date,
      closedDate: r.closed_date,
      inWorkAtReferral: Number(r.in_work_at_referral) === 1,
    })),
    employerFaceToFaceDays: (f2fBy.get(p.id) ?? []).map((c) => dayOfInstant(String(c.first_at))).sort(),
    jobs: (jobsBy.get(p.id) ?? []).map((j): JobFact => ({
      id: j.id,
      participantId: j.participant_id,
      employerId: j.employer_id,
      employerType: j.employer_type,
      siteId: j.employer_site_id,
      practitionerId: j.practitioner_id,
      title: j.title,
      startDate: j.start_date,
      endDate: j.end_date,
      endReason: j.end_reason,
      hoursPerWeek: j.hours_per_week === null ? null : Number(j.hours_per_week),
      hourlyPayPence: j.hourly_pay_pence === null ? null : Number(j.hourly_pay_pence),
      openToAnyone: Number(j.open_to_anyone) === 1,
      setAsideForDisabled: Number(j.set_aside_for_disabled) === 1,
      contractType: j.contract_type,
    })),
    redeployedOn: (redeployedBy.get(p.id) ?? []).map((r) => r.closed_on!),
    internships: (internsBy.get(p.id) ?? []).map((i) => ({
      cohortEndDate: i.cohort_end_date,
      status: i.status,
      meetsOutcome: programmeOutcome({
        hoursPerWeek: i.job_hours_per_week === null ? null : Number(i.job_hours_per_week),
        hourlyPayPence: i.job_hourly_pay_pence === null ? null : Number(i.job_hourly_pay_pence),
        seasonal: i.job_seasonal === null ? null : Number(i.job_seasonal) === 1,
        integrated: i.job_integrated === null ? null : Number(i.job_integrated) === 1,
        startDate: i.job_start_date,
        dateOfBirth: dob.get(p.id) ?? null,
      }).meets,
    })),
  }));
}

// ---- Splitting ------------------------------------------------------------------------------------

export interface ReportGroup {
  key: string;
  label: string;
  figures: OutcomeFigures;
}

const NONE_KEY = 'none';

/** The site a person belongs to for a site split: the site of their latest job. */
function personSite(x: PersonFact): string | null {
  const latest = [...x.jobs].sort((a, b) => (a.startDate < b.startDate ? 1 : -1))[0];
  return latest?.siteId ?? null;
}

interface Splitter {
  person: (x: PersonFact) => string | null;
  job: (j: JobFact, x: PersonFact) => string | null;
  /** Split by employer type: the people-only figures (referrals, engagement) do not apply. */
  jobsOnly?: boolean;
}

const SPLITTERS: Record<Exclude<Split, 'none'>, Splitter> = {
  team: { person: (x) => x.teamId, job: (_j, x) => x.teamId },
  practitioner: { person: (x) => x.practitionerId, job: (j, x) => j.practitionerId ?? x.practitionerId },
  programme: { person: (x) => x.programme, job: (_j, x) => x.programme },
  site: { person: personSite, job: (j) => j.siteId },
  employer_type: { person: () => null, job: (j) => j.employerType, jobsOnly: true },
};

async function groupLabels(db: DbOrTrx, split: Split): Promise<Map<string, string>> {
  switch (split) {
    case 'team':
      return new Map((await repo.teamNames(db)).map((t) => [t.id, t.name]));
    case 'practitioner':
      return new Map((await repo.userNames(db)).map((u) => [u.id, u.name]));
    case 'site':
      return new Map((await repo.siteNames(db)).map((s) => [s.id, `${s.name} (${s.employer_name})`]));
    case 'programme':
      return new Map(Object.entries(PROGRAMME_LABELS) as [Programme, string][]);
    case 'employer_type':
      return new Map(Object.entries(EMPLOYER_TYPE_LABELS) as [EmployerType, string][]);
    default:
      return new Map();
  }
}

const UNSET_LABELS: Record<Split, string> = {
  none: 'Whole service',
  team: 'No team',
  practitioner: 'No practitioner',
  programme: 'No programme',
  site: 'No job site recorded',
  employer_type: 'No employer type',
};

export function splitGroups(
  people: readonly PersonFact[],
  split: Split,
  labels: ReadonlyMap<string, string>,
  period: Period,
  asOf: string,
): ReportGroup[] {
  if (split === 'none') return [];
  const s = SPLITTERS[split];
  const keyOf = (k: string | null) => k ?? NONE_KEY;
  const peopleBy = new Map<string, PersonFact[]>();
  const jobsBy = new Map<string, JobFact[]>();
  for (const x of people) {
    if (!s.jobsOnly) {
      const k = keyOf(s.person(x));
      const list = peopleBy.get(k);
      if (list) list.push(x);
      else peopleBy.set(k, [x]);
    }
    for (const j of x.jobs) {
      const k = keyOf(s.job(j, x));
      const list = jobsBy.get(k);
      if (list) list.push(j);
      else jobsBy.set(k, [j]);
    }
  }
  const byId = new Map(people.map((x) => [x.id, x]));
  const keys = [...new Set([...peopleBy.keys(), ...jobsBy.keys()])];
  const groups = keys.map((key) => {
    const jobs = jobsBy.get(key) ?? [];
    const groupPeople = s.jobsOnly
      ? [...new Set(jobs.map((j) => j.participantId))].map((id) => ({
          ...byId.get(id)!,
          referrals: [],
          internships: [],
          redeployedOn: [],
        }))
      : (peopleBy.get(key) ?? []);
    return {
      key,
      label: key === NONE_KEY ? UNSET_LABELS[split] : (labels.get(key) ?? 'Unknown'),
      figures: outcomeFigures(groupPeople, period, asOf, jobs),
    };
  });
  return groups.sort((a, b) => (a.key === NONE_KEY ? 1 : b.key === NONE_KEY ? -1 : a.label.localeCompare(b.label)));
}

export interface OutcomeReport {
  period: Period;
  /** The day the report was worked out on: a job start needs its four paid hours done by then. */
  asOf: string;
  split: Split;
  total: ReportGroup;
  groups: ReportGroup[];
  /** True for roles that may see people; false means the figures are suppressed aggregates. */
  canSeePeople: boolean;
  threshold: number;
  /** "Your team" or "The whole service". */
  scope: string;
}

export async function outcomeReport(
  db: DbOrTrx,
  deps: { clock: Clock },
  viewer: Viewer,
  period: Period,
  split: Split,
): Promise<OutcomeReport> {
  const asOf = londonDate(deps.clock.now());
  const [people, labels, { disclosureThreshold }] = await Promise.all([
    loadFacts(db, viewer, period),
    groupLabels(db, split),
    settings.getSettings(db),
  ]);
  return {
    period,
    asOf,
    split,
    total: { key: 'all', label: 'All', figures: outcomeFigures(people, period, asOf) },
    groups: splitGroups(people, split, labels, period, asOf),
    canSeePeople: seesPeople(viewer.role),
    threshold: disclosureThreshold,
    scope: seesPeople(viewer.role) ? 'Your team' : 'The whole service',
  };
}

// ---- Measures: labels, definitions and the shape every output shares -------------------------------

export type MeasureKind = 'count' | 'rate' | 'days' | 'hours' | 'pence';

export interface Measure {
  key: string;
  label: string;
  definition: string;
  kind: MeasureKind;
  /** Applies to a split by employer type (job figures) or not (referrals, engagement). */
  jobFigure: boolean;
  benchmark?: string;
}

export const MEASURES: readonly Measure[] = [
  {
    key: 'referrals_accepted',
    label: 'Referrals accepted',
    kind: 'count',
    jobFigure: false,
    definition:
      'Referrals accepted onto a caseload in the period. The referral date is the day the specialist accepted it; a referral with no accepted date is not counted.',
  },
  {
    key: 'people_engaged',
    label: 'People engaged',
    kind: 'count',
    jobFigure: false,
    definition: 'People whose vocational profile was started in the period (usually at the first face-to-face meeting).',
  },
  {
    key: 'days_to_first_contact',
    label: 'Days from referral to first contact',
    kind: 'days',
    jobFigure: false,
    definition:
      'For referrals accepted in the period: the median number of days from accepting the referral to the first contact with the person.',
  },
  {
    key: 'days_to_first_employer_contact',
    label: 'Days from referral to first face-to-face employer contact',
    kind: 'days',
    jobFigure: false,
    definition:
      'For referrals accepted in the period: the median number of days from accepting the referral to the first face-to-face contact with an employer about a job for the person (rapid job search: within 30 days).',
  },
  {
    key: 'people_into_work',
    label: 'People supported into work',
    kind: 'count',
    jobFigure: true,
    definition:
      'People who started a paid job in the period, each counted once. A job counts as started once four hours of paid work are done (worked out from the hours a week and the days in the job).',
  },
  {
    key: 'job_starts',
    label: 'Total job starts',
    kind: 'count',
    jobFigure: true,
    definition:
      'Every paid job started in the period (four hours of paid work done), second and parallel part-time jobs included.',
  },
  {
    key: 'jobs_without_hours',
    label: 'Jobs started without hours recorded',
    kind: 'count',
    jobFigure: true,
    definition:
      'Jobs that started in the period with no hours a week recorded. The four-hour rule cannot be checked, so they are not counted as job starts until their hours are entered on the job.',
  },
  {
    key: 'employment_rate',
    label: 'Employment rate',
    kind: 'rate',
    jobFigure: false,
    benchmark: 'Benchmark 40%',
    definition:
      'Of the people on a caseload in the period who were out of work when referred, the share who started a job in the period. People referred while in work (job retention) are left out of both.',
  },
  {
    key: 'in_work_13_weeks',
    label: 'Still in work 13 weeks after starting',
    kind: 'rate',
    jobFigure: true,
    definition:
      'People whose 13-week point after starting a job fell in the period, and of those, the share in paid work on that day.',
  },
  {
    key: 'in_work_26_weeks',
    label: 'Still in work 26 weeks after starting',
    kind: 'rate',
    jobFigure: true,
    definition:
      'People whose 26-week point after starting a job fell in the period, and of those, the share in paid work on that day.',
  },
  {
    key: 'in_work_52_weeks',
    label: 'Still in work 52 weeks after starting',
    kind: 'rate',
    jobFigure: true,
    definition:
      'People whose 52-week point after starting a job fell in the period, and of those, the share in paid work on that day.',
  },
  {
    key: 'hours_per_week',
    label: 'Hours a week of jobs started',
    kind: 'hours',
    jobFigure: true,
    definition:
      'The median contracted hours a week of the jobs started in the period, and how many fall under 16, 16 to 29, and 30 or more.',
  },
  {
    key: 'median_hourly_pay_pence',
    label: 'Hourly pay of jobs started',
    kind: 'pence',
    jobFigure: true,
    definition: 'The median hourly pay of the jobs started in the period.',
  },
  {
    key: 'competitive_jobs',
    label: 'Competitive jobs',
    kind: 'rate',
    jobFigure: true,
    definition:
      'The share of jobs started in the period that are competitive: paid at least the legal minimum wage for the person’s age, open to anyone, and not set aside for disabled people.',
  },
  {
    key: 'job_retention_share',
    label: 'Job-retention referrals on the caseload',
    kind: 'rate',
    jobFigure: false,
    benchmark: 'Guide: 15% or less',
    definition: 'Of the people on a caseload on the last day of the period, the share referred while already in work.',
  },
  {
    key: 'redundancies',
    label: 'Redundancies',
    kind: 'count',
    jobFigure: true,
    definition: 'Jobs that ended in the period because the person was made redundant.',
  },
  {
    key: 'redeployments',
    label: 'Redeployments',
    kind: 'count',
    jobFigure: false,
    definition: 'Redeployments after a redundancy that closed in the period with the person in a new job.',
  },
  {
    key: 'internship_outcomes',
    label: 'Supported internship outcome rate',
    kind: 'rate',
    jobFigure: false,
    definition:
      'Of the interns who graduated from cohorts ending in the period, the share into a job meeting the programme outcome: 16 hours a week or more, not seasonal, integrated, at least the minimum wage.',
  },
];

// The presented figures: what a page, an export and the API show, with suppression applied.

export interface ShownCount {
  /** The count, or "<5" (the threshold) whenever it is hidden from the caller, for either reason below. */
  value: Shown;
  /**
   * Why it is hidden: `small` (from 1 to threshold − 1), or `could_be_worked_out` (it is not small
   * itself, but with it shown a small count could be found by subtraction); null when shown.
   */
  hidden: 'small' | 'could_be_worked_out' | null;
  /** The people behind it; null when the caller may not see people. */
  people: string[] | null;
}

export interface ShownRate {
  numerator: ShownCount;
  denominator: ShownCount;
  percent: number | null;
  hidden: boolean;
}

export interface ShownDistribution {
  count: ShownCount;
  median: number | null;
  hidden: boolean;
  buckets: { label: string; count: ShownCount }[];
  not_yet: ShownCount;
}

export type ShownFigure = ShownCount | ShownRate | ShownDistribution | { value: number | null; hidden: boolean };

export interface ShownGroup {
  key: string;
  label: string;
  figures: Record<string, ShownFigure | null>;
}

export interface ShownReport {
  period: Period;
  asOf: string;
  split: Split;
  scope: string;
  canSeePeople: boolean;
  threshold: number;
  total: ShownGroup;
  groups: ShownGroup[];
}

type Getter = (f: OutcomeFigures) => Count;

interface CountPath {
  get: Getter;
  /** Hidden on its own account: small, or (a rate's numerator) leaving few people out. */
  primary: (f: OutcomeFigures, t: number) => boolean;
}

/** Every count a measure holds, by a path name, so suppression can look across groups. */
function countsOf(m: Measure): Record<string, CountPath> {
  const k = m.key as keyof OutcomeFigures;
  const plain = (get: Getter): CountPath => ({ get, primary: (f, t) => isSmall(get(f).value, t) });
  switch (m.kind) {
    case 'count':
      return { value: plain((f) => f[k] as Count) };
    case 'rate': {
      const rateOf = (f: OutcomeFigures) => f[k] as Rate;
      return {
        numerator: {
          get: (f) => rateOf(f).numerator,
          primary: (f, t) => {
            const r = rateOf(f);
            return rateHidden(r.numerator.value, r.denominator.value, t, false, false) && r.denominator.value > 0;
          },
        },
        denominator: plain((f) => rateOf(f).denominator),
      };
    }
    case 'days':
    case 'hours': {
      const buckets = m.kind === 'days' ? DAY_BUCKETS : HOURS_BUCKETS;
      const dist = (f: OutcomeFigures) => f[k] as Distribution;
      return {
        count: plain((f) => dist(f).count),
        not_yet: plain((f) => dist(f).notYet),
        ...Object.fromEntries(buckets.map((_b, i) => [`bucket${i}`, plain((f) => dist(f).buckets[i]!)])),
      };
    }
    default:
      return {};
  }
}

/**
 * Applies the small-number rule for callers who may not see people: each count is hidden when
 * small (a rate's numerator also when few people are left out of it); then, down each column of a
 * split (groups that add up to a shown total), a lone hidden cell takes the next smallest with it;
 * rates, medians and pay over hidden counts are hidden too. Nothing is hidden for roles that see people.
 */
export function present(report: OutcomeReport): ShownReport {
  const t = report.threshold;
  const suppress = !report.canSeePeople;
  const all = [report.total, ...report.groups];
  // hidden[measure.path][groupIndex]: index 0 is the total.
  const hidden = new Map<string, boolean[]>();
  for (const m of MEASURES) {
    for (const [path, c] of Object.entries(countsOf(m))) {
      if (!suppress) {
        hidden.set(
          `${m.key}.${path}`,
          all.map(() => false),
        );
        continue;
      }
      const primary = all.map((g) => c.primary(g.figures, t));
      const values = all.map((g) => c.get(g.figures).value);
      hidden.set(`${m.key}.${path}`, [primary[0]!, ...complement(values.slice(1), primary.slice(1), !primary[0])]);
    }
  }
  const shownCount = (c: Count, path: string, i: number): ShownCount => {
    const h = hidden.get(path)?.[i] ?? false;
    return {
      value: shown(c.value, h, t),
      hidden: !h ? null : isSmall(c.value, t) ? 'small' : 'could_be_worked_out',
      people: report.canSeePeople ? c.people : null,
    };
  };
  const presentGroup = (g: ReportGroup, i: number): ShownGroup => {
    const figures: Record<string, ShownFigure | null> = {};
    for (const m of MEASURES) {
      const k = m.key as keyof OutcomeFigures;
      if (report.split === 'employer_type' && i > 0 && !m.jobFigure) {
        figures[m.key] = null;
        continue;
      }
      const f = g.figures[k];
      if (m.kind === 'count') figures[m.key] = shownCount(f as Count, `${m.key}.value`, i);
      else if (m.kind === 'rate') {
        const r = f as Rate;
        const num = shownCount(r.numerator, `${m.key}.numerator`, i);
        const den = shownCount(r.denominator, `${m.key}.denominator`, i);
        const h = num.hidden !== null || den.hidden !== null;
        figures[m.key] = { numerator: num, denominator: den, percent: h ? null : r.percent, hidden: h };
      } else if (m.kind === 'days' || m.kind === 'hours') {
        const d = f as Distribution;
        const count = shownCount(d.count, `${m.key}.count`, i);
        const row: ShownDistribution = {
          count,
          median: count.hidden !== null ? null : d.median,
          hidden: count.hidden !== null,
          buckets: d.buckets.map((b, bi) => ({
            label: (m.kind === 'days' ? DAY_BUCKETS : HOURS_BUCKETS)[bi]!.label,
            count: shownCount(b, `${m.key}.bucket${bi}`, i),
          })),
          not_yet: shownCount(d.notYet, `${m.key}.not_yet`, i),
        };
        // The buckets add up to the count: a lone hidden bucket takes its partner within the row too.
        if (suppress) {
          const inRow = complement(
            d.buckets.map((b) => b.value),
            row.buckets.map((b) => b.count.hidden !== null),
            count.hidden === null,
          );
          row.buckets.forEach((b, bi) => {
            if (inRow[bi] && b.count.hidden === null) b.count = { value: `<${t}`, hidden: 'could_be_worked_out', people: null };
          });
        }
        figures[m.key] = row;
      } else {
        // A median pay: hidden with the job starts behind it.
        const h = suppress && (hidden.get('job_starts.value')?.[i] ?? false);
        figures[m.key] = { value: h ? null : (f as number | null), hidden: h };
      }
    }
    return { key: g.key, label: g.label, figures };
  };
  return {
    period: report.period,
    asOf: report.asOf,
    split: report.split,
    scope: report.scope,
    canSeePeople: report.canSeePeople,
    threshold: t,
    total: presentGroup(report.total, 0),
    groups: report.groups.map((g, i) => presentGroup(g, i + 1)),
  };
}
