import { describe, expect, it } from 'vitest';
import { pdfPlainText, pdfText } from '../../test/pdf-text.ts';
import { printable } from '../documents/pdf.ts';
import { renderCalculationPdf } from './pdf.ts';
import { type Household, compareScenarios } from './scenarios.ts';
import type { SavedCalculation } from './service.ts';

const HOUSEHOLD: Household = {
  household: 'single',
  ages: [30],
  children: false,
  housingCostsPence: 0,
  benefit: 'uc',
  lcwra: true,
  savingsPence: 0,
};

const JOBS = [8, 16, 30].map((h) => ({ hoursPerWeek: h, hourlyPayPence: 1221, pensionPercent: 0 }));

/** A calculation as the service saves it: scenarios worked out from the household and jobs. */
function saved(household: Household = HOUSEHOLD, notes: string | null = null, jobs = JOBS): SavedCalculation {
  return {
    id: 'calc-1',
    participantId: 'person-1',
    calculatedOn: '2025-10-01',
    taxYear: '2025/26',
    household,
    scenarios: compareScenarios('2025-10-01', household, jobs),
    notes,
    createdByName: 'Pat Coach',
    createdAt: '2025-10-01T10:00:00.000Z',
  };
}

const PERSON = { name: 'Ann Jones' };

describe('the better-off calculation PDF', () => {
  it('shows the person, the rates, each job side by side and the working', async () => {
    const calc = saved();
    expect(calc.scenarios[1]!.result.ucAfterPence).toBe(73400);
    const pdf = await renderCalculationPdf(calc, PERSON, '2025-11-03');
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.toString('latin1')).toContain('(Better off in work? Ann Jones)');
    const lines = pdfText(pdf);
    const text = pdfPlainText(pdf);
    expect(lines).toContain('Better off in work? Ann Jones');
    expect(text).toContain('Worked out on 1 October 2025 with the 2025/26 rates.');
    expect(text).toContain('Prepared by Pat Coach on 3 November 2025.');
    expect(text).toContain('Universal Credit with the limited capability for work and work-related activity element');
    for (const heading of ['8 hours at £12.21', '16 hours at £12.21', '30 hours at £12.21']) expect(lines).toContain(heading);
    // The Universal Credit row reads across the three jobs, 16 hours in the middle.
    const uc = lines.indexOf('Universal Credit with the job');
    expect(uc).toBeGreaterThan(-1);
    expect(lines[uc + 2]).toBe('£734.00');
    expect(lines[uc + 1]).not.toBe('£734.00');
    expect(lines).toContain('Better off by');
    expect(text).toContain('Work allowance: the first £684.00 of take-home pay is ignored');
    expect(text).toContain('How it was worked out');
    expect(text).not.toContain('This needs a full benefits check');
    expect(text).not.toContain('Permitted work?');
    const footers = lines.filter((l) => l.startsWith('Stepwise: a guide, not a decision on benefits. Page '));
    expect(footers[0]).toBe(`Stepwise: a guide, not a decision on benefits. Page 1 of ${footers.length}`);
  });

  it('boxes the reasons for a full benefits check, each once, with the advice to get', async () => {
    const pdf = await renderCalculationPdf(saved({ ...HOUSEHOLD, savingsPence: 1_000_000 }), PERSON, '2025-11-03');
    const text = pdfPlainText(pdf);
    expect(text).toContain('This needs a full benefits check');
    const reason = 'Savings of £10,000.00, over the £6,000.00 lower capital limit';
    expect(text.split(reason)).toHaveLength(2);
    expect(text).toContain('welfare rights adviser before deciding');
    expect(text).toContain('Savings £10,000.00');
  });

  it('says whether each job is permitted work for ESA', async () => {
    const esa = saved({ ...HOUSEHOLD, benefit: 'esa', lcwra: false }, null, [
      { hoursPerWeek: 8, hourlyPayPence: 1221, pensionPercent: 0 },
      { hoursPerWeek: 30, hourlyPayPence: 1221, pensionPercent: 0 },
    ]);
    const lines = pdfText(await renderCalculationPdf(esa, PERSON, '2025-11-03'));
    const row = lines.indexOf('Permitted work?');
    expect(lines.slice(row, row + 3)).toEqual(['Permitted work?', 'Yes', 'No']);
    expect(lines).toContain('Employment and Support Allowance');
  });

  it('says in each column which way a job goes when some leave the person worse off', async () => {
    const calc = saved();
    calc.scenarios[0]!.result.differencePence = -1550;
    const text = pdfPlainText(await renderCalculationPdf(calc, PERSON, '2025-11-03'));
    // The cells wrap in their narrow columns; read across, the row says each job's way.
    expect(text).toContain('Better or worse off Worse off by £15.50 Better off by £757.15 Better off by £1,022.47');
  });

  it('says when no rates were found for the date', async () => {
    const calc = { ...saved(), taxYear: null };
    const text = pdfPlainText(await renderCalculationPdf(calc, PERSON, '2025-11-03'));
    expect(text).toContain('Worked out on 1 October 2025: no rates were found for this date.');
  });

  it('runs long notes onto more pages, with the footer on every page', async () => {
    const notes = Array.from(
      { length: 120 },
      (_, i) => `Point ${i + 1}: Ann’s hours could change after the trial weeks, so check the figures again.`,
    ).join('\n');
    const pdf = await renderCalculationPdf(saved(HOUSEHOLD, notes), PERSON, '2025-11-03');
    const lines = pdfText(pdf);
    const footers = lines.filter((l) => l.startsWith('Stepwise: a guide, not a decision on benefits. Page '));
    expect(footers.length).toBeGreaterThan(1);
    expect(footers).toContain(`Stepwise: a guide, not a decision on benefits. Page 2 of ${footers.length}`);
    // No note is cut: the last one is there in full.
    expect(lines).toContain('Point 120: Ann’s hours could change after the trial weeks, so check the figures again.');
  });

  it('writes a minus as a hyphen and drops accents Helvetica cannot draw', () => {
    expect(printable('−£15.50 for Zoë’s café')).toBe('-£15.50 for Zoë’s café');
    expect(printable('Şahin Łucja')).toBe('Sahin ?ucja');
  });

  it('draws a name with letters Helvetica lacks without breaking the text', async () => {
    const lines = pdfText(await renderCalculationPdf(saved(), { name: 'Łucja Şahin' }, '2025-11-03'));
    expect(lines).toContain('Better off in work? ?ucja Sahin');
  });
});
