import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { pdfText } from '../../test/pdf-text.ts';
import { claimCsv, claimDayText, claimFileName, claimPdf } from './export.ts';
import { claimSums } from './rules.ts';

// A claim as the service holds it: lines and totals in whole minutes and pence from claimSums.
function claimOf(
  contacts: { startedAt: string; durationMinutes: number }[],
  ratePence: number,
  status: 'draft' | 'submitted' = 'submitted',
) {
  const sums = claimSums(
    contacts.map((c, i) => ({ id: String(i), ...c })),
    ratePence,
  );
  return {
    awardReference: 'ATW-2026-0042',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    status,
    hourlyRatePence: ratePence,
    lines: sums.lines,
    totalMinutes: sums.totalMinutes,
    totalPence: sums.totalPence,
    submittedAt: status === 'draft' ? null : '2026-11-03T10:00:00.000Z',
  };
}

/** The rows of a CSV file; the header rows are shorter than the table's. */
function csvRows(csv: string): string[][] {
  return parse(csv, { relax_column_count: true });
}

const FACTS = { personName: 'Ann Jones', coachName: 'Pat Coach' };

// 20 minutes at £12.71 an hour is 423.67p: the line rounds half up to 424p, and 60 + 20 + 90
// minutes come to 1271 + 424 + 1907 = 3602p. Adding unrounded amounts would give 3601.8p.
const OCTOBER = [
  { startedAt: '2026-10-06T09:00:00Z', durationMinutes: 60 },
  { startedAt: '2026-10-13T09:00:00Z', durationMinutes: 20 },
  { startedAt: '2026-10-20T13:00:00Z', durationMinutes: 90 },
];

describe('the claim CSV', () => {
  it('parses back to the claim’s days, hours and pence, with the total equal to the sum of the lines', () => {
    const claim = claimOf(OCTOBER, 1271);
    const rows = csvRows(claimCsv(claim, FACTS));
    expect(rows[0]).toEqual(['Access to Work claim']);
    expect(rows).toContainEqual(['Person', 'Ann Jones']);
    expect(rows).toContainEqual(['Award reference', 'ATW-2026-0042']);
    expect(rows).toContainEqual(['Period', '2026-10-01', '2026-10-31']);
    expect(rows).toContainEqual(['Hourly rate (£)', '12.71']);
    expect(rows).toContainEqual(['Status', 'Submitted']);
    const header = rows.findIndex((r) => r[0] === 'Date');
    expect(rows[header]).toEqual(['Date', 'Hours', 'Hourly rate (£)', 'Amount (£)']);
    const lines = rows.slice(header + 1, -1);
    expect(lines).toEqual([
      ['2026-10-06', '1.00', '12.71', '12.71'],
      ['2026-10-13', '0.33', '12.71', '4.24'],
      ['2026-10-20', '1.50', '12.71', '19.07'],
    ]);
    expect(rows.at(-1)).toEqual(['Total', '2.83', '', '36.02']);
    // The pounds written are the claim's own pence, to the penny.
    const pence = (s: string) => Number(s.replace('.', ''));
    expect(lines.reduce((s, l) => s + pence(l[3]!), 0)).toBe(claim.totalPence);
    expect(pence(rows.at(-1)![3]!)).toBe(3602);
  });

  it('splits a contact that runs past midnight between the two days', () => {
    const claim = claimOf([{ startedAt: '2026-10-09T22:30:00Z', durationMinutes: 120 }], 1500);
    const rows = csvRows(claimCsv(claim, FACTS));
    const header = rows.findIndex((r) => r[0] === 'Date');
    // 23:30 to 01:30 London time (BST): 30 minutes on the 9th, 90 on the 10th.
    expect(rows.slice(header + 1)).toEqual([
      ['2026-10-09', '0.50', '15.00', '7.50'],
      ['2026-10-10', '1.50', '15.00', '22.50'],
      ['Total', '2.00', '', '30.00'],
    ]);
  });

  it('stops a name or reference typed as a formula from running in a spreadsheet', () => {
    const claim = { ...claimOf(OCTOBER, 1271), awardReference: '=HYPERLINK("http://example.org")' };
    const rows = csvRows(claimCsv(claim, { personName: '+Ann', coachName: null }));
    expect(rows).toContainEqual(['Person', "'+Ann"]);
    expect(rows).toContainEqual(['Award reference', `'=HYPERLINK("http://example.org")`]);
  });

  it('says a draft is a draft', () => {
    const rows = csvRows(claimCsv(claimOf(OCTOBER, 1271, 'draft'), FACTS));
    expect(rows).toContainEqual(['Status', 'Draft']);
  });
});

