import { formatDay } from '../pay/minimum-wage.ts';
import { DAYS, DAY_LABELS, type Day, TIMES, type TimeOfDay, type TravelMode, formatPence } from '../profiles/rules.ts';

// The match score: pure rules from a person's job preferences and a vacancy to a score out of 100
// and the reasons for it, in plain words. IPS principle 4: job search follows the person's
// preferences, so a mismatch lowers the score and says why; only a limit the person set themselves
// excludes a job. IPS principle 2 (zero exclusion): a conviction never excludes and never lowers
// the score; a role needing a criminal-record check is marked to talk through with the person.

/**
 * The most each aspect can take off the score when it does not fit at all (they sum to 100, so
 * a job that fits every stated preference scores 100). Occupation weighs most because it is what
 * the person asked for; the rest are practical fit. An aspect the person left blank, or the
 * vacancy does not state, takes nothing off. Partial fits (a few hours over, a journey a little
 * long, some of the days) take off a share of the weight.
 */
export const WEIGHTS = {
  occupation: 30,
  hours: 15,
  days: 10,
  times: 10,
  weekends: 5,
  travel: 10,
  pay: 10,
  place: 10,
} as const;

export const REASON_KINDS = [
  'closed',
  'never_times',
  'no_weekends',
  'check',
  'occupation',
  'hours',
  'days',
  'times',
  'weekends',
  'travel',
  'pay',
  'place',
] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

/**
 * One reason. `fits` is false exactly when the reason takes points off or excludes the job; a
 * neutral note (no preference recorded, a criminal-record check) has `fits: true`.
 */
export interface MatchReason {
  fits: boolean;
  text: string;
  kind: ReasonKind;
}

export interface MatchResult {
  /** 0 to 100, an integer; 100 only when every stated preference fits. */
  score: number;
  /** Past its closing date, or against a limit the person set (`never_times`, `no_weekends`). */
  excluded: boolean;
  /** The role needs a criminal-record check and the person has convictions: talk it through. */
  talkThrough: boolean;
  reasons: MatchReason[];
}

export interface GeoPoint {
  lat: number;
  lon: number;
}

/**
 * The job preferences of a vocational profile (the fields of `ProfileData`, so a stored profile
 * can be passed with the extras added) and the person's own hard limits.
 */
export interface MatchProfile {
  occupations: readonly string[];
  hours_per_week_min: number | null;
  hours_per_week_max: number | null;
  days: readonly Day[];
  times: readonly TimeOfDay[];
  weekends_ok: boolean | null;
  places: readonly string[];
  max_travel_minutes: number | null;
  travel_modes: readonly TravelMode[];
  lowest_hourly_pay_pence: number | null;
  /** Used only to mark talk-through; never to exclude or score. */
  has_convictions: boolean;
  /** Times the person said they will never work: a job with any of them is excluded. */
  never_times?: readonly TimeOfDay[];
  /** The person said no weekend work at all: a job with weekend work is excluded. */
  no_weekends?: boolean;
  home?: GeoPoint | null;
}

export interface MatchVacancy {
  title: string;
  occupation: string | null;
  hours_per_week: number | null;
  /** Days the job is worked; empty when not stated. */
  days: readonly Day[];
  /** The shift pattern; empty when not stated. */
  times: readonly TimeOfDay[];
  /** Includes weekend work (also true in effect when `days` has Saturday or Sunday). */
  weekends: boolean;
  hourly_pay_pence: number | null;
  site_name?: string | null;
  place?: string | null;
  location?: GeoPoint | null;
  /** A DBS or similar criminal-record check is required. */
  check_required: boolean;
  /** `YYYY-MM-DD`, the last day to apply; null when open-ended. */
  closing_date: string | null;
}

export interface MatchOptions {
  /** `YYYY-MM-DD`: a vacancy whose closing date is before this day is closed. */
  today: string;
}

export interface RankOptions extends MatchOptions {
  /** Keep excluded matches, after all the others; by default they are left out. */
  includeExcluded?: boolean;
  /** Return only the best this many (a page): all are scored, only these get their reasons written. */
  limit?: number;
  /** Skip this many of the best first (the pages before). */
  offset?: number;
  /**
   * `score` (the default): best match first. `given`: keep the order passed in (a list the caller
   * sorted another way, by name or closing date), still leaving out or putting last the excluded.
   */
  order?: 'score' | 'given';
}

