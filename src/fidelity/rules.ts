// The IPS-25 fidelity scale (Supported Employment Fidelity Scale, 2008; UK version by the Centre
// for Mental Health) as data, with the total, the band and the comparison of reviews over time.
//
// The anchor wording below is our own short paraphrase of the published scale, written for
// reviewers who know it. IT MUST BE CHECKED AGAINST THE UK FORM BEFORE RELEASE; the pages say so.

export const SECTIONS = ['staffing', 'organisation', 'services'] as const;
export type Section = (typeof SECTIONS)[number];
export const SECTION_LABELS: Record<Section, string> = {
  staffing: 'Staffing',
  organisation: 'Organisation',
  services: 'Services',
};

export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];

export function isScore(value: unknown): value is Score {
  return typeof value === 'number' && (SCORES as readonly number[]).includes(value);
}

export interface FidelityItem {
  /** 1 to 25. */
  item: number;
  section: Section;
  name: string;
  /** What is being rated, in a sentence. */
  about: string;
  /** What each score means, 1 (lowest) to 5 (highest). */
  anchors: Record<Score, string>;
}

const item = (n: number, section: Section, name: string, about: string, anchors: [string, string, string, string, string]) => ({
  item: n,
  section,
  name,
  about,
  anchors: { 1: anchors[0], 2: anchors[1], 3: anchors[2], 4: anchors[3], 5: anchors[4] },
});

