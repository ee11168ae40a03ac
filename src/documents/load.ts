import type ExcelJS from 'exceljs';
import type PDFKit from 'pdfkit';

// The document libraries load on first use, not at start-up: each costs about a tenth of a second
// and 25 MB, and most requests never make a PDF or a workbook.

/** pdfkit's PDFDocument class. */
export async function loadPdfKit(): Promise<typeof PDFKit> {
  return (await import('pdfkit')).default;
}

/** exceljs, for `new Excel.Workbook()`. */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