/** One page of a ranking and how many there are in all (excluded ones counted only when kept). */
export interface RankedPage<T> {
  items: T[];
  total: number;
}

// ---- Words: case- and accent-insensitive, with simple word overlap ----------------------------

const NON_ASCII = /[\u0080-\uffff]/;
const COMBINING_MARKS = /\p{M}+/gu;
const ASCII_NON_WORD = /[^a-z0-9]+/;
const NON_WORD = /[^\p{L}\p{N}]+/u;
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Words that say nothing about the kind of work, so sharing one is not a match. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'or',
  'the',
  'of',
  'in',
  'at',
  'on',
  'to',
  'for',
  'with',
  'any',
  'work',
  'job',
  'role',
  'assistant',
  'worker',
  'operative',
  'officer',
  'staff',
  'team',
  'member',
  'general',
  'senior',
  'junior',
  'trainee',
  'apprentice',
  'apprenticeship',
  'part',
  'full',
  'time',
  'temporary',
  'permanent',
]);

/** Lower case without accents: the form both sides are compared in. */
function fold(text: string): string {
  const s = text.toLowerCase();
  return NON_ASCII.test(s) ? s.normalize('NFD').replace(COMBINING_MARKS, '') : s;
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** The meaningful words of a phrase, folded, a plural "s" dropped. */
function matchWords(phrase: string): string[] {
  const s = fold(phrase);
  const all = s
    .split(NON_ASCII.test(s) ? NON_WORD : ASCII_NON_WORD)
    // A lone letter (the "s" of "James's") says nothing.
    .filter((w) => w.length > 1)
    .map(singular);
  const meaningful = all.filter((w) => !STOP_WORDS.has(w));
  // "Assistant" alone still means something: then every word counts.
  return meaningful.length > 0 ? meaningful : all;
}

/**
 * Two words match when equal, or when they share a stem of five letters or more that leaves at
 * most three letters over on the shorter one: cleaner/cleaning, garden/gardener, admin/
 * administrator, caterer/catering; not care/career, transport/translator.
 */
function wordsMatch(a: string, b: string): boolean {
  if (a === b) return true;
  const n = Math.min(a.length, b.length);
  let common = 0;
  while (common < n && a.charCodeAt(common) === b.charCodeAt(common)) common++;
  return common >= 5 && common >= n - 3;
}

interface TermWord {
  word: string;
  /** Every word it can match starts with this, so the text is searched for it first. */
  probe: string;
}

/** One of the person's phrases ("kitchen porter") and its words, worked out once. */
interface Term {
  text: string;
  words: TermWord[];
}

function termsOf(phrases: readonly string[]): Term[] {
  const out: Term[] = [];
  for (const p of phrases) {
    const text = p.trim();
    const words = matchWords(text).map((word) => ({ word, probe: word.slice(0, 5) }));
    if (words.length > 0) out.push({ text, words });
  }
  return out;
}

function isWordChar(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
  return WORD_CHAR.test(text.charAt(i));
}

/**
 * Whether the folded `text` has a word matching `w`. It searches for the probe rather than
 * splitting the text into words, so that ranking thousands of vacancies allocates almost nothing.
 */
function hasWord(text: string, w: TermWord): boolean {
  let i = text.indexOf(w.probe);
  while (i !== -1) {
    if (i === 0 || !isWordChar(text, i - 1)) {
      let j = i + w.probe.length;
      while (j < text.length && isWordChar(text, j)) j++;
      if (wordsMatch(w.word, singular(text.slice(i, j)))) return true;
    }
    i = text.indexOf(w.probe, i + 1);
  }
  return false;
}

/** The first of `terms` with a word in the folded `text`, or null. */
function firstTermIn(terms: readonly Term[], text: string): Term | null {
  for (const term of terms) {
    for (const w of term.words) if (hasWord(text, w)) return term;
  }
  return null;
}

// ---- Days and times as bit sets ---------------------------------------------------------------

const DAY_BIT = Object.fromEntries(DAYS.map((d, i) => [d, 1 << i])) as Record<Day, number>;
const TIME_BIT = Object.fromEntries(TIMES.map((t, i) => [t, 1 << i])) as Record<TimeOfDay, number>;
const WEEKEND_BITS = DAY_BIT.sat | DAY_BIT.sun;
const DAY_JOB_BITS = TIME_BIT.mornings | TIME_BIT.afternoons;

function mask<T extends string>(values: readonly T[], bits: Record<T, number>): number {
  let m = 0;
  for (const v of values) m |= bits[v] ?? 0;
  return m;
}

function bitCount(m: number): number {
  let n = 0;
  for (let x = m; x !== 0; x &= x - 1) n++;
  return n;
}

function joinWords(items: readonly string[], last: string): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${last} ${items[items.length - 1]}`;
}

/** "Monday to Friday", "Saturday and Sunday", "Monday, Wednesday and Friday". */
function daysText(m: number): string {
  const parts: string[] = [];
  let i = 0;
  while (i < DAYS.length) {
    if (!(m & (1 << i))) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < DAYS.length && m & (1 << (j + 1))) j++;
    const from = DAY_LABELS[DAYS[i] as Day];
    const to = DAY_LABELS[DAYS[j] as Day];
    if (j - i >= 2) parts.push(`${from} to ${to}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_LABELS[DAYS[k] as Day]);
    i = j + 1;
  }
  return joinWords(parts, 'and');
}

