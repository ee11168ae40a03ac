import { parseHTML } from 'linkedom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEmployerContact, makeEmployer, makeParticipant, makeReferral, makeTeam, makeUser } from '../../test/factories.ts';
import { type TestApp, createTestApp, signedInAs } from '../../test/test-app.ts';
import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as placements from '../placements/service.ts';
import type { User } from '../users/service.ts';

// The charts page over real records. The test clock stands at 25 November 2026, so the default
// period is 2026/27 Q2 (July to September 2026).

let t: TestApp;
let teamId: string;
let pat: User;

/** A person on `by`'s caseload referred on `accepted`, met by an employer on `contactOn`, starting a 20-hour job on `jobOn`. */
async function referred(by: User, accepted: string, options: { contactOn?: string; jobOn?: string } = {}) {
  const p = await makeParticipant(t.db, t.deps, by);
  await makeReferral(t.db, t.deps, by, p.id, { receivedDate: accepted });
  if (options.contactOn || options.jobOn) {
    const employer = await makeEmployer(t.db, t.deps, by);
    if (options.contactOn) {
      await insertEmployerContact(t.db, t.deps, employer.id, by.id, `${options.contactOn}T10:00:00.000Z`, {
        participant_id: p.id,
      });
    }
    if (options.jobOn) {
      await placements.createPlacement(t.db, t.deps, SYSTEM_CONTEXT, {
        participantId: p.id,
        employerId: employer.id,
        practitionerId: by.id,
        title: 'Porter',
        startDate: options.jobOn,
        hoursPerWeek: 20,
        hourlyPayPence: 1300,
      });
    }
  }
}

beforeAll(async () => {
  t = await createTestApp();
  const team = await makeTeam(t.db, t.deps, 'Riverside');
  teamId = team.id;
  pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId });
  // Q2: seven referrals, six met by an employer within a fortnight, six into work; two earlier referrals.
  for (let i = 0; i < 7; i++) {
    const day = String(1 + i).padStart(2, '0');
    await referred(pat, `2026-07-${day}`, {
      contactOn: i < 6 ? `2026-07-${String(5 + i).padStart(2, '0')}` : undefined,
      jobOn: i < 6 ? `2026-08-${day}` : undefined,
    });
  }
  await referred(pat, '2026-04-14');
  await referred(pat, '2026-01-12');
});
afterAll(async () => {
  await t.close();
});

/** The few DOM features the tests read (the project compiles without the DOM library). */
interface PageNode {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): Iterable<PageNode>;
  remove(): void;
}

interface PageChart {
  id: string;
  svg: PageNode | null;
  /** Mark titles in the SVG (the chart's own title left out). */
  marks: string[];
  /** The table as "row, column: text" for every cell. */
  cells: string[];
}

/** The charts of a page, each with its drawn marks and its table read as a person would. */
function chartsOf(html: string): PageChart[] {
  const { document } = parseHTML(html) as unknown as { document: PageNode };
  return [...document.querySelectorAll('section.stepwise-plot-section')].map((section) => {
    const svg = section.querySelector('svg');
    const marks = svg ? [...svg.querySelectorAll('title')].filter((x) => !x.id).map((x) => x.textContent ?? '') : [];
    const table = section.querySelector('table')!;
    // The responsive table repeats each column's heading inside its cells for small screens.
    for (const h of table.querySelectorAll('.nhsuk-table__heading')) h.remove();
    const head = [...table.querySelectorAll('thead th')].map((th) => (th.textContent ?? '').trim());
    const cells = [...table.querySelectorAll('tbody tr')].flatMap((tr) => {
      const tds = [...tr.querySelectorAll('td, th')].map((td) => (td.textContent ?? '').trim());
      return tds.slice(1).map((text, i) => `${tds[0]}, ${head[i + 1]}: ${text}`);
    });
    return { id: (section.getAttribute('aria-labelledby') ?? '').replace(/-heading$/, ''), svg, marks, cells };
  });
}

