import { loadPdfKit } from '../documents/load.ts';
import { stringify } from 'csv-stringify/sync';
import { dayText } from '../referrals/rules.ts';
import { CLAIM_STATUS_LABELS, minutesAsHours, poundsPlain, poundsText } from './rules.ts';
import type { Claim } from './service.ts';

// A claim as a CSV file and as a printable PDF. Both are written from the claim's own lines and
// totals in whole pence, so they always agree with each other and with the claim page.

/** What a claim export says about it besides its lines. */
export interface ClaimFacts {
  /** The person's name as on their award. */
  personName: string;
  /** The coach or support worker who gave the support, when known. */
  coachName: string | null;
}

type ClaimForExport = Pick<
  Claim,
  | 'awardReference'
  | 'periodStart'
  | 'periodEnd'
  | 'status'
  | 'hourlyRatePence'
  | 'lines'
  | 'totalMinutes'
  | 'totalPence'
  | 'submittedAt'
>;

const weekday = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'short' });

/** A day of support as a claim shows it: "Tue 3 November 2026". */
export function claimDayText(day: string): string {
  return `${weekday.format(new Date(`${day}T00:00:00Z`))} ${dayText(day)}`;
}

/** The claim's period in words: "1 October 2026 to 31 October 2026". */
export function periodText(claim: Pick<Claim, 'periodStart' | 'periodEnd'>): string {
  return `${dayText(claim.periodStart)} to ${dayText(claim.periodEnd)}`;
}

/** A download's file name: access-to-work-claim-2026-10.csv for a calendar month, else both dates; drafts say so. */
export function claimFileName(claim: Pick<Claim, 'periodStart' | 'periodEnd' | 'status'>, extension: 'csv' | 'pdf'): string {
  const month = claim.periodStart.slice(0, 7);
  const wholeMonth = claim.periodStart.endsWith('-01') && claim.periodEnd.slice(0, 7) === month && isLastOfMonth(claim.periodEnd);
  const period = wholeMonth ? month : `${claim.periodStart}-to-${claim.periodEnd}`;
  const safe = period.replace(/[^0-9a-z-]/g, '');
  return `access-to-work-claim-${safe}${claim.status === 'draft' ? '-draft' : ''}.${extension}`;
}

function isLastOfMonth(day: string): boolean {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.getUTCDate() === 1;
}

/** A text cell a spreadsheet must not run as a formula (names and references are typed by people). */
function textCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The claim as CSV: rows naming the person, award reference, period, rate and status; then one
 * row per day of support (Date, Hours, Hourly rate (£), Amount (£)) and a Total row. Money is
 * written from whole pence.
 */
export function claimCsv(claim: ClaimForExport, facts: ClaimFacts): string {
  const rate = poundsPlain(claim.hourlyRatePence);
  const rows: string[][] = [
    ['Access to Work claim'],
    ['Person', textCell(facts.personName)],
    ['Award reference', textCell(claim.awardReference ?? 'Not recorded')],
    ['Period', claim.periodStart, claim.periodEnd],
    ['Hourly rate (£)', rate],
    ['Status', CLAIM_STATUS_LABELS[claim.status]],
    ...(facts.coachName ? [['Support given by', textCell(facts.coachName)]] : []),
    [],
    ['Date', 'Hours', 'Hourly rate (£)', 'Amount (£)'],
    ...claim.lines.map((l) => [l.day, minutesAsHours(l.minutes), rate, poundsPlain(l.amountPence)]),
    ['Total', minutesAsHours(claim.totalMinutes), '', poundsPlain(claim.totalPence)],
  ];
  return stringify(rows, { record_delimiter: 'windows' });
}

// ---- PDF -----------------------------------------------------------------------------------------

const MARGIN = 50;
const INK = '#212b32';
const GREY = '#4c6272';
const BLUE = '#005eb8';
const ROW = 18;

/** Column x positions and widths of the claim table, numbers right-aligned. */
const COLUMNS = [
  { title: 'Date', width: 215, align: 'left' as const },
  { title: 'Hours', width: 80, align: 'right' as const },
  { title: 'Hourly rate', width: 100, align: 'right' as const },
  { title: 'Amount', width: 100, align: 'right' as const },
];

/**
 * The claim as a printable A4 PDF in Helvetica (a standard font: nothing is embedded or fetched):
 * the facts, a table of the days with hours, rate and amount, the total, and space to sign. A
 * long claim runs onto further pages with the table header repeated. `compress: false` leaves
 * the content readable, for tests.
 */