function timesList(m: number): string[] {
  return TIMES.filter((t) => m & TIME_BIT[t]);
}

/** What a shift pattern is: "a day job", or "evenings and nights". */
function jobTimesText(m: number): string {
  return m === DAY_JOB_BITS ? 'a day job' : joinWords(timesList(m), 'and');
}

function jobTimesClause(m: number): string {
  return m === DAY_JOB_BITS ? 'this is a day job' : `this job is ${jobTimesText(m)}`;
}

// ---- Travel: a rough estimate from the straight-line distance ---------------------------------

/**
 * Door-to-door speed over the straight-line distance (so it allows for roads that wind) and a
 * fixed allowance for waiting or parking. Rough on purpose: the reason says it is an estimate.
 */
const TRAVEL: Record<TravelMode, { kmh: number; extraMinutes: number; phrase: string }> = {
  walk: { kmh: 4, extraMinutes: 0, phrase: 'on foot' },
  cycle: { kmh: 12, extraMinutes: 0, phrase: 'by bike' },
  bus: { kmh: 14, extraMinutes: 10, phrase: 'by bus' },
  train: { kmh: 30, extraMinutes: 15, phrase: 'by train' },
  drive: { kmh: 30, extraMinutes: 5, phrase: 'by car' },
  lift: { kmh: 30, extraMinutes: 5, phrase: 'by car (a lift)' },
};
/** When no travel mode is recorded the estimate is by bus, and says so. */
const DEFAULT_TRAVEL_MODE: TravelMode = 'bus';

const EARTH_RADIUS_KM = 6371;
const RADIANS = Math.PI / 180;

// ---- Preparing each side once -----------------------------------------------------------------

interface PreparedProfile {
  occupations: Term[];
  occupationsText: string;
  places: Term[];
  placesText: string;
  hoursMin: number | null;
  hoursMax: number | null;
  hoursWanted: string;
  days: number;
  times: number;
  timesWanted: string;
  never: number;
  weekendsOk: boolean | null;
  noWeekends: boolean;
  maxTravel: number | null;
  modes: readonly TravelMode[];
  modesRecorded: boolean;
  home: Point | null;
  lowestPay: number | null;
  hasConvictions: boolean;
}

function hoursText(n: number): string {
  return `${n} ${n === 1 ? 'hour' : 'hours'}`;
}

