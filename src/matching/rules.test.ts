import { describe, expect, it } from 'vitest';
import { EMPTY_PROFILE } from '../profiles/rules.ts';
import {
  type MatchProfile,
  type MatchReason,
  type MatchVacancy,
  REASON_KINDS,
  WEIGHTS,
  rankPeople,
  rankPeoplePage,
  rankVacancies,
  rankVacanciesPage,
  scoreMatch,
  withoutConvictionDetail,
} from './rules.ts';

const TODAY = { today: '2026-05-01' };

/** A person with no preferences recorded; each test states only what it is about. */
const person = (over: Partial<MatchProfile> = {}): MatchProfile => ({
  occupations: [],
  hours_per_week_min: null,
  hours_per_week_max: null,
  days: [],
  times: [],
  weekends_ok: null,
  places: [],
  max_travel_minutes: null,
  travel_modes: [],
  lowest_hourly_pay_pence: null,
  has_convictions: false,
  ...over,
});

const vacancy = (over: Partial<MatchVacancy> = {}): MatchVacancy => ({
  title: 'Kitchen porter',
  occupation: 'Catering',
  hours_per_week: null,
  days: [],
  times: [],
  weekends: false,
  hourly_pay_pence: null,
  site_name: null,
  place: null,
  check_required: false,
  closing_date: null,
  ...over,
});

const LEEDS = { lat: 53.7997, lon: -1.5492 };
const BRADFORD = { lat: 53.796, lon: -1.7594 };
const LEEDS_HOSPITAL = { lat: 53.8018, lon: -1.5521 };

const reasonOf = (reasons: MatchReason[], kind: MatchReason['kind']) => reasons.filter((r) => r.kind === kind);

describe('scoreMatch: occupation', () => {
  it('fits the kind of work they asked for, ignoring case and accents', () => {
    const r = scoreMatch(person({ occupations: ['Cafe work'] }), vacancy({ title: 'CAFÉ BARISTA', occupation: null }), TODAY);
    expect(r.score).toBe(100);
    expect(reasonOf(r.reasons, 'occupation')).toEqual([
      { fits: true, kind: 'occupation', text: 'The kind of work they asked for (Cafe work)' },
    ]);
  });

  it('fits on a shared word or a shared stem: kitchen porter and kitchen assistant, cleaning and cleaner', () => {
    expect(scoreMatch(person({ occupations: ['kitchen porter'] }), vacancy({ title: 'Kitchen assistant' }), TODAY).score).toBe(
      100,
    );
    expect(scoreMatch(person({ occupations: ['cleaning'] }), vacancy({ title: 'Domestic cleaner' }), TODAY).score).toBe(100);
    expect(scoreMatch(person({ occupations: ['gardens'] }), vacancy({ title: 'Gardener' }), TODAY).score).toBe(100);
    expect(scoreMatch(person({ occupations: ['catering'] }), vacancy({ title: 'Porter' }), TODAY).score).toBe(100);
    expect(
      scoreMatch(person({ occupations: ['Crèche'] }), vacancy({ title: 'Creche worker', occupation: null }), TODAY).score,
    ).toBe(100);
  });

  it('does not fit on a word that says nothing about the work, or a look-alike word', () => {
    const teaching = scoreMatch(
      person({ occupations: ['teaching assistant'] }),
      vacancy({ title: 'Care assistant', occupation: 'Care' }),
      TODAY,
    );
    expect(teaching.score).toBe(100 - WEIGHTS.occupation);
    expect(reasonOf(teaching.reasons, 'occupation')).toEqual([
      { fits: false, kind: 'occupation', text: 'Not the kind of work they asked for (teaching assistant)' },
    ]);
    expect(
      scoreMatch(person({ occupations: ['care'] }), vacancy({ title: 'Careers adviser', occupation: null }), TODAY).score,
    ).toBe(70);
    expect(
      scoreMatch(person({ occupations: ['transport'] }), vacancy({ title: 'Translator', occupation: null }), TODAY).score,
    ).toBe(70);
  });

  it('still matches a phrase made only of general words', () => {
    expect(scoreMatch(person({ occupations: ['Assistant'] }), vacancy({ title: 'Retail assistant' }), TODAY).score).toBe(100);
  });

  it('says when no kind of work is recorded, without changing the score', () => {
    const r = scoreMatch(person(), vacancy(), TODAY);
    expect(r.score).toBe(100);
    expect(r.reasons).toEqual([{ fits: true, kind: 'occupation', text: 'No preference recorded for the kind of work' }]);
  });
});

