import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.ts';
import { auditContext } from '../http/audit-context.ts';
import { linkWith, paginationOf, requestViewer } from '../http/route-helpers.ts';
import { parseInput } from '../http/validate.ts';
import { formatDay } from '../pay/minimum-wage.ts';
import { formatPence } from '../profiles/rules.ts';
import { londonDate } from '../referrals/rules.ts';
import { DAY_BUCKETS, HOURS_BUCKETS, type Period, lastCompleteQuarter, quarterOf, quartersTo } from './outcomes.ts';
import { ReportPeopleQuerySchema, measureOf } from './people-schema.ts';
import { PEOPLE_PAGE_SIZE, hasAnyRecords, listPeople, recordReportViewed } from './people.ts';
import { type ReportQuery, ReportQuerySchema, periodOf } from './schema.ts';
import {
  MEASURES,
  type Measure,
  SPLITS,
  SPLIT_LABELS,
  type ShownCount,
  type ShownDistribution,
  type ShownFigure,
  type ShownGroup,
  type ShownRate,
  type ShownReport,
  type Split,
  outcomeReport,
  present,
  seesPeople,
} from './service.ts';

const INDEX = 'reports/views/index.njk';
const OUTCOMES = 'reports/views/outcomes.njk';
const PEOPLE = 'reports/views/people.njk';

const HIDDEN = 'Hidden (small numbers)';
const NOT_SPLIT = 'Not split this way';

/** The measures in a few small groups, so each table reads at phone width. */
const SECTIONS: readonly { title: string; keys: readonly string[] }[] = [
  {
    title: 'Referrals and engagement',
    keys: ['referrals_accepted', 'people_engaged', 'days_to_first_contact', 'days_to_first_employer_contact'],
  },
  { title: 'Getting into work', keys: ['people_into_work', 'job_starts', 'jobs_without_hours', 'employment_rate'] },
  { title: 'Staying in work', keys: ['in_work_13_weeks', 'in_work_26_weeks', 'in_work_52_weeks'] },
  { title: 'Job quality', keys: ['hours_per_week', 'median_hourly_pay_pence', 'competitive_jobs'] },
  { title: 'Caseload, redundancy and redeployment', keys: ['job_retention_share', 'redundancies', 'redeployments'] },
  { title: 'Supported internships', keys: ['internship_outcomes'] },
];

/** Every measure in a section: any measure added later lands in a last one rather than vanishing. */
function sections(): { title: string; measures: Measure[] }[] {
  const placed = new Set(SECTIONS.flatMap((s) => s.keys));
  const out = SECTIONS.map((s) => ({ title: s.title, measures: s.keys.flatMap((k) => MEASURES.filter((m) => m.key === k)) }));
  const rest = MEASURES.filter((m) => !placed.has(m.key));
  if (rest.length > 0) out.push({ title: 'Other figures', measures: [...rest] });
  return out.filter((s) => s.measures.length > 0);
}

const GROUP_HEADERS: Record<Split, string> = {
  none: 'Group',
  team: 'Team',
  site: 'Site',
  programme: 'Programme',
  practitioner: 'Practitioner',
  employer_type: 'Employer type',
};

const splitItems = SPLITS.map((s) => ({ value: s, text: s === 'none' ? 'Do not split' : SPLIT_LABELS[s] }));

/** `1/7/2026` for `2026-07-01`: how the filter's date boxes show a date. */
function slashDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return `${d}/${m}/${y}`;
}

/** The query string every link from the report keeps: the period and the split. */
function reportParams(period: Period, split: Split) {
  return { from: period.from, to: period.to, split: split === 'none' ? undefined : split };
}

// ---- A figure as the page shows it ---------------------------------------------------------------

interface Num {
  text: string;
  href?: string;
}

type FigureView =
  | { kind: 'count'; num: Num }
  | { kind: 'rate'; hidden: boolean; empty: boolean; numerator: Num; denominator: Num; percent: string | null }
  | {
      kind: 'distribution';
      hidden: boolean;
      empty: boolean;
      median: string | null;
      count: Num;
      unit: string;
      buckets: (Num & { label: string })[];
      notYet: Num & { label: string };
    }
  | { kind: 'text'; text: string };