function prepareProfile(p: MatchProfile): PreparedProfile {
  const occupations = termsOf(p.occupations);
  const places = termsOf(p.places);
  const min = p.hours_per_week_min;
  const max = p.hours_per_week_max;
  const hoursWanted =
    min !== null && max !== null
      ? min === max
        ? hoursText(min)
        : `${min} to ${hoursText(max)}`
      : min !== null
        ? `at least ${hoursText(min)}`
        : max !== null
          ? `up to ${hoursText(max)}`
          : '';
  const times = mask(p.times, TIME_BIT);
  const wanted = timesList(times);
  return {
    occupations,
    occupationsText: occupations.map((t) => t.text).join(', '),
    places,
    placesText: places.map((t) => t.text).join(', '),
    hoursMin: min,
    hoursMax: max,
    hoursWanted,
    days: mask(p.days, DAY_BIT),
    times,
    timesWanted: wanted.length === 1 ? `${wanted[0]} only` : joinWords(wanted, 'or'),
    never: mask(p.never_times ?? [], TIME_BIT),
    weekendsOk: p.weekends_ok,
    noWeekends: p.no_weekends === true,
    maxTravel: p.max_travel_minutes,
    modes: p.travel_modes.length > 0 ? p.travel_modes : [DEFAULT_TRAVEL_MODE],
    modesRecorded: p.travel_modes.length > 0,
    home: point(p.home),
    lowestPay: p.lowest_hourly_pay_pence,
    hasConvictions: p.has_convictions,
  };
}

/** Each profile's side, worked out once per profile object (profiles are treated as unchanging once passed in). */
const preparedProfiles = new WeakMap<MatchProfile, PreparedProfile>();

function profilePreparedOnce(profile: MatchProfile): PreparedProfile {
  let p = preparedProfiles.get(profile);
  if (p === undefined) {
    p = prepareProfile(profile);
    preparedProfiles.set(profile, p);
  }
  return p;
}

interface PreparedVacancy {
  v: MatchVacancy;
  /** Title, occupation, site and place, folded; empty when the profile has nothing to compare them with. */
  title: string;
  occupation: string;
  site: string;
  place: string;
  days: number;
  times: number;
  weekendWork: boolean;
  location: Point | null;
  /** The closing date as YYYYMMDD, the tie-break between equal scores. */
  closingKey: number;
}

/** A position in radians, with the cosine of its latitude worked out once. */
interface Point {
  latRad: number;
  lonRad: number;
  cosLat: number;
}

function point(g: GeoPoint | null | undefined): Point | null {
  return g ? { latRad: g.lat * RADIANS, lonRad: g.lon * RADIANS, cosLat: Math.cos(g.lat * RADIANS) } : null;
}

/** Folded text by original, for the fields that repeat across vacancies (occupation, site, place). */
type FoldCache = Map<string, string>;

function cachedFold(text: string, cache: FoldCache): string {
  let f = cache.get(text);
  if (f === undefined) {
    f = fold(text);
    cache.set(text, f);
  }
  return f;
}

/**
 * The vacancy's side worked out once. With `p`, only what that profile will compare is worked
 * out (no words when it names no occupations, for example); without, everything.
 */
function prepareVacancy(v: MatchVacancy, p: PreparedProfile | null, folded: FoldCache): PreparedVacancy {
  const days = mask(v.days, DAY_BIT);
  const work = p === null || p.occupations.length > 0;
  const places = p === null || p.places.length > 0;
  return {
    v,
    title: work ? fold(v.title) : '',
    occupation: work && v.occupation ? cachedFold(v.occupation, folded) : '',
    site: places && v.site_name ? cachedFold(v.site_name, folded) : '',
    place: places && v.place ? cachedFold(v.place, folded) : '',
    days,
    times: mask(v.times, TIME_BIT),
    weekendWork: v.weekends || (days & WEEKEND_BITS) !== 0,
    location: p === null || p.home !== null ? point(v.location) : null,
    closingKey: dayNumber(v.closing_date),
  };
}

/**
 * Every vacancy's side, worked out once per vacancy object and kept while the object lives: a
 * caller that ranks the same list again and again (the open vacancies, kept in memory) then
 * pays only for the person's side. Vacancies are treated as unchanging once passed in.
 */
const preparedVacancies = new WeakMap<MatchVacancy, PreparedVacancy>();

function preparedOnce(v: MatchVacancy, folded: FoldCache): PreparedVacancy {
  let pv = preparedVacancies.get(v);
  if (pv === undefined) {
    pv = prepareVacancy(v, null, folded);
    preparedVacancies.set(v, pv);
  }
  return pv;
}

