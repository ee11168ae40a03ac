import { BLUE, GREY, INK, MARGIN, RULE, printable, startPdf } from '../documents/pdf.ts';
import { dayText } from '../referrals/rules.ts';
import { type CalculationResult, pounds } from './calculation.ts';
import { type Scenario, benefitText, sharedReasons } from './scenarios.ts';
import type { SavedCalculation } from './service.ts';

// A saved better-off calculation as a plain-English A4 PDF, for a job coach to print or hand to
// the person: the household, the jobs side by side, any reason it needs a full benefits check,
// and the working. Written only from what was saved, so it always agrees with the record.

const BODY = 10.5;
const HEADING = 13;

function agesText(ages: readonly number[]): string {
  if (ages.length === 0) return 'Not given';
  if (ages.length === 1) return String(ages[0]);
  return `${ages.slice(0, -1).join(', ')} and ${String(ages.at(-1))}`;
}

/** A job as a column heading: "16 hours at £12.21". */
function jobHeading(s: Scenario): string {
  const h = s.job.hoursPerWeek;
  return `${h} ${h === 1 ? 'hour' : 'hours'} at ${pounds(s.job.hourlyPayPence)}`;
}

interface TableRow {
  label: string;
  cells: string[];
  bold?: boolean;
}

/** The comparison table's rows, a month, one cell per scenario. */
function tableRows(calc: SavedCalculation): TableRow[] {
  const results = calc.scenarios.map((s) => s.result);
  const row = (label: string, value: (r: CalculationResult) => string, bold = false): TableRow => ({
    label,
    cells: results.map(value),
    bold,
  });
  const rows = [
    row('Pay before deductions', (r) => pounds(r.grossPayPence)),
    row('Pension', (r) => pounds(r.pensionPence)),
    row('Income tax', (r) => pounds(r.incomeTaxPence)),
    row('National Insurance', (r) => pounds(r.nationalInsurancePence)),
    row('Take-home pay', (r) => pounds(r.netPayPence), true),
    row('Universal Credit now (before)', (r) => pounds(r.ucBeforePence)),
    row('Universal Credit with the job', (r) => pounds(r.ucAfterPence)),
    row('Income out of work', (r) => pounds(r.totalOutOfWorkPence)),
    row('Income in work', (r) => pounds(r.totalInWorkPence)),
  ];
  // One label when every job goes the same way; otherwise each cell says which way it goes.
  const diffs = results.map((r) => r.differencePence);
  const better = diffs.every((d) => d >= 0);
  const worse = diffs.every((d) => d < 0);
  rows.push({
    label: better ? 'Better off by' : worse ? 'Worse off by' : 'Better or worse off',
    cells: diffs.map((d) =>
      better || worse ? pounds(Math.abs(d)) : `${d >= 0 ? 'Better' : 'Worse'} off by ${pounds(Math.abs(d))}`,
    ),
    bold: true,
  });
  if (calc.household.benefit === 'esa')
    rows.push(row('Permitted work?', (r) => (r.permittedWork === null ? '—' : r.permittedWork ? 'Yes' : 'No')));
  return rows;
}

/**
 * Renders a saved calculation for `person` as an A4 PDF in Helvetica (a standard font: nothing is
 * embedded or fetched), running onto further pages as needed, with "a guide, not a decision"
 * and the page number at the foot of every page.
 */
