import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';
import { ValidationError } from '../errors.ts';
import { isCalendarDate } from '../referrals/rules.ts';
import { ABSENCE_REASONS, type AbsenceReason } from './rules.ts';

// The forms of skills progress (one rotation of one intern), the employability checklist and
// the daily attendance register. The checklist notes and the register's rows are named after
// the item or intern they are about (`note_<item id>`, `attendance_<intern id>`), so those
// parts are read by small functions here rather than a fixed object schema.

const TEXT_MAX = 5000;
const NOTE_MAX = 500;
/** A checklist item is one short line: "Arrives on time", "Asks for help when stuck". */
export const ITEM_TEXT_MAX = 200;

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max = TEXT_MAX) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v : null));
}

/** Ticked checkboxes of records: nothing, one id, or several. */
function formIds(message: string) {
  return z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
    .pipe(z.array(z.string().refine(isRecordId, message)))
    .transform((ids) => [...new Set(ids)]);
}

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

/** An optional version: '' means there is nothing saved yet. */
const optionalVersion = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (!v || !v.trim()) return undefined;
    const n = Number(v.trim());
    if (Number.isInteger(n) && n >= 1) return n;
    ctx.addIssue({ code: 'custom', message: 'Send the version you read' });
    return z.NEVER;
  });

// ---- Skills progress for one rotation ----------------------------------------------------------

/** The fixed fields of the progress form (tasks learnt, checklist ticks, the review). */
export const RotationProgressFormSchema = z.looseObject({
  task_ids: formIds('Select tasks from the list'),
  achieved: formIds('Select checklist items from the list'),
  review_date: z
    .string({ error: 'Review date must be a date' })
    .trim()
    .optional()
    .refine((v) => !v || parseFormDate(v) !== null, 'Review date must be a real date, like 25/03/2027')
    .transform((v) => (v ? parseFormDate(v) : null)),
  went_well: optionalText('What went well'),
  to_work_on: optionalText('What to work on next'),
  intern_words: optionalText('What the intern said'),
  review_version: optionalVersion,
});

export interface RotationProgressInput {
  taskIds: string[];
  /** Each active checklist item's answer. */
  checks: { itemId: string; achieved: boolean; note: string | null }[];
  review: {
    reviewDate: string | null;
    wentWell: string | null;
    toWorkOn: string | null;
    internWords: string | null;
    version: number | undefined;
  };
}

/** Reads the progress form: the fixed fields, and a note for each of the checklist items offered. */
export function parseRotationProgress(body: unknown, itemIds: readonly string[]): RotationProgressInput {
  const fields: Record<string, string> = {};
  const raw = (body ?? {}) as Record<string, unknown>;
  const parsed = RotationProgressFormSchema.safeParse(raw);
  if (!parsed.success)
    for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || 'body'] ??= issue.message;
  const notes = new Map<string, string | null>();
  for (const id of itemIds) {
    const note = optionalText('Note', NOTE_MAX).safeParse(raw[`note_${id}`]);
    if (note.success) notes.set(id, note.data);
    else fields[`note_${id}`] = note.error.issues[0]?.message ?? 'Enter a shorter note';
  }
  if (!parsed.success || Object.keys(fields).length > 0) throw new ValidationError(fields);
  const v = parsed.data;
  const unknown = v.achieved.filter((id) => !itemIds.includes(id));
  if (unknown.length > 0) throw new ValidationError({ achieved: 'Select checklist items from the list' });
  return {
    taskIds: v.task_ids,
    checks: itemIds.map((itemId) => ({ itemId, achieved: v.achieved.includes(itemId), note: notes.get(itemId) ?? null })),
    review: {
      reviewDate: v.review_date,
      wentWell: v.went_well,
      toWorkOn: v.to_work_on,
      internWords: v.intern_words,
      version: v.review_version,
    },
  };
}

// ---- The checklist items -----------------------------------------------------------------------

/** Add a checklist item, or change its words (with the version read). */
export const ChecklistItemFormSchema = z.strictObject({
  text: z
    .string({ error: 'Enter what the intern should be able to do' })
    .trim()
    .min(1, 'Enter what the intern should be able to do')
    .max(ITEM_TEXT_MAX, `The item must be ${ITEM_TEXT_MAX} characters or fewer`),
  version: optionalVersion,
});
export type ChecklistItemFormInput = z.infer<typeof ChecklistItemFormSchema>;

export const ChecklistMoveSchema = z.strictObject({
  direction: z.enum(['up', 'down'], { error: 'Choose up or down' }),
});

export const ChecklistRetireSchema = z.strictObject({ version: formVersion });

// ---- Attendance --------------------------------------------------------------------------------

/** `?date=YYYY-MM-DD` of the register; absent means today. */
export const AttendanceQuerySchema = z.looseObject({
  date: z
    .string()
    .optional()
    .refine((v) => v === undefined || v === '' || isCalendarDate(v), 'Date must be a real date, like 2026-11-25')
    .transform((v) => (v ? v : undefined)),
});

export interface AttendanceEntry {
  internId: string;
  /** null when nothing was chosen for the intern (nothing is recorded for them). */
  present: boolean | null;
  reason: AbsenceReason | null;
  note: string | null;
}

/** Reads the register's rows for these interns: present or absent, a reason and a note each. */
export function parseAttendance(body: unknown, internIds: readonly string[]): AttendanceEntry[] {
  const raw = (body ?? {}) as Record<string, unknown>;
  const fields: Record<string, string> = {};
  const out: AttendanceEntry[] = [];
  for (const internId of internIds) {
    const mark = raw[`attendance_${internId}`];
    const reason = raw[`reason_${internId}`];
    const note = optionalText('Note', NOTE_MAX).safeParse(raw[`note_${internId}`]);
    if (mark !== undefined && mark !== 'present' && mark !== 'absent')
      fields[`attendance_${internId}`] = 'Select present or absent';
    if (reason !== undefined && reason !== '' && !ABSENCE_REASONS.includes(reason as AbsenceReason))
      fields[`reason_${internId}`] = 'Select a reason from the list';
    if (!note.success) fields[`note_${internId}`] = note.error.issues[0]?.message ?? 'Enter a shorter note';
    out.push({
      internId,
      present: mark === 'present' ? true : mark === 'absent' ? false : null,
      reason: typeof reason === 'string' && ABSENCE_REASONS.includes(reason as AbsenceReason) ? (reason as AbsenceReason) : null,
      note: note.success ? note.data : null,
    });
  }
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  return out;
}