describe('scoreMatch: hours', () => {
  it('explains a 16-hour wish against a 37.5-hour vacancy and lowers the score by the whole hours weight', () => {
    const r = scoreMatch(person({ hours_per_week_min: 16, hours_per_week_max: 16 }), vacancy({ hours_per_week: 37.5 }), TODAY);
    expect(reasonOf(r.reasons, 'hours')).toEqual([
      { fits: false, kind: 'hours', text: 'They want 16 hours a week; this job is 37.5' },
    ]);
    expect(r.score).toBe(100 - WEIGHTS.hours);
    expect(r.excluded).toBe(false);
  });

  it('words a range, a floor and a ceiling', () => {
    const text = (min: number | null, max: number | null, h: number) =>
      reasonOf(
        scoreMatch(person({ hours_per_week_min: min, hours_per_week_max: max }), vacancy({ hours_per_week: h }), TODAY).reasons,
        'hours',
      )[0];
    expect(text(16, 24, 20)).toEqual({ fits: true, kind: 'hours', text: 'They want 16 to 24 hours a week; this job is 20' });
    expect(text(16, null, 10)).toEqual({
      fits: false,
      kind: 'hours',
      text: 'They want at least 16 hours a week; this job is 10',
    });
    expect(text(null, 16, 37.5)).toEqual({
      fits: false,
      kind: 'hours',
      text: 'They want up to 16 hours a week; this job is 37.5',
    });
  });

  it('takes off a little for a little over, but never scores 100 with a misfit', () => {
    const r = scoreMatch(person({ hours_per_week_max: 30 }), vacancy({ hours_per_week: 31 }), TODAY);
    expect(r.score).toBe(99);
    expect(reasonOf(r.reasons, 'hours')[0]?.fits).toBe(false);
  });

  it('notes the hours when the person has no hours preference', () => {
    const r = scoreMatch(person(), vacancy({ hours_per_week: 37.5 }), TODAY);
    expect(reasonOf(r.reasons, 'hours')).toEqual([
      { fits: true, kind: 'hours', text: 'No preference recorded for hours; this job is 37.5 a week' },
    ]);
    expect(r.score).toBe(100);
  });
});