export async function renderCalculationPdf(
  calc: SavedCalculation,
  person: { name: string },
  preparedOn: string,
): Promise<Buffer> {
  const { doc, left, width, bottom, font, room, say, heading, finish } = await startPdf({
    title: `Better off in work? ${person.name}`,
    body: BODY,
  });

  // Title and who worked it out.
  font(true, 20);
  say(`Better off in work? ${person.name}`);
  doc.moveDown(0.3);
  font(false, BODY, GREY);
  say(
    calc.taxYear
      ? `Worked out on ${dayText(calc.calculatedOn)} with the ${calc.taxYear} rates.`
      : `Worked out on ${dayText(calc.calculatedOn)}: no rates were found for this date.`,
  );
  say(
    calc.createdByName ? `Prepared by ${calc.createdByName} on ${dayText(preparedOn)}.` : `Prepared on ${dayText(preparedOn)}.`,
  );
  doc.moveDown(1);

  // The household.
  const h = calc.household;
  heading('About the household');
  const facts: [string, string][] = [
    ['Household', h.household === 'couple' ? 'Couple' : 'Single'],
    [h.ages.length > 1 ? 'Ages' : 'Age', agesText(h.ages)],
    ['Children', h.children ? 'Yes' : 'No'],
    ['Housing costs a month', h.housingCostsPence > 0 ? pounds(h.housingCostsPence) : 'None'],
    ['Benefit now', benefitText(h)],
    ['Savings', h.savingsPence > 0 ? pounds(h.savingsPence) : 'None'],
  ];
  const keyWidth = 150;
  for (const [key, value] of facts) {
    font(false);
    const rowHeight = doc.heightOfString(printable(value), { width: width - keyWidth - 10 });
    room(rowHeight);
    const y = doc.y;
    font(true).text(key, left, y, { width: keyWidth });
    font(false).text(printable(value), left + keyWidth + 10, y, { width: width - keyWidth - 10 });
    doc.y = y + rowHeight + 3;
  }
  doc.moveDown(1);

  // The jobs side by side.
  heading('Each job compared, a month');
  const labelWidth = 170;
  const columnWidth = Math.min(110, (width - labelWidth) / Math.max(1, calc.scenarios.length));
  const tableWidth = labelWidth + columnWidth * calc.scenarios.length;
  const pad = 4;
  const rowHeight = (label: string, cells: string[], bold: boolean) => {
    font(bold);
    const heights = [
      doc.heightOfString(printable(label), { width: labelWidth - pad * 2 }),
      ...cells.map((c) => doc.heightOfString(printable(c), { width: columnWidth - pad * 2 })),
    ];
    return Math.max(...heights) + pad * 2;
  };
  const drawRow = (label: string, cells: string[], bold: boolean, rule: { colour: string; weight: number }) => {
    const y = doc.y;
    const height = rowHeight(label, cells, bold);
    font(bold).text(printable(label), left + pad, y + pad, { width: labelWidth - pad * 2 });
    cells.forEach((c, i) =>
      doc.text(printable(c), left + labelWidth + columnWidth * i + pad, y + pad, {
        width: columnWidth - pad * 2,
        align: 'right',
      }),
    );
    doc
      .moveTo(left, y + height)
      .lineTo(left + tableWidth, y + height)
      .lineWidth(rule.weight)
      .strokeColor(rule.colour)
      .stroke();
    doc.y = y + height;
  };
  const headings = calc.scenarios.map(jobHeading);
  const header = () => drawRow('', headings, true, { colour: BLUE, weight: 1 });
  room(rowHeight('', headings, true) + rowHeight('Pay before deductions', headings, false));
  header();
  for (const r of tableRows(calc)) {
    // A row carried onto a new page takes the job headings with it.
    if (doc.y + rowHeight(r.label, r.cells, r.bold ?? false) > bottom()) {
      doc.addPage();
      header();
    }
    drawRow(r.label, r.cells, r.bold ?? false, { colour: RULE, weight: 0.5 });
  }
  doc.moveDown(0.5);
  font(false, BODY, GREY);
  say('Each column is a job: hours a week and pay an hour. Every figure is a month.');
  doc.moveDown(1);

  // Cases the calculation cannot cover.
  const reasons = sharedReasons(calc.scenarios);
  if (reasons.length > 0) {
    const inner = width - 24;
    const boxTitle = 'This needs a full benefits check';
    const intro = 'These figures may not be right for this household, because:';
    const advice = 'Get advice from a welfare rights adviser before deciding about a job.';
    font(true, HEADING);
    let boxHeight = doc.heightOfString(boxTitle, { width: inner }) + 24;
    font(false);
    for (const t of [intro, advice, ...reasons.map((r) => `• ${r}`)])
      boxHeight += doc.heightOfString(printable(t), { width: inner }) + 4;
    // A box taller than a page is left unboxed, so its text can flow on rather than be cut.
    const pageRoom = doc.page.height - MARGIN - doc.page.margins.bottom;
    const boxed = boxHeight <= pageRoom;
    if (boxed) room(boxHeight);
    const top = doc.y;
    doc.y = top + 12;
    const x = boxed ? left + 12 : left;
    const w = boxed ? inner : width;
    font(true, HEADING);
    say(boxTitle, x, w);
    doc.moveDown(0.3);
    font(false);
    say(intro, x, w);
    doc.moveDown(0.2);
    for (const r of reasons) {
      say(`• ${r}`, x, w);
      doc.moveDown(0.2);
    }
    font(true);
    say(advice, x, w);
    if (boxed) {
      doc.y = top + boxHeight;
      doc.rect(left, top, width, boxHeight).lineWidth(2).strokeColor(INK).stroke();
    }
    doc.moveDown(1);
  }

  // The working, step by step.
  heading('How it was worked out');
  for (const s of calc.scenarios) {
    heading(jobHeading(s), 11.5);
    s.result.steps.forEach((step, i) => {
      font(false);
      room(doc.heightOfString('Ag', { width }));
      const y = doc.y;
      doc.text(`${i + 1}.`, left, y, { width: 18, lineBreak: false });
      doc.text(printable(step), left + 20, y, { width: width - 20 });
      doc.moveDown(0.2);
    });
    doc.moveDown(0.6);
  }

  if (calc.notes?.trim()) {
    heading('Notes');
    font(false);
    say(calc.notes.trim());
  }

  return finish((page, pages) => `Stepwise: a guide, not a decision on benefits. Page ${page} of ${pages}`);
}