describe('the claim PDF', () => {
  it('is a PDF with the title, the person, each day and the total in pounds', async () => {
    const pdf = await claimPdf(claimOf(OCTOBER, 1271), FACTS, { compress: false });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Access to Work claim');
    expect(text).toContain('Ann Jones');
    expect(text).toContain('ATW-2026-0042');
    expect(text).toContain('1 October 2026 to 31 October 2026');
    expect(text).toContain('Tue 13 October 2026');
    expect(text).toContain('0.33');
    expect(text).toContain('£4.24');
    expect(text).toContain('£12.71');
    expect(text).toContain('£36.02');
    expect(text).toContain('Page 1 of 1');
  });

  it('runs a long claim onto more pages, repeating the table header, with one total', async () => {
    // Support every day from 1 October 2026 to 31 March 2027 (one claim period stretched wide).
    const contacts = Array.from({ length: 182 }, (_, i) => ({
      startedAt: new Date(Date.UTC(2026, 9, 1 + i, 12)).toISOString(),
      durationMinutes: 50,
    }));
    const claim = claimOf(contacts, 1729);
    expect(claim.lines).toHaveLength(182);
    const text = pdfText(await claimPdf(claim, FACTS, { compress: false }));
    const pages = text.filter((t) => /^Page \d+ of \d+$/.test(t));
    expect(pages.length).toBeGreaterThan(3);
    expect(pages).toContain(`Page ${pages.length} of ${pages.length}`);
    // The 'Amount' column heading is drawn once at the top of the table on every page.
    expect(text.filter((t) => t === 'Amount')).toHaveLength(pages.length);
    expect(text.filter((t) => t === 'Access to Work claim, continued')).toHaveLength(pages.length - 1);
    expect(text.filter((t) => t === 'Total')).toHaveLength(1);
    expect(text).toContain('Wed 31 March 2027');
    // 182 days of 50 minutes at £17.29: 1441p a day (1440.83 rounded up), £2,622.62 in all.
    expect(claim.totalPence).toBe(182 * 1441);
    expect(text).toContain('£2,622.62');
  });

  it('is compressed by default and marks a draft in its title', async () => {
    const pdf = await claimPdf(claimOf(OCTOBER, 1271, 'draft'), FACTS);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('/FlateDecode');
    const plain = await claimPdf(claimOf(OCTOBER, 1271, 'draft'), FACTS, { compress: false });
    expect(pdfText(plain)).toContain('Access to Work claim (draft)');
  });
});

describe('claim file names and dates', () => {
  it('names a calendar month by the month and any other period by its dates', () => {
    expect(claimFileName({ periodStart: '2026-10-01', periodEnd: '2026-10-31', status: 'submitted' }, 'csv')).toBe(
      'access-to-work-claim-2026-10.csv',
    );
    expect(claimFileName({ periodStart: '2026-10-05', periodEnd: '2026-10-31', status: 'paid' }, 'pdf')).toBe(
      'access-to-work-claim-2026-10-05-to-2026-10-31.pdf',
    );
    expect(claimFileName({ periodStart: '2026-02-01', periodEnd: '2026-02-28', status: 'draft' }, 'pdf')).toBe(
      'access-to-work-claim-2026-02-draft.pdf',
    );
  });

  it('writes a day with its weekday', () => {
    expect(claimDayText('2026-11-03')).toBe('Tue 3 November 2026');
  });
});