describe('scoreMatch: days, times and weekends', () => {
  it('explains a person who wants evenings only against a day job', () => {
    const r = scoreMatch(person({ times: ['evenings'] }), vacancy({ times: ['mornings', 'afternoons'] }), TODAY);
    expect(reasonOf(r.reasons, 'times')).toEqual([
      { fits: false, kind: 'times', text: 'They want evenings only; this is a day job' },
    ]);
    expect(r.score).toBe(100 - WEIGHTS.times);
    expect(r.excluded).toBe(false);
  });

  it('takes off the share of the shift pattern outside the times they want', () => {
    const r = scoreMatch(person({ times: ['mornings', 'afternoons'] }), vacancy({ times: ['afternoons', 'evenings'] }), TODAY);
    expect(reasonOf(r.reasons, 'times')).toEqual([
      { fits: false, kind: 'times', text: 'They want mornings or afternoons; this job is afternoons and evenings' },
    ]);
    expect(r.score).toBe(100 - WEIGHTS.times / 2);
  });

  it('fits times they want and notes evenings or nights when no times are recorded', () => {
    const fits = scoreMatch(person({ times: ['evenings', 'nights'] }), vacancy({ times: ['nights'] }), TODAY);
    expect(reasonOf(fits.reasons, 'times')).toEqual([
      { fits: true, kind: 'times', text: 'They want evenings or nights; this job is nights' },
    ]);
    const none = scoreMatch(person(), vacancy({ times: ['nights'] }), TODAY);
    expect(reasonOf(none.reasons, 'times')).toEqual([
      { fits: true, kind: 'times', text: 'No preference recorded for times of day; this job is nights' },
    ]);
    expect(reasonOf(scoreMatch(person(), vacancy({ times: ['mornings'] }), TODAY).reasons, 'times')).toEqual([]);
  });

  it('explains days the job needs that they have not said they can work', () => {
    const r = scoreMatch(
      person({ days: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
      vacancy({ days: ['thu', 'fri', 'sat', 'sun'], weekends: true }),
      TODAY,
    );
    expect(reasonOf(r.reasons, 'days')).toEqual([
      { fits: false, kind: 'days', text: 'They can work Monday to Friday; this job also needs Saturday and Sunday' },
    ]);
    expect(r.score).toBe(100 - WEIGHTS.days / 2);
    const fits = scoreMatch(person({ days: ['mon', 'wed', 'fri'] }), vacancy({ days: ['mon', 'wed'] }), TODAY);
    expect(reasonOf(fits.reasons, 'days')).toEqual([
      { fits: true, kind: 'days', text: 'On days they can work (Monday and Wednesday)' },
    ]);
  });

  it('lowers the score for weekend work they would rather not do, without excluding it', () => {
    const r = scoreMatch(person({ weekends_ok: false }), vacancy({ days: ['sat'] }), TODAY);
    expect(reasonOf(r.reasons, 'weekends')).toEqual([
      { fits: false, kind: 'weekends', text: 'They would rather not work weekends; this job includes weekends' },
    ]);
    expect(r).toMatchObject({ score: 100 - WEIGHTS.weekends, excluded: false });
    expect(reasonOf(scoreMatch(person({ weekends_ok: false }), vacancy(), TODAY).reasons, 'weekends')[0]?.fits).toBe(true);
    expect(reasonOf(scoreMatch(person({ weekends_ok: true }), vacancy({ weekends: true }), TODAY).reasons, 'weekends')).toEqual([
      { fits: true, kind: 'weekends', text: 'Includes weekends, which they are happy to work' },
    ]);
  });
});

describe('scoreMatch: hard limits the person set, and the closing date', () => {
  it('excludes a job at a time they said they will never work', () => {
    const r = scoreMatch(person({ never_times: ['nights'] }), vacancy({ times: ['evenings', 'nights'] }), TODAY);
    expect(r.excluded).toBe(true);
    expect(reasonOf(r.reasons, 'never_times')).toEqual([
      { fits: false, kind: 'never_times', text: 'They said they will never work nights; this job includes nights' },
    ]);
    expect(scoreMatch(person({ never_times: ['nights'] }), vacancy({ times: ['evenings'] }), TODAY).excluded).toBe(false);
  });

  it('excludes weekend work, by flag or by day, when they said no weekends', () => {
    const byFlag = scoreMatch(person({ no_weekends: true }), vacancy({ weekends: true }), TODAY);
    const byDay = scoreMatch(person({ no_weekends: true }), vacancy({ days: ['fri', 'sun'] }), TODAY);
    for (const r of [byFlag, byDay]) {
      expect(r.excluded).toBe(true);
      expect(reasonOf(r.reasons, 'no_weekends')).toEqual([
        { fits: false, kind: 'no_weekends', text: 'They said no weekend work; this job includes weekends' },
      ]);
    }
    expect(scoreMatch(person({ no_weekends: true }), vacancy({ days: ['mon'] }), TODAY).excluded).toBe(false);
  });

  it('excludes a vacancy past its closing date, and keeps one closing today', () => {
    const closed = scoreMatch(person(), vacancy({ closing_date: '2026-04-30' }), TODAY);
    expect(closed.excluded).toBe(true);
    expect(reasonOf(closed.reasons, 'closed')).toEqual([{ fits: false, kind: 'closed', text: 'Closed on 30 April 2026' }]);
    expect(scoreMatch(person(), vacancy({ closing_date: '2026-05-01' }), TODAY).excluded).toBe(false);
  });

  it('never excludes for a preference, however many misfit', () => {
    const r = scoreMatch(
      person({
        occupations: ['retail'],
        hours_per_week_max: 10,
        times: ['mornings'],
        weekends_ok: false,
        lowest_hourly_pay_pence: 1500,
      }),
      vacancy({ hours_per_week: 40, times: ['nights'], weekends: true, hourly_pay_pence: 1000 }),
      TODAY,
    );
    expect(r.excluded).toBe(false);
    expect(r.score).toBeLessThan(50);
  });
});

describe('scoreMatch: convictions and criminal-record checks', () => {
  const wants = { occupations: ['kitchen'], hours_per_week_max: 20 };
  const needsCheck = vacancy({ check_required: true, hours_per_week: 30 });

  it('marks the match to talk through, without excluding it or changing the score', () => {
    const withConvictions = scoreMatch(person({ ...wants, has_convictions: true }), needsCheck, TODAY);
    const without = scoreMatch(person({ ...wants, has_convictions: false }), needsCheck, TODAY);
    expect(withConvictions.talkThrough).toBe(true);
    expect(withConvictions.excluded).toBe(false);
    expect(withConvictions.score).toBe(without.score);
    expect(reasonOf(withConvictions.reasons, 'check')).toEqual([
      { fits: true, kind: 'check', text: 'Needs a criminal-record check: talk this through with them' },
    ]);
    expect(without.talkThrough).toBe(false);
    expect(reasonOf(without.reasons, 'check')).toEqual([
      { fits: true, kind: 'check', text: 'Needs a criminal-record check (DBS or similar)' },
    ]);
  });

  it('does not mark a role with no check, whatever the person’s history', () => {
    const r = scoreMatch(person({ has_convictions: true }), vacancy({ check_required: false }), TODAY);
    expect(r.talkThrough).toBe(false);
    expect(reasonOf(r.reasons, 'check')).toEqual([]);
  });

  it('hides the conviction detail from someone who may not see it, leaving the score alone', () => {
    const full = scoreMatch(person({ ...wants, has_convictions: true }), needsCheck, TODAY);
    const shown = withoutConvictionDetail(full);
    expect(shown).toEqual(scoreMatch(person({ ...wants, has_convictions: false }), needsCheck, TODAY));
    expect(withoutConvictionDetail(shown)).toBe(shown);
  });
});

describe('scoreMatch: travel, pay and place', () => {
  it('estimates the journey from the straight-line distance and lowers the score when it is too long', () => {
    const r = scoreMatch(
      person({ home: LEEDS, max_travel_minutes: 45, travel_modes: ['bus', 'walk'] }),
      vacancy({ location: BRADFORD }),
      TODAY,
    );
    expect(reasonOf(r.reasons, 'travel')).toEqual([
      {
        fits: false,
        kind: 'travel',
        text: 'About 14 km away in a straight line: an estimated 70 minutes by bus, more than their longest journey of 45 minutes',
      },
    ]);
    expect(r.score).toBeLessThan(100);
    expect(r.score).toBeGreaterThanOrEqual(100 - WEIGHTS.travel);
    expect(r.excluded).toBe(false);
  });

  it('fits a short journey, using their quickest way of travelling', () => {
    const r = scoreMatch(
      person({ home: LEEDS, max_travel_minutes: 20, travel_modes: ['walk', 'bus'] }),
      vacancy({ location: LEEDS_HOSPITAL }),
      TODAY,
    );
    expect(reasonOf(r.reasons, 'travel')).toEqual([
      {
        fits: true,
        kind: 'travel',
        text: 'About 0.3 km away in a straight line: an estimated 5 minutes on foot, within their longest journey of 20 minutes',
      },
    ]);
    expect(r.score).toBe(100);
  });

  it('says when the estimate assumes the bus, or there is no longest journey, and is silent without both places', () => {
    const r = scoreMatch(person({ home: LEEDS }), vacancy({ location: BRADFORD }), TODAY);
    expect(reasonOf(r.reasons, 'travel')[0]?.text).toBe(
      'About 14 km away in a straight line: an estimated 70 minutes by bus (no way of travelling recorded); no longest journey recorded',
    );
    expect(reasonOf(scoreMatch(person({ home: LEEDS, max_travel_minutes: 10 }), vacancy(), TODAY).reasons, 'travel')).toEqual([]);
    expect(
      reasonOf(scoreMatch(person({ max_travel_minutes: 10 }), vacancy({ location: BRADFORD }), TODAY).reasons, 'travel'),
    ).toEqual([]);
  });

  it('explains pay below their lowest acceptable, and fits pay at or above it', () => {
    const below = scoreMatch(person({ lowest_hourly_pay_pence: 1271 }), vacancy({ hourly_pay_pence: 1000 }), TODAY);
    expect(reasonOf(below.reasons, 'pay')).toEqual([
      { fits: false, kind: 'pay', text: '£10.00 an hour is below their lowest of £12.71' },
    ]);
    expect(below.score).toBe(100 - WEIGHTS.pay);
    const atLowest = scoreMatch(person({ lowest_hourly_pay_pence: 1271 }), vacancy({ hourly_pay_pence: 1271 }), TODAY);
    expect(reasonOf(atLowest.reasons, 'pay')).toEqual([
      { fits: true, kind: 'pay', text: '£12.71 an hour, at or above their lowest of £12.71' },
    ]);
    expect(scoreMatch(person({ lowest_hourly_pay_pence: 1271 }), vacancy({ hourly_pay_pence: 1270 }), TODAY).score).toBe(99);
  });

  it('fits the site or place they asked for and explains one they did not', () => {
    const fits = scoreMatch(
      person({ places: ['St James’s', 'Leeds'] }),
      vacancy({ site_name: "St James's University Hospital", place: 'Leeds' }),
      TODAY,
    );
    expect(reasonOf(fits.reasons, 'place')).toEqual([
      { fits: true, kind: 'place', text: 'At a place they asked for (St James’s)' },
    ]);
    const not = scoreMatch(
      person({ places: ['Leeds', 'Wakefield'] }),
      vacancy({ site_name: 'Bradford Royal Infirmary', place: 'Bradford' }),
      TODAY,
    );
    expect(reasonOf(not.reasons, 'place')).toEqual([
      {
        fits: false,
        kind: 'place',
        text: 'At Bradford Royal Infirmary, Bradford, not a place they asked for (Leeds, Wakefield)',
      },
    ]);
    expect(not.score).toBe(100 - WEIGHTS.place);
  });
});

describe('scoreMatch: the score as a whole', () => {
  const everything: MatchProfile = person({
    occupations: ['kitchen porter'],
    hours_per_week_min: 16,
    hours_per_week_max: 24,
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    times: ['mornings', 'afternoons'],
    weekends_ok: false,
    places: ['Leeds'],
    max_travel_minutes: 30,
    travel_modes: ['bus'],
    lowest_hourly_pay_pence: 1221,
    home: LEEDS,
  });
  const ideal = vacancy({
    hours_per_week: 20,
    days: ['mon', 'tue', 'wed'],
    times: ['mornings'],
    hourly_pay_pence: 1300,
    place: 'Leeds',
    location: LEEDS_HOSPITAL,
  });

  it('scores 100 when every stated preference fits, with every reason fitting', () => {
    const r = scoreMatch(everything, ideal, TODAY);
    expect(r.score).toBe(100);
    expect(r.reasons.every((x) => x.fits)).toBe(true);
    expect(r.reasons.map((x) => x.kind)).toEqual(['occupation', 'hours', 'days', 'times', 'weekends', 'travel', 'pay', 'place']);
  });

  it('keeps the weights summing to 100 and reaches 0 when nothing fits', () => {
    expect(Object.values(WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
    const r = scoreMatch(
      everything,
      vacancy({
        title: 'Night security',
        occupation: 'Security',
        hours_per_week: 48,
        days: ['sat', 'sun'],
        times: ['nights'],
        weekends: true,
        hourly_pay_pence: 900,
        place: 'York',
        location: { lat: 53.959, lon: -1.0815 },
      }),
      TODAY,
    );
    expect(r.score).toBe(0);
    expect(r.reasons.filter((x) => !x.fits)).toHaveLength(8);
  });

  it('accepts a stored profile with the extra fields added', () => {
    const stored: MatchProfile = { ...EMPTY_PROFILE, occupations: ['retail'], has_convictions: false };
    expect(scoreMatch(stored, vacancy({ title: 'Retail assistant' }), TODAY).score).toBe(100);
  });

  it('produces every kind of reason across these cases', () => {
    const seen = new Set<string>();
    const cases: [MatchProfile, MatchVacancy][] = [
      [everything, ideal],
      [
        person({ never_times: ['nights'], no_weekends: true, has_convictions: true }),
        vacancy({ times: ['nights'], weekends: true, check_required: true, closing_date: '2026-01-01' }),
      ],
    ];
    for (const [p, v] of cases) for (const reason of scoreMatch(p, v, TODAY).reasons) seen.add(reason.kind);
    expect([...seen].sort()).toEqual([...REASON_KINDS].sort());
  });
});

describe('rankVacancies', () => {
  const p = person({ occupations: ['kitchen'], hours_per_week_max: 20, never_times: ['nights'] });
  const fit = vacancy({ title: 'Kitchen porter A', hours_per_week: 16, closing_date: '2026-06-30' });
  const fitSooner = vacancy({ title: 'Kitchen porter B', hours_per_week: 16, closing_date: '2026-05-10' });
  const fitOpenEnded = vacancy({ title: 'Kitchen porter C', hours_per_week: 16, closing_date: null });
  const longHours = vacancy({ title: 'Kitchen porter D', hours_per_week: 40 });
  const otherWork = vacancy({ title: 'Shop assistant', occupation: 'Retail', hours_per_week: 16 });
  const nights = vacancy({ title: 'Night kitchen porter', times: ['nights'] });
  const closed = vacancy({ title: 'Kitchen porter E', closing_date: '2026-04-01' });
  const all = [otherWork, nights, fit, longHours, closed, fitOpenEnded, fitSooner];

  it('puts the best match first, the soonest closing date first among equals, and leaves out excluded vacancies', () => {
    const ranked = rankVacancies(p, all, TODAY);
    expect(ranked.map((r) => r.vacancy.title)).toEqual([
      'Kitchen porter B',
      'Kitchen porter A',
      'Kitchen porter C',
      'Kitchen porter D',
      'Shop assistant',
    ]);
    expect(ranked.map((r) => r.match.score)).toEqual([100, 100, 100, 85, 70]);
    expect(ranked[0]?.vacancy).toBe(fitSooner);
  });

  it('keeps excluded vacancies, last, when asked', () => {
    const ranked = rankVacancies(p, all, { ...TODAY, includeExcluded: true });
    expect(ranked).toHaveLength(7);
    expect(ranked.slice(-2).map((r) => r.match.excluded)).toEqual([true, true]);
    expect(ranked.slice(0, 5).every((r) => !r.match.excluded)).toBe(true);
  });

  it('returns only the best ones, with the same reasons, when given a limit', () => {
    const top = rankVacancies(p, all, { ...TODAY, limit: 2 });
    expect(top.map((r) => r.vacancy.title)).toEqual(['Kitchen porter B', 'Kitchen porter A']);
    expect(top[0]?.match).toEqual(scoreMatch(p, fitSooner, TODAY));
    expect(rankVacancies(p, [], TODAY)).toEqual([]);
  });
});

describe('rankVacanciesPage', () => {
  const p = person({ occupations: ['kitchen'] });
  const kitchen = (n: number, closing: string | null) => vacancy({ title: `Kitchen porter ${n}`, closing_date: closing });
  const shop = vacancy({ title: 'Shop assistant', occupation: 'Retail', closing_date: '2026-05-02' });
  const closed = kitchen(9, '2026-04-01');
  const all = [kitchen(1, '2026-06-01'), shop, kitchen(2, '2026-05-20'), closed, kitchen(3, null)];

  it('returns the page asked for and counts every ranked vacancy, the excluded ones left out', () => {
    const first = rankVacanciesPage(p, all, { ...TODAY, limit: 2 });
    const second = rankVacanciesPage(p, all, { ...TODAY, limit: 2, offset: 2 });
    expect(first.total).toBe(4);
    expect(first.items.map((r) => r.vacancy.title)).toEqual(['Kitchen porter 2', 'Kitchen porter 1']);
    expect(second.items.map((r) => r.vacancy.title)).toEqual(['Kitchen porter 3', 'Shop assistant']);
    expect(rankVacanciesPage(p, all, { ...TODAY, limit: 2, offset: 4 }).items).toEqual([]);
  });

  it('gives the same order page by page as all at once, ties included', () => {
    const many = Array.from({ length: 53 }, (_, i) =>
      vacancy({
        title: i % 3 === 0 ? `Kitchen porter ${i}` : `Shop assistant ${i}`,
        occupation: i % 3 === 0 ? 'Catering' : 'Retail',
        hours_per_week: [16, 30, 40][i % 3] ?? null,
        closing_date: i % 4 === 0 ? null : `2026-05-${String(10 + (i % 7)).padStart(2, '0')}`,
        times: i % 5 === 0 ? ['nights'] : [],
      }),
    );
    const limited = person({ occupations: ['kitchen'], hours_per_week_max: 30, never_times: ['nights'] });
    for (const includeExcluded of [false, true]) {
      const whole = rankVacancies(limited, many, { ...TODAY, includeExcluded }).map((r) => r.vacancy);
      const paged = [0, 7, 14, 21, 28, 35, 42, 49].flatMap((offset) =>
        rankVacanciesPage(limited, many, { ...TODAY, includeExcluded, offset, limit: 7 }).items.map((r) => r.vacancy),
      );
      expect(paged).toEqual(whole);
      expect(whole).toHaveLength(includeExcluded ? 53 : 42);
    }
  });

  it('keeps the order given when asked, with excluded ones last when kept', () => {
    const given = rankVacanciesPage(p, all, { ...TODAY, order: 'given', includeExcluded: true });
    expect(given.items.map((r) => r.vacancy.title)).toEqual([
      'Kitchen porter 1',
      'Shop assistant',
      'Kitchen porter 2',
      'Kitchen porter 3',
      'Kitchen porter 9',
    ]);
    expect(given.total).toBe(5);
  });
});

describe('rankPeople', () => {
  const job = vacancy({ title: 'Kitchen porter', hours_per_week: 30, times: ['evenings'], check_required: true });
  const ana = { id: 'ana', ...person({ occupations: ['kitchen'], hours_per_week_max: 30 }) };
  const ben = { id: 'ben', ...person({ occupations: ['retail'] }) };
  const cal = { id: 'cal', ...person({ occupations: ['kitchen'], never_times: ['evenings'] }) };
  const dee = { id: 'dee', ...person({ occupations: ['kitchen'], hours_per_week_max: 30, has_convictions: true }) };

  it('puts the best-matched people first, keeps the given order among equals, and leaves out excluded ones', () => {
    const ranked = rankPeople(job, [ben, cal, ana, dee], TODAY);
    expect(ranked.map((r) => r.person.id)).toEqual(['ana', 'dee', 'ben']);
    expect(ranked.find((r) => r.person.id === 'dee')?.match.talkThrough).toBe(true);
    expect(rankPeople(job, [ben, cal, ana, dee], { ...TODAY, includeExcluded: true }).map((r) => r.person.id)).toEqual([
      'ana',
      'dee',
      'ben',
      'cal',
    ]);
  });

  it('pages the people and keeps a name order when asked', () => {
    const page = rankPeoplePage(job, [ben, cal, ana, dee], { ...TODAY, limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, items: [{ person: { id: 'dee' } }] });
    const byName = rankPeoplePage(job, [ana, ben, cal, dee], { ...TODAY, order: 'given' });
    expect(byName.items.map((r) => r.person.id)).toEqual(['ana', 'ben', 'dee']);
  });
});