describe('the outcome charts page', () => {
  it('draws each chart as an image with a summary, and a table with the same figures', async () => {
    const { browser } = await signedInAs(t, 'practitioner', teamId);
    const res = await browser.get('/reports/outcomes/charts');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Your team: 2026/27 Q2 (July to September 2026).');
    // The content security policy allows no inline styles anywhere on the page.
    expect(res.body).not.toMatch(/<style/i);
    expect(res.body).not.toMatch(/\sstyle=/i);
    const charts = chartsOf(res.body);
    expect(charts.map((c) => c.id)).toEqual(['trend-chart', 'employment-rate-chart', 'employer-contact-chart', 'in-work-chart']);
    for (const c of charts.slice(0, 3)) {
      expect(c.svg?.getAttribute('role'), c.id).toBe('img');
      expect(c.svg?.querySelector('desc')?.textContent?.length, c.id).toBeGreaterThan(20);
      expect(c.marks.length, c.id).toBeGreaterThan(0);
      for (const m of c.marks) expect(c.cells, c.id).toContain(m);
    }
    const trend = charts[0]!;
    expect(trend.marks).toContain('2026/27 Q2, Referrals accepted: 7');
    expect(trend.marks).toContain('2026/27 Q2, People into work: 6');
    expect(trend.marks).toContain('2026/27 Q1, Referrals accepted: 1');
    // Six of the seven met an employer 4 days after referral; one is still waiting.
    const days = charts[2]!;
    expect(days.marks).toContain('0 to 7 days, Referrals: 6');
    expect(days.cells).toContain('No employer contact yet, Referrals: 1');
    // No one reached 13 weeks in a job during Q2: an empty state, but the table is still there.
    const inWork = charts[3]!;
    expect(inWork.svg).toBeNull();
    expect(res.body).toContain('No one reached 13, 26 or 52 weeks in a job during 2026/27 Q2');
    expect(inWork.cells).toContain('13 weeks, Share still in work: No one to count');
  });

  it('hides small numbers from a commissioner, drawing none of them', async () => {
    const { browser } = await signedInAs(t, 'commissioner');
    const res = await browser.get('/reports/outcomes/charts?from=2026-07-01&to=2026-09-30');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('The whole service: 2026/27 Q2');
    expect(res.body).toContain('are shown as “&lt;5”');
    const trend = chartsOf(res.body)[0]!;
    expect(trend.cells).toContain('2026/27 Q1, Referrals accepted: <5 (hidden: small numbers)');
    expect(trend.marks).toContain('2026/27 Q2, Referrals accepted: 7');
    for (const c of chartsOf(res.body)) for (const m of c.marks) expect(m, c.id).not.toMatch(/hidden|</i);
  });

  it('links back to the outcome report with the same filters', async () => {
    const { browser } = await signedInAs(t, 'manager', teamId);
    const res = await browser.get('/reports/outcomes/charts?from=1/7/2026&to=30/9/2026&split=team');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('href="/reports/outcomes?from=2026-07-01&amp;to=2026-09-30&amp;split=team"');
    expect(res.body).toContain('<input type="hidden" name="split" value="team">');
  });

  it('keeps the dates typed and says what is wrong beside the field', async () => {
    const { browser } = await signedInAs(t, 'manager', teamId);
    const res = await browser.get('/reports/outcomes/charts?from=31/2/2026&to=30/9/2026');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('href="#from"');
    expect(res.body).toMatch(/id="from-error"[\s\S]*Start date must be a real date/);
    expect(res.body).toContain('value="31/2/2026"');
  });

  it('says what to do next when there is nothing to draw', async () => {
    const empty = await makeTeam(t.db, t.deps, 'Hillside');
    const { browser } = await signedInAs(t, 'practitioner', empty.id);
    const res = await browser.get('/reports/outcomes/charts');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Nothing to show yet');
    expect(res.body).toContain('The charts fill in as referrals are accepted');
    expect(res.body).not.toContain('stepwise-plot"');
  });

  it('refuses a clinician', async () => {
    const { browser } = await signedInAs(t, 'clinician', teamId);
    expect((await browser.get('/reports/outcomes/charts')).statusCode).toBe(403);
  });
});
