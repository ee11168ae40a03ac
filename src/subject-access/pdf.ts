import { GREY, printable, startPdf } from '../documents/pdf.ts';
import { COVERED_TABLES, type Row, type SubjectAccessExport, valueText } from './service.ts';

// The subject access export as a readable A4 PDF: a plain-English heading per kind of record,
// each record's fields as "label: value", the audit trail as one line per event, and the page
// number at the foot of every page. Written from the same export as the JSON, so they agree.

const BODY = 10;

/** "participant_id" → "Participant ID": a column name as a label. */
export function fieldLabel(column: string): string {
  const words = column.split('_').map((w) => (w === 'id' ? 'ID' : w === 'atw' ? 'Access to Work' : w === 'nhs' ? 'NHS' : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A JSON object or array stored as text, parsed; anything else undefined. */
function parsedJson(value: string): unknown {
  const t = value.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** A nested value as "label: value" lines, with dotted labels ("health.notes"). */
function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (Array.isArray(value)) {
    if (value.length === 0) out.push([prefix, 'None']);
    else if (value.every((v) => v === null || typeof v !== 'object')) out.push([prefix, value.map(String).join(', ')]);
    else value.forEach((v, i) => flatten(`${prefix} ${i + 1}`, v, out));
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push([prefix, 'None']);
    for (const [k, v] of entries) flatten(prefix ? `${prefix}, ${k}` : k, v, out);
  } else {
    out.push([prefix, value === null || value === undefined || value === '' ? 'Not recorded' : valueText(value)]);
  }
}

/** A stored row's fields as label and value, with JSON text opened out. */
export function fieldsOf(row: Row): [string, string][] {
  const out: [string, string][] = [];
  for (const [column, value] of Object.entries(row)) {
    const label = fieldLabel(column);
    if (typeof value === 'string') {
      const json = parsedJson(value);
      if (json !== undefined) {
        flatten(label, json, out);
        continue;
      }
    }
    out.push([label, value === null || value === undefined || value === '' ? 'Not recorded' : valueText(value)]);
  }
  return out;
}

/** Renders the export for `name`, running onto as many pages as it needs. */
export async function renderSubjectAccessPdf(data: SubjectAccessExport, name: string, producedBy: string): Promise<Buffer> {
  const { doc, left, width, font, room, say, heading, finish } = await startPdf({
    title: `Subject access export: ${name}`,
    body: BODY,
  });
  const keyWidth = 160;
  const field = (key: string, value: string) => {
    font(false);
    const h = Math.max(
      doc.heightOfString(printable(value), { width: width - keyWidth - 10 }),
      doc.heightOfString(printable(key), { width: keyWidth }),
    );
    room(Math.min(h, 40));
    const y = doc.y;
    const page = doc.page;
    font(true).text(printable(`${key}:`), left, y, { width: keyWidth });
    const afterKey = doc.y;
    // A value longer than the rest of the page flows on; the key stays where it started.
    font(false).text(printable(value), left + keyWidth + 10, y, { width: width - keyWidth - 10 });
    if (doc.page === page) doc.y = Math.max(doc.y, afterKey);
    doc.moveDown(0.15);
  };

  font(true, 20);
  say(`Everything Stepwise holds about ${name}`);
  doc.moveDown(0.3);
  font(false, BODY, GREY);
  say(`Produced on ${data.generated_at.slice(0, 10)} at ${data.generated_at.slice(11, 16)} UTC by ${producedBy}.`);
  say(
    'This is a subject access export: every record held about the person, as it is stored, and a list of everyone who viewed or changed their record. Dates and times are as stored: times are UTC.',
  );
  doc.moveDown(1);

  for (const c of COVERED_TABLES) {
    const rows = data.tables[c.table] ?? [];
    heading(c.heading);
    if (rows.length === 0) {
      font(false, BODY, GREY);
      say('None held.');
      doc.moveDown(0.8);
      continue;
    }
    rows.forEach((row, i) => {
      if (rows.length > 1) {
        font(true, 11);
        room(40);
        say(`Record ${i + 1} of ${rows.length}`);
        doc.moveDown(0.2);
      }
      for (const [k, v] of fieldsOf(row)) field(k, v);
      doc.moveDown(0.6);
    });
    doc.moveDown(0.4);
  }

  heading('Who viewed or changed the record');
  if (data.audit.length === 0) {
    font(false, BODY, GREY);
    say('No one has yet.');
  }
  for (const e of data.audit) {
    font(false);
    const who = e.actor_name ?? e.actor_label ?? 'Unknown';
    const what = `${e.occurred_at.slice(0, 10)} ${e.occurred_at.slice(11, 19)} UTC: ${who}, ${e.action}${e.entity_type && e.entity_type !== 'participant' ? ` (${e.entity_type})` : ''}`;
    room(doc.heightOfString(printable(what), { width }));
    say(what);
    doc.moveDown(0.1);
  }

  return finish((page, pages) => `Stepwise subject access export: ${name}. Page ${page} of ${pages}`);
}