/** "St James's Hospital, Leeds": the site and the place, either or both. */
function placeText(v: MatchVacancy): string {
  const site = v.site_name?.trim() ?? '';
  const town = v.place?.trim() ?? '';
  return site !== '' && town !== '' ? `${site}, ${town}` : site || town;
}

// ---- Scoring ----------------------------------------------------------------------------------

function hoursNumber(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function roundMinutes(m: number): number {
  return m < 10 ? Math.max(1, Math.round(m)) : Math.round(m / 5) * 5;
}

/** Neutral words: a check is a practical step, not a judgement about the person. */
const CHECK_TEXT = 'Needs a criminal-record check (DBS or similar)';
const TALK_THROUGH_TEXT = 'Needs a criminal-record check: talk this through with them';

interface Assessment {
  score: number;
  excluded: boolean;
  talkThrough: boolean;
}

/**
 * The one scoring path. With `reasons` null it only scores: `reasons?.push(...)` then skips
 * building the text, which is most of the cost when ranking thousands of vacancies.
 */
function assess(p: PreparedProfile, pv: PreparedVacancy, today: string, reasons: MatchReason[] | null): Assessment {
  const v = pv.v;
  let deduction = 0;
  let excluded = false;

  // Hard limits first: they decide whether the job is shown at all.
  if (v.closing_date !== null && v.closing_date < today) {
    excluded = true;
    reasons?.push({ fits: false, kind: 'closed', text: `Closed on ${formatDay(v.closing_date)}` });
  }
  const never = p.never & pv.times;
  if (never !== 0) {
    excluded = true;
    const list = joinWords(timesList(never), 'or');
    reasons?.push({
      fits: false,
      kind: 'never_times',
      text: `They said they will never work ${list}; this job includes ${list}`,
    });
  }
  if (p.noWeekends && pv.weekendWork) {
    excluded = true;
    reasons?.push({ fits: false, kind: 'no_weekends', text: 'They said no weekend work; this job includes weekends' });
  }

  // Zero exclusion: convictions mark the match for a conversation, nothing else.
  const talkThrough = v.check_required && p.hasConvictions;
  if (v.check_required) {
    reasons?.push({
      fits: true,
      kind: 'check',
      text: talkThrough ? TALK_THROUGH_TEXT : CHECK_TEXT,
    });
  }

  // Occupation.
  if (p.occupations.length === 0) {
    reasons?.push({ fits: true, kind: 'occupation', text: 'No preference recorded for the kind of work' });
  } else {
    const hit = firstTermIn(p.occupations, pv.title) ?? firstTermIn(p.occupations, pv.occupation);
    if (hit !== null) {
      reasons?.push({ fits: true, kind: 'occupation', text: `The kind of work they asked for (${hit.text})` });
    } else {
      deduction += WEIGHTS.occupation;
      reasons?.push({ fits: false, kind: 'occupation', text: `Not the kind of work they asked for (${p.occupationsText})` });
    }
  }

  // Hours: a share of the weight for how far outside their range, relative to the range's edge.
  const h = v.hours_per_week;
  if (h !== null) {
    if (p.hoursWanted === '') {
      reasons?.push({
        fits: true,
        kind: 'hours',
        text: `No preference recorded for hours; this job is ${hoursNumber(h)} a week`,
      });
    } else {
      const below = p.hoursMin !== null && h < p.hoursMin ? p.hoursMin - h : 0;
      const above = p.hoursMax !== null && h > p.hoursMax ? h - p.hoursMax : 0;
      const fits = below === 0 && above === 0;
      if (!fits) {
        const edge = below > 0 ? (p.hoursMin as number) : (p.hoursMax as number);
        deduction += WEIGHTS.hours * Math.min(1, (below + above) / Math.max(edge, 1));
      }
      reasons?.push({ fits, kind: 'hours', text: `They want ${p.hoursWanted} a week; this job is ${hoursNumber(h)}` });
    }
  }

  // Days: the share of the job's days they have not said they can work.
  if (p.days !== 0 && pv.days !== 0) {
    const missing = pv.days & ~p.days;
    if (missing === 0) {
      reasons?.push({ fits: true, kind: 'days', text: `On days they can work (${daysText(pv.days)})` });
    } else {
      deduction += (WEIGHTS.days * bitCount(missing)) / bitCount(pv.days);
      const also = missing === pv.days ? 'needs' : 'also needs';
      reasons?.push({
        fits: false,
        kind: 'days',
        text: `They can work ${daysText(p.days)}; this job ${also} ${daysText(missing)}`,
      });
    }
  }

  // Times of day: the share of the shift pattern outside the times they want.
  if (pv.times !== 0) {
    if (p.times === 0) {
      if (pv.times & (TIME_BIT.evenings | TIME_BIT.nights)) {
        reasons?.push({
          fits: true,
          kind: 'times',
          text: `No preference recorded for times of day; ${jobTimesClause(pv.times)}`,
        });
      }
    } else {
      const outside = pv.times & ~p.times;
      if (outside !== 0) deduction += (WEIGHTS.times * bitCount(outside)) / bitCount(pv.times);
      reasons?.push({ fits: outside === 0, kind: 'times', text: `They want ${p.timesWanted}; ${jobTimesClause(pv.times)}` });
    }
  }

  // Weekends.
  if (p.weekendsOk === false) {
    if (pv.weekendWork) {
      deduction += WEIGHTS.weekends;
      reasons?.push({ fits: false, kind: 'weekends', text: 'They would rather not work weekends; this job includes weekends' });
    } else {
      reasons?.push({ fits: true, kind: 'weekends', text: 'No weekend work, as they prefer' });
    }
  } else if (pv.weekendWork) {
    reasons?.push(
      p.weekendsOk === true
        ? { fits: true, kind: 'weekends', text: 'Includes weekends, which they are happy to work' }
        : { fits: true, kind: 'weekends', text: 'No preference recorded for weekend work; this job includes weekends' },
    );
  }

  // Travel: only when both places have coordinates.
  if (p.home !== null && pv.location !== null) {
    const a = p.home;
    const b = pv.location;
    const sinLat = Math.sin((b.latRad - a.latRad) / 2);
    const sinLon = Math.sin((b.lonRad - a.lonRad) / 2);
    const hav = sinLat * sinLat + a.cosLat * b.cosLat * sinLon * sinLon;
    const km = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(hav)));
    // They may use any of their ways of travelling: the quickest counts.
    let best = Infinity;
    let fastest: TravelMode = DEFAULT_TRAVEL_MODE;
    for (const mode of p.modes) {
      const t = TRAVEL[mode];
      const minutes = t.extraMinutes + (km / t.kmh) * 60;
      if (minutes < best) {
        best = minutes;
        fastest = mode;
      }
    }
    const max = p.maxTravel;
    const fits = max === null || best <= max;
    if (!fits) deduction += WEIGHTS.travel * Math.min(1, (best - max) / Math.max(max, 1));
    reasons?.push({ fits, kind: 'travel', text: travelText(km, best, fastest, p.modesRecorded, max) });
  }

  // Pay: 20% below their lowest takes the whole weight; a penny below hardly any.
  const pay = v.hourly_pay_pence;
  if (pay !== null && p.lowestPay !== null) {
    if (pay >= p.lowestPay) {
      reasons?.push({
        fits: true,
        kind: 'pay',
        text: `${formatPence(pay)} an hour, at or above their lowest of ${formatPence(p.lowestPay)}`,
      });
    } else {
      deduction += WEIGHTS.pay * Math.min(1, (5 * (p.lowestPay - pay)) / p.lowestPay);
      reasons?.push({
        fits: false,
        kind: 'pay',
        text: `${formatPence(pay)} an hour is below their lowest of ${formatPence(p.lowestPay)}`,
      });
    }
  }

  // The place or site they asked for.
  if (p.places.length > 0 && (pv.site !== '' || pv.place !== '')) {
    const hit = firstTermIn(p.places, pv.site) ?? firstTermIn(p.places, pv.place);
    if (hit !== null) {
      reasons?.push({ fits: true, kind: 'place', text: `At a place they asked for (${hit.text})` });
    } else {
      deduction += WEIGHTS.place;
      reasons?.push({ fits: false, kind: 'place', text: `At ${placeText(v)}, not a place they asked for (${p.placesText})` });
    }
  }

  // Any misfit keeps the score below 100, however small, so 100 always means "everything fits".
  let score = Math.round(100 - deduction);
  if (deduction > 0 && score > 99) score = 99;
  if (score < 0) score = 0;
  return { score, excluded, talkThrough };
}