function figureView(m: Measure, f: ShownFigure | null, peopleHref: (part: string) => string | undefined): FigureView {
  if (f === null) return { kind: 'text', text: NOT_SPLIT };
  const num = (c: ShownCount, part: string): Num => ({
    text: c.hidden === 'could_be_worked_out' ? 'Hidden' : String(c.value),
    href: typeof c.value === 'number' && c.value > 0 && c.people !== null ? peopleHref(part) : undefined,
  });
  switch (m.kind) {
    case 'count':
      return { kind: 'count', num: num(f as ShownCount, 'value') };
    case 'rate': {
      const r = f as ShownRate;
      return {
        kind: 'rate',
        hidden: r.hidden,
        empty: r.denominator.value === 0,
        numerator: num(r.numerator, 'numerator'),
        denominator: num(r.denominator, 'denominator'),
        percent: r.percent === null ? null : `${r.percent}%`,
      };
    }
    case 'days':
    case 'hours': {
      const d = f as ShownDistribution;
      const days = m.kind === 'days';
      const median =
        d.median === null ? null : days ? `${d.median} ${d.median === 1 ? 'day' : 'days'}` : `${d.median} hours a week`;
      return {
        kind: 'distribution',
        hidden: d.hidden,
        empty: d.count.value === 0,
        median,
        count: num(d.count, 'count'),
        unit: days ? 'referrals' : 'jobs',
        buckets: d.buckets.map((b, i) => ({ label: b.label, ...num(b.count, `bucket${i}`) })),
        notYet: { label: days ? 'No contact yet' : 'Hours not recorded', ...num(d.not_yet, 'not_yet') },
      };
    }
    default: {
      const p = f as { value: number | null; hidden: boolean };
      return {
        kind: 'text',
        text: p.hidden ? HIDDEN : p.value === null ? 'No jobs started' : `${formatPence(Math.round(p.value))} an hour`,
      };
    }
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const numHtml = (n: Num): string => (n.href ? `<a href="${escapeHtml(n.href)}">${escapeHtml(n.text)}</a>` : escapeHtml(n.text));

/**
 * A figure's cell as HTML. Written here rather than as a template macro: a split by practitioner
 * has hundreds of rows, and a macro call per cell made the page take seconds.
 */
export function figureHtml(f: FigureView, benchmark: string | null = null): string {
  let html: string;
  switch (f.kind) {
    case 'count':
      html = numHtml(f.num);
      break;
    case 'rate':
      html = f.hidden
        ? HIDDEN
        : f.empty
          ? 'None to count'
          : `${numHtml(f.numerator)} of ${numHtml(f.denominator)}${f.percent ? ` (${escapeHtml(f.percent)})` : ''}`;
      break;
    case 'distribution': {
      const median = f.hidden ? `Median: ${HIDDEN}` : f.median ? `Median ${escapeHtml(f.median)}` : 'None yet';
      const items = [
        ...(f.empty
          ? []
          : [
              `<li>${escapeHtml(f.unit.charAt(0).toUpperCase() + f.unit.slice(1))} with a figure: ${numHtml(f.count)}</li>`,
              ...f.buckets.map((b) => `<li>${escapeHtml(b.label)}: ${numHtml(b)}</li>`),
            ]),
        `<li>${escapeHtml(f.notYet.label)}: ${numHtml(f.notYet)}</li>`,
      ];
      html = `<p class="nhsuk-u-margin-bottom-1">${median}</p><ul class="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-0">${items.join('')}</ul>`;
      break;
    }
    default:
      html = escapeHtml(f.text);
  }
  return benchmark
    ? `${html}<p class="nhsuk-body-s nhsuk-u-margin-top-1 nhsuk-u-margin-bottom-0">${escapeHtml(benchmark)}</p>`
    : html;
}

/** Which page of a split's groups to show. */
const GroupPageSchema = z.object({
  page: z.coerce
    .number({ error: 'Page must be a number' })
    .int('Page must be a whole number')
    .min(1, 'Page must be 1 or more')
    .max(100_000, 'Page is too large')
    .default(1),
});

/** Groups of a split shown on one page of the report. */
export const GROUPS_PAGE_SIZE = 50;

/** The page's tables: the whole report's figures, and each group's when split. */
function reportView(r: ShownReport, groupPage: number) {
  const params = reportParams(r.period, r.split);
  const cellsOf = (g: ShownGroup, measures: Measure[]) =>
    measures.map((m) =>
      figureView(m, g.figures[m.key] ?? null, (part) =>
        linkWith('/reports/outcomes/people', {
          measure: m.key,
          part,
          ...params,
          group: g.key === r.total.key ? undefined : g.key,
        }),
      ),
    );
  const groups = r.groups.slice((groupPage - 1) * GROUPS_PAGE_SIZE, groupPage * GROUPS_PAGE_SIZE);
  return sections().map((s) => {
    const total = cellsOf(r.total, s.measures);
    return {
      title: s.title,
      measures: s.measures.map((m, i) => ({
        key: m.key,
        label: m.label,
        definition: m.definition,
        html: figureHtml(total[i]!, m.benchmark ?? null),
      })),
      groups: groups.map((g) => ({ label: g.label, cells: cellsOf(g, s.measures).map((f) => figureHtml(f)) })),
    };
  });
}

/** Quick links: this quarter so far and the last four complete ones, newest first. */
function quarterLinks(today: string, split: Split) {
  const current = quarterOf(today);
  const complete = quartersTo(lastCompleteQuarter(today).from, 4).reverse();
  return [
    { text: `${current.label} so far (${current.months})`, href: linkWith('/reports/outcomes', reportParams(current, split)) },
    ...complete.map((q) => ({ text: `${q.label} (${q.months})`, href: linkWith('/reports/outcomes', reportParams(q, split)) })),
  ];
}

/** The typed filter values, to show again. */
function typedValues(query: unknown): Record<string, string> {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (k: string) => (typeof q[k] === 'string' ? q[k] : '');
  return { from: text('from'), to: text('to'), split: text('split') || 'none' };
}

// ---- Routes --------------------------------------------------------------------------------------

/** The reports index, the outcome report and the people behind its figures. */
export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/reports', async (request, reply) => {
    const v = requestViewer(request);
    const people = seesPeople(v.role);
    const reports = [
      {
        href: '/reports/outcomes',
        title: 'Outcome report',
        text: people
          ? 'Your team’s IPS outcomes for a quarter or any period: referrals, job starts, the employment rate, time in work and job quality. See the people behind each figure.'
          : 'The whole service’s IPS outcomes for a quarter or any period, with small numbers hidden: referrals, job starts, the employment rate, time in work and job quality.',
      },
      {
        href: '/reports/outcomes/charts',
        title: 'Outcome charts',
        text: 'The outcome figures over the last quarters, as charts.',
      },
      ...(people
        ? [
            {
              href: '/reports/internships',
              title: 'Supported internship outcomes',
              text: 'Interns, graduates and jobs meeting the programme outcome, for each cohort and programme year.',
            },
            {
              href: '/reports/redeployment',
              title: 'Redundancy and redeployment',
              text: 'Redundancies at the host organisation and its suppliers, and where people were redeployed.',
            },
            {
              href: '/reports/workplace-issues',
              title: 'Workplace issues',
              text: 'Issues raised in people’s jobs: who owns them and how they were resolved.',
            },
          ]
        : []),
      {
        href: '/fidelity-reviews',
        title: 'Fidelity reviews',
        text: 'IPS-25 fidelity reviews, their scores and the action plans they produced.',
      },
    ];
    return reply.render(INDEX, { title: 'Reports', reports });
  });

  app.get('/reports/outcomes', async (request, reply) => {
    const v = requestViewer(request);
    const today = londonDate(deps.clock.now());
    const typed = typedValues(request.query);
    const base = {
      title: 'Outcome report',
      columnWidth: 'full',
      splitItems,
      quarterLinks: quarterLinks(today, SPLITS.includes(typed.split as Split) ? (typed.split as Split) : 'none'),
    };
    let query: ReportQuery;
    let groupPage: number;
    try {
      query = parseInput(ReportQuerySchema, request.query);
      groupPage = parseInput(GroupPageSchema, request.query).page;
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.status(400).render(OUTCOMES, { ...base, values: typed, errors: err.fields, invalid: true });
    }
    const period = periodOf(query, today);
    const [report, anything] = await Promise.all([
      outcomeReport(db, { clock: deps.clock }, v, { from: period.from, to: period.to }, query.split),
      hasAnyRecords(db, v),
    ]);
    const shown = present(report);
    await recordReportViewed(db, deps, auditContext(request), shown.period, shown.split, 'page');
    const qs = linkWith('', reportParams(shown.period, shown.split));
    return reply.render(OUTCOMES, {
      ...base,
      values: { from: slashDate(period.from), to: slashDate(period.to), split: query.split },
      periodLabel: period.label,
      asOf: formatDay(shown.asOf),
      scope: shown.scope,
      suppressed: !shown.canSeePeople,
      threshold: shown.threshold,
      split: shown.split,
      groupHeader: GROUP_HEADERS[shown.split],
      empty: !anything,
      sections: reportView(shown, groupPage),
      groupsText:
        shown.groups.length > GROUPS_PAGE_SIZE
          ? `Groups ${Math.min(shown.groups.length, (groupPage - 1) * GROUPS_PAGE_SIZE + 1)} to ${Math.min(shown.groups.length, groupPage * GROUPS_PAGE_SIZE)} of ${shown.groups.length.toLocaleString('en-GB')}`
          : null,
      groupPages: paginationOf(groupPage, shown.groups.length, GROUPS_PAGE_SIZE, (n) =>
        linkWith('/reports/outcomes', { ...reportParams(shown.period, shown.split), page: n === 1 ? undefined : n }),
      ),
      links: {
        charts: `/reports/outcomes/charts${qs}`,
        csv: `/reports/outcomes.csv${qs}`,
        xlsx: `/reports/outcomes.xlsx${qs}`,
        returnCsv: `/reports/outcomes/quarterly-return.csv${qs}`,
        returnXlsx: `/reports/outcomes/quarterly-return.xlsx${qs}`,
      },
    });
  });

  app.get('/reports/outcomes/people', async (request, reply) => {
    const v = requestViewer(request);
    const today = londonDate(deps.clock.now());
    const query = parseInput(ReportQuerySchema, request.query);
    const q = parseInput(ReportPeopleQuerySchema, request.query);
    const measure = measureOf(q.measure)!;
    const period = periodOf(query, today);
    const list = await listPeople(db, deps, auditContext(request), v, {
      measure,
      part: q.part,
      period,
      split: query.split,
      group: q.group,
      page: q.page,
    });
    const params = reportParams(period, query.split);
    const href = (page: number) =>
      linkWith('/reports/outcomes/people', {
        measure: measure.key,
        part: q.part,
        ...params,
        group: list.group.key === 'all' ? undefined : list.group.key,
        page: page === 1 ? undefined : page,
      });
    return reply.render(PEOPLE, {
      title: `${measure.label}: the people behind the figure`,
      backHref: linkWith('/reports/outcomes', params),
      measure,
      partText: partText(measure, q.part),
      groupLabel: list.group.key === 'all' ? null : list.group.label,
      periodLabel: period.label,
      list,
      countText: peopleCountText(list.figure, list.total),
      pages: paginationOf(list.page, list.total, PEOPLE_PAGE_SIZE, href),
    });
  });
}

