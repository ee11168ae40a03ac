import { loadPdfKit } from '../documents/load.ts';
import type { EmployerProfile } from './rules.ts';

const MARGIN = 50;
const BODY_SIZE = 10.5;
const HEADING_SIZE = 12.5;

/**
 * Renders the employer profile on one A4 page in Helvetica. Long text is cut short with an
 * ellipsis rather than spilling onto a second page; sections that no longer fit are left off.
 */
export async function renderProfilePdf(profile: EmployerProfile, preparedOn: string): Promise<Buffer> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    info: { Title: `About ${profile.name}`, Creator: 'Stepwise' },
    autoFirstPage: true,
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - MARGIN * 2;
  // Leave room for the footer line at the bottom of the page.
  const bottom = doc.page.height - MARGIN - 20;

  doc.font('Helvetica-Bold').fontSize(20).fillColor('#212b32').text(`About ${profile.name}`, { width });
  doc.moveDown(0.2);
  doc
    .font('Helvetica')
    .fontSize(BODY_SIZE)
    .fillColor('#4c6272')
    .text('A one-page profile to help you get to know me.', { width });
  doc.moveDown(0.6);

  for (const section of profile.sections) {
    doc.font('Helvetica-Bold').fontSize(HEADING_SIZE);
    const headingHeight = doc.heightOfString(section.heading, { width });
    doc.font('Helvetica').fontSize(BODY_SIZE);
    const lineHeight = doc.heightOfString('Ag', { width });
    const room = bottom - doc.y - headingHeight - 4;
    if (room < lineHeight) break;
    doc.font('Helvetica-Bold').fontSize(HEADING_SIZE).fillColor('#005eb8').text(section.heading, { width });
    doc.moveDown(0.15);
    doc.font('Helvetica').fontSize(BODY_SIZE).fillColor('#212b32');
    const needed = doc.heightOfString(section.text, { width });
    // Whole lines only, so a cut-short section ends cleanly with an ellipsis.
    const height = Math.min(needed, Math.floor(room / lineHeight) * lineHeight);
    doc.text(section.text, { width, height, ellipsis: true });
    doc.moveDown(0.6);
  }

  // The footer sits inside the bottom margin; without this pdfkit would start a second page.
  doc.page.margins.bottom = 0;
  doc
    .font('Helvetica')
    .fontSize(8)
    .fillColor('#4c6272')
    .text(`Prepared with ${profile.name}'s agreement on ${preparedOn}.`, MARGIN, doc.page.height - MARGIN - 10, {
      width,
      lineBreak: false,
    });
  doc.end();
  return done;
}
