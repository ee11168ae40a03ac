import { addDays } from '../placements/rules.ts';
import { type Period, type PersonFact, daysBetween, inPeriod, jobQuality, jobStarts } from '../reports/outcomes.ts';
import {
  type Score,
  oneDecimal,
  scoreCaseload,
  scoreCommunity,
  scoreCompetitive,
  scoreEmployerContact,
  scoreEmployers,
  scoreFollowAlong,
  scoreJobTypes,
  scoreRapidSearch,
} from './rules.ts';
import { dayText } from '../referrals/rules.ts';
import { addMonths } from '../support/rules.ts';

// Scores proposed for a review from the service's own records over the review period: pure
// functions over figures a small repo gathers. Each proposal carries its evidence in words; the
// reviewer's own score is kept apart and never written from these.

/** Hours a week that make a specialist full time. */
export const FULL_TIME_HOURS = 37.5;

/** Places that are not the office: where community-based work happens (item 24). Remote is not in the community. */
export const COMMUNITY_PLACES: ReadonlySet<string> = new Set(['workplace', 'community', 'home']);

export interface Proposal {
  item: number;
  /** Null when the records hold nothing to score. */
  score: Score | null;
  evidence: string;
}

export interface TeamPractitioner {
  id: string;
  /** Contracted hours a week; null means full time. */
  hoursPerWeek: number | null;
}

export interface ContactFact {
  participantId: string;
  /** London day, `YYYY-MM-DD`. */
  day: string;
  minutes: number;
  place: string;
  purpose: string;
  placementId: string | null;
}

export interface FidelityFigures {
  period: Period;
  /** Today: job starts count once four paid hours are done by this day. */
  asOf: string;
  /** The team's active practitioners. */
  practitioners: readonly TeamPractitioner[];
  /** People of the team with an accepted referral still open at the end of the period. */
  openCaseload: number;
  /** Face-to-face employer contacts by the team's practitioners in the period. */
  employerFaceToFace: number;
  /** The team's people. */
  people: readonly PersonFact[];
  /** Contacts with the team's people in the period (not deleted). */
  contacts: readonly ContactFact[];
}

const num = (n: number): string => n.toLocaleString('en-GB', { maximumFractionDigits: 1 });
const plural = (n: number, one: string, many = `${one}s`): string => `${num(n)} ${n === 1 ? one : many}`;
const percentOf = (part: number, whole: number): number => oneDecimal((part * 100) / whole);

/** Full-time equivalent of a team: contracted hours over 37.5 where recorded, otherwise one each. */
export function fullTimeEquivalent(practitioners: readonly TeamPractitioner[]): number {
  return practitioners.reduce(
    (sum, p) => sum + (p.hoursPerWeek !== null && p.hoursPerWeek > 0 ? p.hoursPerWeek / FULL_TIME_HOURS : 1),
    0,
  );
}

/** Item 1: people with an open referral per full-time specialist. */
export function proposeCaseload(practitioners: readonly TeamPractitioner[], openCaseload: number, periodTo: string): Proposal {
  const fte = oneDecimal(fullTimeEquivalent(practitioners));
  if (practitioners.length === 0 || fte === 0) {
    return { item: 1, score: null, evidence: 'The team has no practitioners, so there is no caseload to work out' };
  }
  const perFte = oneDecimal(openCaseload / fte);
  return {
    item: 1,
    score: scoreCaseload(perFte),
    evidence:
      `Average caseload ${num(perFte)} per full-time specialist (${plural(practitioners.length, 'practitioner')}, ` +
      `${num(fte)} full-time equivalent, ${plural(openCaseload, 'person', 'people')} with an open referral on ${dayText(periodTo)})`,
  };
}

/**
 * Item 15: mean days from accepting a referral (in the period) to the first face-to-face employer
 * contact on the person's behalf, on or after that day: the same measure as the outcome report's
 * `daysToFirstEmployerContact`, averaged rather than bucketed.
 */