export const ITEMS: readonly FidelityItem[] = [
  item(1, 'staffing', 'Caseload size', 'People on the caseload of each full-time employment specialist.', [
    '41 or more people per full-time specialist',
    '31 to 40',
    '26 to 30',
    '21 to 25',
    '20 or fewer',
  ]),
  item(2, 'staffing', 'Employment services staff', 'The share of specialists’ time spent on employment work, not other duties.', [
    'Under 60% of their time',
    '60% to 74%',
    '75% to 89%',
    '90% to 95%',
    '96% or more',
  ]),
  item(
    3,
    'staffing',
    'Vocational generalists',
    'Each specialist does every phase: engagement, assessment, job finding and in-work support.',
    [
      'Specialists only refer people on to other services',
      'They keep a caseload but hand most phases to others',
      'They do three of the phases themselves',
      'They do four of the phases themselves',
      'They do every phase themselves',
    ],
  ),
  item(
    4,
    'organisation',
    'Integration with mental-health treatment through team assignment',
    'Specialists are attached to one or two clinical teams that refer most of their caseload.',
    [
      'Specialists are not part of any clinical team',
      'Attached to teams that refer under half the caseload',
      'Attached to teams that refer 50% to 74% of the caseload',
      'Attached to teams that refer 75% to 89% of the caseload',
      'Attached to one or two teams that refer 90% or more of the caseload',
    ],
  ),
  item(
    5,
    'organisation',
    'Integration through frequent team member contact',
    'Specialists attend clinical team meetings, share decisions and records, and work near the team.',
    [
      'One or none of these happen',
      'Two of them happen',
      'Three of them happen',
      'Four of them happen',
      'All five happen: weekly meetings, active part in them, shared decisions, shared records, office near the team',
    ],
  ),
  item(
    6,
    'organisation',
    'Collaboration with Jobcentre Plus and external employment programmes',
    'Regular contact about shared clients with Jobcentre Plus work coaches and other employment programmes.',
    [
      'Contact about shared clients less than every three months',
      'Contact about every three months',
      'Contact about every two months',
      'Monthly contact about shared clients',
      'Monthly meetings and frequent contact in between',
    ],
  ),
  item(
    7,
    'organisation',
    'Vocational unit',
    'At least two specialists and a team leader work as a unit, with weekly group supervision and cover for each other.',
    [
      'Specialists are not part of a unit',
      'A unit exists but rarely meets',
      'A unit meets less than weekly',
      'A unit meets weekly but does not cover each other’s caseloads',
      'A unit with weekly group supervision that covers each other’s caseloads',
    ],
  ),
  item(
    8,
    'organisation',
    'Role of the employment supervisor',
    'A supervisor who leads the unit, supervises weekly, reviews outcomes and promotes IPS.',
    [
      'One or none of the supervisor’s five duties is in place',
      'Two are in place',
      'Three are in place',
      'Four are in place',
      'All five are in place',
    ],
  ),
  item(
    9,
    'organisation',
    'Zero exclusion criteria',
    'Everyone who wants to work is accepted, whatever their diagnosis, history, convictions or benefits.',
    [
      'People are screened out as not ready or for their history',
      'Some formal criteria still keep people out',
      'Few criteria, but staff still judge readiness',
      'No formal criteria, and most staff encourage referrals',
      'No criteria at all; everyone interested is eligible and referrals are encouraged',
    ],
  ),
  item(
    10,
    'organisation',
    'Agency focus on competitive employment',
    'The wider service shows that paid work is expected and valued.',
    [
      'One or none of the five ways of promoting work is used',
      'Two are used',
      'Three are used',
      'Four are used',
      'All five are used (asking about work, displays, success stories, outcome figures shared, people in work invited to speak)',
    ],
  ),
  item(
    11,
    'organisation',
    'Executive team support',
    'Senior leaders back IPS: in plans, money, quality review and solving problems.',
    [
      'One or none of the five kinds of support is in place',
      'Two are in place',
      'Three are in place',
      'Four are in place',
      'All five are in place',
    ],
  ),
  item(
    12,
    'services',
    'Work incentives planning (benefits counselling)',
    'Everyone gets personal, accurate advice on how work affects their benefits before starting a job.',
    [
      'No benefits advice is offered',
      'People are told to find advice themselves',
      'Some people get advice, not always personal or accurate',
      'Most people get personal advice before starting a job',
      'Everyone is offered full, personal benefits planning before starting a job',
    ],
  ),
  item(
    13,
    'services',
    'Disclosure',
    'Specialists give clear information about telling an employer about a condition, and help each person decide.',
    [
      'None of the three parts of disclosure support happen',
      'One part happens',
      'Two parts happen',
      'All three happen for most people',
      'All three happen for everyone, and disclosure is revisited as needed',
    ],
  ),
  item(
    14,
    'services',
    'Ongoing, work-based vocational assessment',
    'Assessment comes from real work experience and keeps the vocational profile up to date.',
    [
      'Assessment is by tests or work in sheltered settings',
      'Mostly tests, some work experience',
      'A profile is written at the start but rarely updated',
      'The profile is updated from most work experiences',
      'Assessment is ongoing, from every job, and the profile is kept up to date',
    ],
  ),
  item(
    15,
    'services',
    'Rapid search for a competitive job',
    'Average time from accepting a referral to the first face-to-face contact with an employer about a job.',
    ['More than 120 days on average', '91 to 120 days', '61 to 90 days', '31 to 60 days', 'Within 30 days on average'],
  ),
  item(
    16,
    'services',
    'Individualised job search',
    'Employer contacts follow each person’s preferences and strengths, not the job market alone.',
    [
      'Contacts are driven by what jobs are easy to get',
      'About a quarter follow people’s preferences',
      'About half follow people’s preferences',
      'Most follow people’s preferences',
      'Nearly all follow people’s preferences, which change with experience',
    ],
  ),
  item(
    17,
    'services',
    'Job development: frequent employer contact',
    'Face-to-face contacts with employers each week, per specialist.',
    ['2 or fewer a week', '3 a week', '4 a week', '5 a week', '6 or more a week'],
  ),
  item(
    18,
    'services',
    'Job development: quality of employer contact',
    'Specialists build relationships with employers over several visits, learning their needs.',
    [
      'Specialists meet employers only to drop off applications',
      'Contact is mostly by phone or one visit',
      'Some relationship building, often not about a person',
      'Relationships built over visits for most people',
      'Relationships built over several visits, learning the employer’s needs and offering what IPS can',
    ],
  ),
  item(19, 'services', 'Diversity of job types', 'People get different kinds of jobs, not the same few.', [
    'Under 60% of jobs are of a type no one else got',
    '60% to 69%',
    '70% to 79%',
    '80% to 89%',
    '90% or more',
  ]),
  item(20, 'services', 'Diversity of employers', 'People work for many different employers.', [
    'Under 60% of jobs are with an employer no one else went to',
    '60% to 69%',
    '70% to 79%',
    '80% to 89%',
    '90% or more',
  ]),
  item(
    21,
    'services',
    'Competitive jobs',
    'Jobs paying at least the minimum wage, open to anyone, not set aside for disabled people.',
    ['Under 65% of jobs are competitive', '65% to 74%', '75% to 84%', '85% to 94%', '95% or more'],
  ),
  item(
    22,
    'services',
    'Individualised follow-along supports',
    'In-work support fits the person and the job, and includes the employer when the person agrees.',
    [
      'Little or no in-work support',
      'The same support for everyone',
      'Some personal support, rarely with the employer',
      'Personal support for most people, with the employer where agreed',
      'Personal support for everyone, with the employer where agreed, and help with career steps',
    ],
  ),
  item(
    23,
    'services',
    'Time-unlimited follow-along supports',
    'People in work get support at least monthly for as long as they want it.',
    [
      'Under 25% of people in work get support every month',
      '25% to 49%',
      '50% to 74%',
      '75% to 89%',
      '90% or more get support every month',
    ],
  ),
  item(24, 'services', 'Community-based services', 'Work with people happens in the community, not in the office.', [
    'Under 20% of contact time is outside the office',
    '20% to 34%',
    '35% to 49%',
    '50% to 64%',
    '65% or more',
  ]),
  item(
    25,
    'services',
    'Assertive engagement and outreach by the integrated team',
    'The team keeps reaching out to people who drop out of contact.',
    [
      'One or none of the five outreach practices happen',
      'Two happen',
      'Three happen',
      'Four happen',
      'All five happen (no closing for missed appointments, planned outreach, early outreach, recorded attempts, the clinical team involved)',
    ],
  ),
];

