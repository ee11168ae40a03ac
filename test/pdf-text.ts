import { inflateSync } from 'node:zlib';

// Reads back the text pdfkit drew with a standard font (Helvetica), for tests of PDF exports.
// pdfkit writes each line as a TJ array of hex strings in WinAnsi; compressed content streams are
// inflated first, so a test can check the PDF exactly as it is served.

/** WinAnsi codes 0x80 to 0x9f that are not Latin-1; the rest of WinAnsi reads as Latin-1. */
const WIN_ANSI_HIGH: Record<number, string> = {
  0x80: '€',
  0x85: '…',
  0x91: '‘',
  0x92: '’',
  0x93: '“',
  0x94: '”',
  0x95: '•',
  0x96: '–',
  0x97: '—',
  0x99: '™',
};

function decodeWinAnsi(bytes: Buffer): string {
  return [...bytes].map((b) => WIN_ANSI_HIGH[b] ?? String.fromCharCode(b)).join('');
}

/** The content of every stream in the file (pdfkit gives each a direct /Length), inflated when compressed. */
function streams(pdf: Buffer): string[] {
  const out: string[] = [];
  for (const m of pdf.toString('latin1').matchAll(/<<([^<>]*?)>>\s*stream\r?\n/g)) {
    const length = /\/Length (\d+)/.exec(m[1] ?? '');
    if (!length) continue;
    const start = m.index + m[0].length;
    const body = pdf.subarray(start, start + Number(length[1]));
    out.push((/\/FlateDecode/.test(m[1] ?? '') ? inflateSync(body) : body).toString('latin1'));
  }
  return out;
}

/** Each line of text drawn, in order. */
export function pdfText(pdf: Buffer): string[] {
  const out: string[] = [];
  for (const content of streams(pdf))
    for (const m of content.matchAll(/\[((?:<[0-9a-fA-F]*>|\s|-?\d+(?:\.\d+)?)*)\]\s*TJ/g)) {
      const hex = [...(m[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      out.push(decodeWinAnsi(Buffer.from(hex, 'hex')));
    }
  return out;
}

/** Every line of text drawn, joined with spaces, for finding a sentence that wraps over lines. */
export function pdfPlainText(pdf: Buffer): string {
  return pdfText(pdf).join(' ').replace(/\s+/g, ' ');
}