export function proposeRapidSearch(people: readonly PersonFact[], p: Period): Proposal {
  const days: number[] = [];
  let notYet = 0;
  for (const x of people) {
    for (const r of x.referrals) {
      const accepted = r.acceptedDate;
      if (!inPeriod(accepted, p)) continue;
      const first = x.employerFaceToFaceDays.find((d) => d >= accepted);
      if (first === undefined) notYet += 1;
      else days.push(daysBetween(accepted, first));
    }
  }
  const waiting = notYet > 0 ? `; ${plural(notYet, 'referral')} accepted in the period had no such contact yet` : '';
  if (days.length === 0) {
    return {
      item: 15,
      score: null,
      evidence:
        notYet > 0
          ? `No referral accepted in the period has had a face-to-face employer contact yet (${plural(notYet, 'referral')})`
          : 'No referrals were accepted in the period',
    };
  }
  const mean = oneDecimal(days.reduce((a, b) => a + b, 0) / days.length);
  return {
    item: 15,
    score: scoreRapidSearch(mean),
    evidence: `Average ${plural(mean, 'day')} from accepting a referral to the first face-to-face employer contact (${plural(days.length, 'referral')} accepted in the period${waiting})`,
  };
}

/** Item 17: face-to-face employer contacts a week per practitioner over the period. */
export function proposeEmployerContact(practitioners: number, contacts: number, p: Period): Proposal {
  if (practitioners === 0) {
    return { item: 17, score: null, evidence: 'The team has no practitioners, so there are no employer contacts to count' };
  }
  const weeks = (daysBetween(p.from, p.to) + 1) / 7;
  const perWeek = oneDecimal(contacts / practitioners / weeks);
  return {
    item: 17,
    score: scoreEmployerContact(perWeek),
    evidence: `${num(perWeek)} face-to-face employer contacts a week per practitioner (${plural(contacts, 'contact')} over ${plural(oneDecimal(weeks), 'week')} by ${plural(practitioners, 'practitioner')})`,
  };
}

const normalised = (s: string): string => s.trim().toLowerCase().replace(/\s+/g, ' ');

/** Items 19 and 20: the share of job starts whose job title (or employer) no other start in the period shares. */
export function proposeDiversity(people: readonly PersonFact[], p: Period, asOf: string, by: 'title' | 'employer'): Proposal {
  const item = by === 'title' ? 19 : 20;
  const starts = people.flatMap((x) => jobStarts(x.jobs, p, asOf));
  if (starts.length === 0) return { item, score: null, evidence: 'No job starts in the period' };
  const keyOf = (j: (typeof starts)[number]) => (by === 'title' ? normalised(j.title) : j.employerId);
  const counts = new Map<string, number>();
  for (const j of starts) counts.set(keyOf(j), (counts.get(keyOf(j)) ?? 0) + 1);
  const unique = starts.filter((j) => counts.get(keyOf(j)) === 1).length;
  const percent = percentOf(unique, starts.length);
  const what = by === 'title' ? 'a job title' : 'an employer';
  return {
    item,
    score: by === 'title' ? scoreJobTypes(percent) : scoreEmployers(percent),
    evidence: `${num(percent)}% of job starts in the period had ${what} no other start shared (${unique} of ${plural(starts.length, 'start')})`,
  };
}

/** Item 21: the share of job starts in the period that are competitive jobs (the outcome report's measure). */
export function proposeCompetitive(people: readonly PersonFact[], p: Period, asOf: string): Proposal {
  const { competitive } = jobQuality(people, p, asOf);
  if (competitive.percent === null) return { item: 21, score: null, evidence: 'No job starts in the period' };
  return {
    item: 21,
    score: scoreCompetitive(competitive.percent),
    evidence: `${num(competitive.percent)}% of job starts in the period were competitive jobs (${competitive.numerator.value} of ${plural(competitive.denominator.value, 'start')})`,
  };
}