export const ITEM_COUNT = 25;

export function itemInfo(n: number): FidelityItem {
  const found = ITEMS[n - 1];
  if (!found || found.item !== n) throw new Error(`No IPS-25 item ${n}`);
  return found;
}

export function itemsOf(section: Section): readonly FidelityItem[] {
  return ITEMS.filter((i) => i.section === section);
}

export function isSection(value: unknown): value is Section {
  return typeof value === 'string' && (SECTIONS as readonly string[]).includes(value);
}

// ---- Total and band ----------------------------------------------------------------------------

export const BANDS = ['exemplary', 'good', 'fair', 'not_ips'] as const;
export type Band = (typeof BANDS)[number];
export const BAND_LABELS: Record<Band, string> = {
  exemplary: 'Exemplary fidelity',
  good: 'Good fidelity',
  fair: 'Fair fidelity',
  not_ips: 'Not IPS',
};
export const BAND_RANGES: Record<Band, string> = {
  exemplary: '115 to 125',
  good: '100 to 114',
  fair: '74 to 99',
  not_ips: '73 or below',
};

/** The band a total falls in (100 = good and 74 = fair confirmed; 115 and 73 are the published scale's). */
export function bandOf(total: number): Band {
  if (total >= 115) return 'exemplary';
  if (total >= 100) return 'good';
  if (total >= 74) return 'fair';
  return 'not_ips';
}

export interface ScoreSummary {
  scored: number;
  /** The sum of the 25 scores; null until every item is scored. */
  total: number | null;
  band: Band | null;
  /** "Total 104 of 125" or "18 of 25 scored". */
  text: string;
}

/** Total and band of a review's scores (any order); a partial review has neither. */
export function summarise(scores: readonly (number | null)[]): ScoreSummary {
  const given = scores.filter((s): s is number => s !== null);
  const scored = given.length;
  if (scored < ITEM_COUNT) return { scored, total: null, band: null, text: `${scored} of ${ITEM_COUNT} scored` };
  const total = given.reduce((a, b) => a + b, 0);
  return { scored, total, band: bandOf(total), text: `Total ${total} of 125` };
}

// ---- Comparing reviews over time ---------------------------------------------------------------

export type Direction = 'up' | 'down' | 'same';

export interface ComparedReview {
  id: string;
  reviewDate: string;
  /** The reviewer's score per item number. */
  scores: ReadonlyMap<number, number | null>;
}

export interface ItemChange {
  from: number;
  to: number;
  delta: number;
  direction: Direction;
}

export interface ComparisonRow {
  item: number;
  name: string;
  section: Section;
  /** One per review, in the order given. */
  scores: (number | null)[];
  /** The latest review's score against the one before it; null when either is unscored. */
  change: ItemChange | null;
}

export function changeBetween(from: number | null, to: number | null): ItemChange | null {
  if (from === null || to === null) return null;
  const delta = to - from;
  return { from, to, delta, direction: delta > 0 ? 'up' : delta < 0 ? 'down' : 'same' };
}