function travelText(km: number, minutes: number, mode: TravelMode, modeRecorded: boolean, max: number | null): string {
  const how = modeRecorded ? TRAVEL[mode].phrase : `${TRAVEL[mode].phrase} (no way of travelling recorded)`;
  const distance = km < 10 ? km.toFixed(1) : String(Math.round(km));
  const estimate = `About ${distance} km away in a straight line: an estimated ${roundMinutes(minutes)} minutes ${how}`;
  if (max === null) return `${estimate}; no longest journey recorded`;
  return minutes <= max
    ? `${estimate}, within their longest journey of ${max} minutes`
    : `${estimate}, more than their longest journey of ${max} minutes`;
}

function evaluate(p: PreparedProfile, pv: PreparedVacancy, today: string): MatchResult {
  const reasons: MatchReason[] = [];
  const { score, excluded, talkThrough } = assess(p, pv, today, reasons);
  return { score, excluded, talkThrough, reasons };
}

// ---- Public functions -------------------------------------------------------------------------

/** The score and reasons for one person's preferences against one vacancy. */
export function scoreMatch(profile: MatchProfile, vacancy: MatchVacancy, options: MatchOptions): MatchResult {
  const p = prepareProfile(profile);
  return evaluate(p, prepareVacancy(vacancy, p, new Map()), options.today);
}

