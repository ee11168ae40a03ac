import { loadPdfKit } from './load.ts';

// The house style of Stepwise's A4 documents (a benefits calculation, a subject access export):
// Helvetica, NHS colours, headings kept with what follows, text flowing onto further pages, and a
// footer with the page number on every page. Each document writes its own content with these.

export const MARGIN = 50;
/** Room kept at the foot of every page for the footer line. */
const FOOT = 24;
export const INK = '#212b32';
export const GREY = '#4c6272';
export const BLUE = '#005eb8';
export const RULE = '#d8dde0';

/** Characters outside ASCII and Latin-1 that Helvetica's WinAnsi encoding still has. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text Helvetica can draw: the Unicode minus becomes a hyphen-minus, an accented letter outside
 * WinAnsi loses its accent, anything else becomes "?". pdfkit would otherwise write a broken
 * code for it (a name or a note is typed by people and may hold any character).
 */
export function printable(text: string): string {
  return [
    ...text
      .replace(/\r\n?/g, '\n')
      .replace(/[\u2010\u2011\u2212]/g, '-')
      .replace(/\t/g, ' '),
  ]
    .map((ch) => {
      const c = ch.codePointAt(0)!;
      if (ch === '\n' || (c >= 0x20 && c < 0x7f) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch)) return ch;
      const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
      return base !== '' && [...base].every((b) => b.codePointAt(0)! <= 0xff && b.codePointAt(0)! >= 0x20) ? base : '?';
    })
    .join('');
}

export interface PdfWriter {
  doc: PDFKit.PDFDocument;
  left: number;
  width: number;
  /** The bottom of the writable part of the page. */
  bottom: () => number;
  /** Sets the font: bold or not, size, colour. */
  font: (bold: boolean, size?: number, colour?: string) => PDFKit.PDFDocument;
  /** Starts a new page unless `height` more fits on this one. */
  room: (height: number) => void;
  /** Flowing text at `x`, made printable, onto further pages as it needs. */
  say: (text: string, x?: number, w?: number) => void;
  /** A blue heading, kept with at least two lines of what follows it. */
  heading: (text: string, size?: number) => void;
  /** Writes `footer(page, pages)` at the foot of every page and ends the document. */
  finish: (footer: (page: number, pages: number) => string) => Promise<Buffer>;
}

/** A new A4 document in the house style; `body` is the text size. */
export async function startPdf(options: { title: string; body: number; heading?: number }): Promise<PdfWriter> {
  const PDFDocument = await loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOT, left: MARGIN, right: MARGIN },
    info: { Title: printable(options.title), Creator: 'Stepwise' },
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
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const font = (bold: boolean, size = options.body, colour = INK) =>
    doc
      .font(bold ? 'Helvetica-Bold' : 'Helvetica')
      .fontSize(size)
      .fillColor(colour);
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };
  const say = (text: string, x = left, w = width) => {
    doc.text(printable(text), x, doc.y, { width: w });
  };
  const heading = (text: string, size = options.heading ?? 13) => {
    font(true, size);
    room(doc.heightOfString(printable(text), { width }) + 30);
    font(true, size, BLUE);
    say(text);
    doc.moveDown(0.3);
  };
  const finish = (footer: (page: number, pages: number) => string) => {
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      // The footer sits inside the bottom margin; without lifting it pdfkit would add a page.
      doc.page.margins.bottom = 0;
      font(false, 8, GREY).text(printable(footer(i - range.start + 1, range.count)), left, doc.page.height - MARGIN - 10, {
        width,
        lineBreak: false,
      });
    }
    doc.end();
    return done;
  };
  return { doc, left, width, bottom, font, room, say, heading, finish };
}