/** Item by item across reviews (oldest first), with the change from the previous review to the latest. */
export function compareReviews(reviews: readonly ComparedReview[]): ComparisonRow[] {
  const last = reviews[reviews.length - 1];
  const previous = reviews.length > 1 ? reviews[reviews.length - 2] : undefined;
  return ITEMS.map((i) => ({
    item: i.item,
    name: i.name,
    section: i.section,
    scores: reviews.map((r) => r.scores.get(i.item) ?? null),
    change: last && previous ? changeBetween(previous.scores.get(i.item) ?? null, last.scores.get(i.item) ?? null) : null,
  }));
}

// ---- Scores proposed from the records ----------------------------------------------------------

/**
 * How a figure from the records maps onto a score. `cuts` holds the figure needed for 5, 4, 3
 * and 2 (inclusive); anything worse scores 1. Only caseload size is confirmed against our
 * sources (../shared/domain.md); the rest are kept here as data and shown as proposals the
 * reviewer decides on.
 */
export interface ProposalScale {
  item: number;
  direction: 'lower_better' | 'higher_better';
  cuts: readonly [number, number, number, number];
  confirmed: boolean;
}

export const PROPOSAL_SCALES = {
  caseload: { item: 1, direction: 'lower_better', cuts: [20, 25, 30, 40], confirmed: true },
  rapidSearch: { item: 15, direction: 'lower_better', cuts: [30, 60, 90, 120], confirmed: false },
  employerContact: { item: 17, direction: 'higher_better', cuts: [6, 5, 4, 3], confirmed: false },
  jobTypes: { item: 19, direction: 'higher_better', cuts: [90, 80, 70, 60], confirmed: false },
  employers: { item: 20, direction: 'higher_better', cuts: [90, 80, 70, 60], confirmed: false },
  competitive: { item: 21, direction: 'higher_better', cuts: [95, 85, 75, 65], confirmed: false },
  followAlong: { item: 23, direction: 'higher_better', cuts: [90, 75, 50, 25], confirmed: false },
  community: { item: 24, direction: 'higher_better', cuts: [65, 50, 35, 20], confirmed: false },
} as const satisfies Record<string, ProposalScale>;

/** The items a score can be proposed for from the records. */
export const PROPOSED_ITEMS: ReadonlySet<number> = new Set(Object.values(PROPOSAL_SCALES).map((s) => s.item));

/** The items whose proposal anchors are not confirmed against our sources. */
export const UNCONFIRMED_ITEMS: ReadonlySet<number> = new Set(
  Object.values(PROPOSAL_SCALES)
    .filter((s) => !s.confirmed)
    .map((s) => s.item),
);

/** The score a figure earns on a scale. */
export function scoreOn(scale: ProposalScale, value: number): Score {
  const [c5, c4, c3, c2] = scale.cuts;
  const meets = (cut: number) => (scale.direction === 'lower_better' ? value <= cut : value >= cut);
  if (meets(c5)) return 5;
  if (meets(c4)) return 4;
  if (meets(c3)) return 3;
  if (meets(c2)) return 2;
  return 1;
}

/** Item 1: average caseload per full-time specialist. */
export const scoreCaseload = (perFullTime: number): Score => scoreOn(PROPOSAL_SCALES.caseload, perFullTime);
/** Item 15: mean days from accepting a referral to the first face-to-face employer contact. */
export const scoreRapidSearch = (meanDays: number): Score => scoreOn(PROPOSAL_SCALES.rapidSearch, meanDays);
/** Item 17: face-to-face employer contacts a week per specialist. */
export const scoreEmployerContact = (perWeek: number): Score => scoreOn(PROPOSAL_SCALES.employerContact, perWeek);
/** Item 19: percent of job starts with a job title no other start shares. */
export const scoreJobTypes = (percent: number): Score => scoreOn(PROPOSAL_SCALES.jobTypes, percent);
/** Item 20: percent of job starts with an employer no other start shares. */
export const scoreEmployers = (percent: number): Score => scoreOn(PROPOSAL_SCALES.employers, percent);
/** Item 21: percent of job starts that are competitive. */
export const scoreCompetitive = (percent: number): Score => scoreOn(PROPOSAL_SCALES.competitive, percent);
/** Item 23: percent of people in work who had in-work support every month. */
export const scoreFollowAlong = (percent: number): Score => scoreOn(PROPOSAL_SCALES.followAlong, percent);
/** Item 24: percent of contact time outside the office. */
export const scoreCommunity = (percent: number): Score => scoreOn(PROPOSAL_SCALES.community, percent);

/** Figures are scored as shown: rounded to one decimal place. */
export function oneDecimal(value: number): number {
  return Math.round(value * 10) / 10;
}