/**
 * The match as someone who may not see the person's convictions should see it: the talk-through
 * flag and its wording would tell them the person has convictions, so both become the neutral
 * note every candidate gets for a role that needs a check. The score is the same either way.
 */
export function withoutConvictionDetail(match: MatchResult): MatchResult {
  if (!match.talkThrough) return match;
  return {
    ...match,
    talkThrough: false,
    reasons: match.reasons.map((r) => (r.kind === 'check' ? { ...r, text: CHECK_TEXT } : r)),
  };
}

export interface RankedVacancy<V extends MatchVacancy> {
  vacancy: V;
  match: MatchResult;
  /** Where the vacancy was in the list given. */
  index: number;
}

export interface RankedPerson<P extends MatchProfile> {
  person: P;
  match: MatchResult;
  /** Where the person was in the list given (the same profile can stand for several people). */
  index: number;
}

/**
 * The scores of one ranking, kept in flat arrays rather than an object per item: ranking 20,000
 * vacancies then allocates almost nothing the garbage collector has to follow.
 */
class Scores {
  count = 0;
  readonly index: Int32Array;
  readonly score: Uint8Array;
  readonly excluded: Uint8Array;
  /** The tie-break after the score, lower first. */
  readonly key: Float64Array;

  constructor(capacity: number) {
    this.index = new Int32Array(capacity);
    this.score = new Uint8Array(capacity);
    this.excluded = new Uint8Array(capacity);
    this.key = new Float64Array(capacity);
  }

  add(index: number, score: number, excluded: boolean, key: number): void {
    const n = this.count++;
    this.index[n] = index;
    this.score[n] = score;
    this.excluded[n] = excluded ? 1 : 0;
    this.key[n] = key;
  }
}

/** Where an item's score puts it: the not excluded first, then the highest score first. */
function groupOf(s: Scores, n: number): number {
  return (s.excluded[n] as number) * 101 + (100 - (s.score[n] as number));
}

/**
 * The indexes of one page of the ranking, in order: by group (see `groupOf`), then `key`, then
 * the order given. Only the groups the page reaches into are sorted, so a page of 20 out of
 * 20,000 costs a count per group and a sort of a few hundred at most.
 */