/** What one count of a measure stands for, in words. */
function partText(m: Measure, part: string): string {
  if (part === 'numerator') return 'The people counted in the rate: the first number in “7 of 18”.';
  if (part === 'denominator') return 'Everyone the rate is worked out over: the second number in “7 of 18”.';
  if (part === 'count')
    return m.kind === 'days' ? 'The people with a figure.' : 'The people whose jobs have their hours recorded.';
  if (part === 'not_yet')
    return m.kind === 'days' ? 'The people with no such contact yet.' : 'The people whose jobs have no hours recorded.';
  const bucket = /^bucket(\d)$/.exec(part);
  const band = bucket ? (m.kind === 'days' ? DAY_BUCKETS : HOURS_BUCKETS)[Number(bucket[1])] : undefined;
  if (band)
    return m.kind === 'days'
      ? `Referrals where it took ${band.label.toLowerCase()}.`
      : `Jobs of ${band.label.toLowerCase()} a week.`;
  return m.definition;
}

function peopleCountText(figure: number, people: number): string {
  const who = `${people} ${people === 1 ? 'person' : 'people'}`;
  // Referrals, jobs and redundancies are counted, not people: someone can stand for more than one.
  return figure > people ? `${who}, behind a figure of ${figure}: one person can count more than once.` : `${who}.`;
}