export async function claimPdf(claim: ClaimForExport, facts: ClaimFacts, options: { compress?: boolean } = {}): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: { Title: 'Access to Work claim', Creator: 'Stepwise' },
    compress: options.compress ?? true,
    bufferPages: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const left = MARGIN;
  const width = doc.page.width - MARGIN * 2;
  // Room is kept at the foot of each page for its page number.
  const bottom = () => doc.page.height - MARGIN - 24;
  const rate = poundsText(claim.hourlyRatePence);

  doc
    .font('Helvetica-Bold')
    .fontSize(20)
    .fillColor(INK)
    .text(claim.status === 'draft' ? 'Access to Work claim (draft)' : 'Access to Work claim', left, MARGIN, { width });
  doc.moveDown(0.5);

  const factRows: [string, string][] = [
    ['Person', facts.personName],
    ['Award reference', claim.awardReference ?? 'Not recorded'],
    ['Period', periodText(claim)],
    ['Hourly rate', rate],
    ['Status', CLAIM_STATUS_LABELS[claim.status]],
  ];
  if (claim.submittedAt) factRows.push(['Submitted', dayText(claim.submittedAt.slice(0, 10))]);
  if (facts.coachName) factRows.push(['Support given by', facts.coachName]);
  for (const [key, value] of factRows) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(10.5).fillColor(INK).text(key, left, y, { width: 130 });
    doc.font('Helvetica').text(value, left + 140, y, { width: width - 140 });
    doc.moveDown(0.25);
  }
  doc.moveDown(1);

  const cell = (texts: string[], y: number, bold: boolean) => {
    let x = left;
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(10.5)
      .fillColor(INK);
    texts.forEach((t, i) => {
      const col = COLUMNS[i]!;
      doc.text(t, x + 4, y + 4, { width: col.width - 8, align: col.align, lineBreak: false });
      x += col.width;
    });
  };
  const tableWidth = COLUMNS.reduce((s, c) => s + c.width, 0);
  const header = () => {
    const y = doc.y;
    cell(
      COLUMNS.map((c) => c.title),
      y,
      true,
    );
    doc
      .moveTo(left, y + ROW)
      .lineTo(left + tableWidth, y + ROW)
      .lineWidth(1)
      .strokeColor(BLUE)
      .stroke();
    doc.y = y + ROW + 2;
  };
  header();
  for (const line of claim.lines) {
    if (doc.y + ROW > bottom()) {
      doc.addPage();
      doc.font('Helvetica').fontSize(10.5).fillColor(GREY).text('Access to Work claim, continued', left, MARGIN, { width });
      doc.moveDown(0.5);
      header();
    }
    const y = doc.y;
    cell([claimDayText(line.day), minutesAsHours(line.minutes), rate, poundsText(line.amountPence)], y, false);
    doc
      .moveTo(left, y + ROW)
      .lineTo(left + tableWidth, y + ROW)
      .lineWidth(0.5)
      .strokeColor('#d8dde0')
      .stroke();
    doc.y = y + ROW;
  }
  if (doc.y + ROW * 2 > bottom()) {
    doc.addPage();
    doc.y = MARGIN;
  }
  const totalY = doc.y + 2;
  cell(['Total', minutesAsHours(claim.totalMinutes), '', poundsText(claim.totalPence)], totalY, true);
  doc
    .moveTo(left, totalY + ROW)
    .lineTo(left + tableWidth, totalY + ROW)
    .lineWidth(1)
    .strokeColor(INK)
    .stroke();
  doc.y = totalY + ROW + 24;

  // Space to sign: the person receiving the support and whoever gave it confirm the hours.
  const signatures = ['Signed by the person receiving support', 'Signed for the support provider'];
  if (doc.y + signatures.length * 60 > bottom()) {
    doc.addPage();
    doc.y = MARGIN;
  }
  doc
    .font('Helvetica')
    .fontSize(10.5)
    .fillColor(INK)
    .text('We confirm that the support above was given on these days, for these hours.', left, doc.y, { width });
  doc.moveDown(1.5);
  for (const who of signatures) {
    const y = doc.y + 28;
    doc
      .moveTo(left, y)
      .lineTo(left + 280, y)
      .moveTo(left + 320, y)
      .lineTo(left + width, y)
      .lineWidth(0.75)
      .strokeColor(INK)
      .stroke();
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor(GREY)
      .text(who, left, y + 4, { width: 280, lineBreak: false })
      .text('Date', left + 320, y + 4, { width: width - 320, lineBreak: false });
    doc.y = y + 28;
  }

  // Page numbers sit inside the bottom margin; without lifting it pdfkit would add a page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    doc.page.margins.bottom = 0;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(GREY)
      .text(`Page ${i - range.start + 1} of ${range.count}`, left, doc.page.height - MARGIN - 10, { width, lineBreak: false });
  }
  doc.end();
  return done;
}