/** The calendar months overlapping a span of days, each cut to the span. */
export function monthsOf(from: string, to: string): Period[] {
  const out: Period[] = [];
  let start = from;
  while (start <= to) {
    const monthEnd = addDays(addMonths(`${start.slice(0, 8)}01`, 1), -1);
    const end = monthEnd < to ? monthEnd : to;
    out.push({ from: start, to: end });
    start = addDays(end, 1);
  }
  return out;
}

const isInWorkSupport = (c: ContactFact): boolean => c.purpose === 'in_work_support' || c.placementId !== null;

/**
 * Item 23: of the people in work during the period in a job that started one to twelve months
 * before its end, the share who had an in-work support contact in every month of the period they
 * were in that work.
 */
export function proposeFollowAlong(people: readonly PersonFact[], contacts: readonly ContactFact[], p: Period): Proposal {
  const earliest = addMonths(p.to, -12);
  const latest = addMonths(p.to, -1);
  const support = new Map<string, string[]>();
  for (const c of contacts)
    if (isInWorkSupport(c)) support.set(c.participantId, [...(support.get(c.participantId) ?? []), c.day]);
  let inWork = 0;
  let supported = 0;
  for (const x of people) {
    const jobs = x.jobs.filter(
      (j) => j.startDate >= earliest && j.startDate <= latest && (j.endDate === null || j.endDate >= p.from),
    );
    if (jobs.length === 0) continue;
    inWork += 1;
    const days = support.get(x.id) ?? [];
    // The parts of each calendar month the person was in one of these jobs during the period.
    const byMonth = new Map<string, Period[]>();
    for (const j of jobs) {
      const from = j.startDate > p.from ? j.startDate : p.from;
      const to = j.endDate !== null && j.endDate < p.to ? j.endDate : p.to;
      for (const m of monthsOf(from, to)) byMonth.set(m.from.slice(0, 7), [...(byMonth.get(m.from.slice(0, 7)) ?? []), m]);
    }
    if ([...byMonth.values()].every((spans) => spans.some((m) => days.some((d) => inPeriod(d, m))))) supported += 1;
  }
  if (inWork === 0) {
    return { item: 23, score: null, evidence: 'Nobody was in a job that started 1 to 12 months before the end of the period' };
  }
  const percent = percentOf(supported, inWork);
  return {
    item: 23,
    score: scoreFollowAlong(percent),
    evidence: `${num(percent)}% of people in work had in-work support every month they were in work in the period (${supported} of ${inWork} people whose job started 1 to 12 months before ${dayText(p.to)})`,
  };
}

/** Item 24: the share of contact time spent outside the office (workplaces, the community, people's homes). */
export function proposeCommunity(contacts: readonly ContactFact[]): Proposal {
  const total = contacts.reduce((sum, c) => sum + c.minutes, 0);
  if (total === 0) return { item: 24, score: null, evidence: 'No contacts were logged in the period' };
  const outside = contacts.filter((c) => COMMUNITY_PLACES.has(c.place)).reduce((sum, c) => sum + c.minutes, 0);
  const percent = percentOf(outside, total);
  return {
    item: 24,
    score: scoreCommunity(percent),
    evidence: `${num(percent)}% of contact time was outside the office, in workplaces, the community or people’s homes (${num(outside)} of ${num(total)} minutes)`,
  };
}

/** Every proposal for a review period, in item order. */
export function proposeAll(f: FidelityFigures): Proposal[] {
  return [
    proposeCaseload(f.practitioners, f.openCaseload, f.period.to),
    proposeRapidSearch(f.people, f.period),
    proposeEmployerContact(f.practitioners.length, f.employerFaceToFace, f.period),
    proposeDiversity(f.people, f.period, f.asOf, 'title'),
    proposeDiversity(f.people, f.period, f.asOf, 'employer'),
    proposeCompetitive(f.people, f.period, f.asOf),
    proposeFollowAlong(f.people, f.contacts, f.period),
    proposeCommunity(f.contacts),
  ];
}