function rankedPage(s: Scores, options: RankOptions): number[] {
  const from = Math.max(0, options.offset ?? 0);
  const to = options.limit === undefined ? s.count : Math.min(s.count, from + Math.max(0, options.limit));
  if (from >= to) return [];
  if (options.order === 'given') {
    // The caller's order, with the excluded ones (when kept) moved last.
    const inOrder: number[] = [];
    for (const shut of [0, 1]) for (let n = 0; n < s.count; n++) if (s.excluded[n] === shut) inOrder.push(n);
    return inOrder.slice(from, to).map((n) => s.index[n] as number);
  }
  const perGroup = new Int32Array(202);
  for (let n = 0; n < s.count; n++) perGroup[groupOf(s, n)]!++;
  let last = 0;
  for (let seen = 0; last < 202; last++) {
    seen += perGroup[last] as number;
    if (seen >= to) break;
  }
  const chosen: number[] = [];
  for (let n = 0; n < s.count; n++) if (groupOf(s, n) <= last) chosen.push(n);
  chosen.sort((a, b) => groupOf(s, a) - groupOf(s, b) || (s.key[a] as number) - (s.key[b] as number) || a - b);
  return chosen.slice(from, to).map((n) => s.index[n] as number);
}

/** `YYYY-MM-DD` as the number YYYYMMDD, for a quick sort; no date sorts after every date. */
function dayNumber(day: string | null): number {
  if (day === null) return 99_999_999;
  let n = 0;
  for (let i = 0; i < day.length; i++) {
    const c = day.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) n = n * 10 + c;
  }
  return n;
}

/**
 * The vacancies for one person, best match first; equal scores put the soonest closing date
 * first (the one to act on), then keep the order given. Excluded vacancies (closed, or against
 * the person's own limits) are left out unless `includeExcluded`, when they come last.
 */
export function rankVacancies<V extends MatchVacancy>(
  profile: MatchProfile,
  vacancies: readonly V[],
  options: RankOptions,
): RankedVacancy<V>[] {
  return rankVacanciesPage(profile, vacancies, options).items;
}

/** `rankVacancies` with the total, for a page of a long ranking (`offset`, `limit`). */
export function rankVacanciesPage<V extends MatchVacancy>(
  profile: MatchProfile,
  vacancies: readonly V[],
  options: RankOptions,
): RankedPage<RankedVacancy<V>> {
  const p = prepareProfile(profile);
  const folded: FoldCache = new Map();
  const scores = new Scores(vacancies.length);
  // First pass: scores only, keeping nothing else alive (the garbage collector is most of the
  // cost at this size). The reasons are written afterwards, for the results returned.
  for (let index = 0; index < vacancies.length; index++) {
    const pv = preparedOnce(vacancies[index] as V, folded);
    const { score, excluded } = assess(p, pv, options.today, null);
    if (excluded && !options.includeExcluded) continue;
    scores.add(index, score, excluded, pv.closingKey);
  }
  const items = rankedPage(scores, options).map((index) => {
    const vacancy = vacancies[index] as V;
    return { vacancy, match: evaluate(p, preparedOnce(vacancy, folded), options.today), index };
  });
  return { items, total: scores.count };
}

/**
 * The people for one vacancy (the caller passes only its permitted caseload), best match first;
 * equal scores keep the order given. People for whom the vacancy is excluded are left out unless
 * `includeExcluded`, when they come last.
 */
export function rankPeople<P extends MatchProfile>(
  vacancy: MatchVacancy,
  people: readonly P[],
  options: RankOptions,
): RankedPerson<P>[] {
  return rankPeoplePage(vacancy, people, options).items;
}

/** `rankPeople` with the total, for a page of a long ranking (`offset`, `limit`). */
export function rankPeoplePage<P extends MatchProfile>(
  vacancy: MatchVacancy,
  people: readonly P[],
  options: RankOptions,
): RankedPage<RankedPerson<P>> {
  const pv = prepareVacancy(vacancy, null, new Map());
  const scores = new Scores(people.length);
  for (let index = 0; index < people.length; index++) {
    const { score, excluded } = assess(profilePreparedOnce(people[index] as P), pv, options.today, null);
    if (excluded && !options.includeExcluded) continue;
    scores.add(index, score, excluded, 0);
  }
  const items = rankedPage(scores, options).map((index) => {
    const person = people[index] as P;
    return { person, match: evaluate(profilePreparedOnce(person), pv, options.today), index };
  });
  return { items, total: scores.count };
}
