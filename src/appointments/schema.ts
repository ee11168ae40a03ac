import { z } from 'zod';
import { MODES, PURPOSES } from '../contacts/rules.ts';
import { ListQuerySchema } from '../http/api.ts';
import { APPOINTMENT_STATUSES, PLACE_KINDS, isCalendarDate, londonInstant } from './rules.ts';

// ---- Shared fields ------------------------------------------------------------------------------

const csrf = z.string().optional();

/** Optional text: blank becomes null. */
function optionalText(label: string, max: number) {
  return z
    .union([z.string({ error: `${label} must be text` }), z.null()])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === null || v.trim() === '' ? null : v.trim()))
    .refine((v) => !v || v.length <= max, `${label} must be ${max} characters or fewer`);
}

const versionField = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

const duration = z.coerce
  .number({ error: 'Enter how long it will take, in minutes' })
  .int('Enter the duration as a whole number of minutes')
  .min(5, 'Duration must be at least 5 minutes')
  .max(720, 'Duration must be 12 hours (720 minutes) or less');

const placeKind = z.enum(PLACE_KINDS, { error: 'Select where the appointment is' });
const purpose = z.enum(PURPOSES, { error: 'Select what the appointment is for' });
const siteId = z.uuid({ error: 'Select a site from the list' });
const practitionerId = z.uuid({ error: 'Select a practitioner from the list' });

const placeDetail = optionalText('Place detail', 200).describe('For example a room, a café or "video call"');
const department = optionalText('Department', 100).describe('A department at the site');
const withWhom = optionalText('With whom', 200).describe('Who else will be there, for example their line manager');

/** An ISO-8601 instant with an offset (`Z` or `+01:00`). */
const instant = z
  .string({ error: 'Send the time as an ISO-8601 instant with an offset' })
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)),
    'Send the time as an ISO-8601 instant with an offset, like 2026-12-01T10:30:00Z',
  );

/** A site is needed for a site appointment; a department only makes sense at one. */
function checkPlace(
  v: { place_kind?: string | undefined; site_id?: string | null | undefined; department?: string | null | undefined },
  ctx: z.RefinementCtx,
  creating: boolean,
) {
  if (v.place_kind === 'site' && !v.site_id && (creating || v.site_id === null))
    ctx.addIssue({ code: 'custom', path: ['site_id'], message: 'Select the site' });
  if (v.place_kind !== undefined && v.place_kind !== 'site' && v.department)
    ctx.addIssue({ code: 'custom', path: ['department'], message: 'A department is only given for an appointment at a site' });
}

// ---- Forms --------------------------------------------------------------------------------------

/** Regroups the date boxes (`date_day`, `date_month`, `date_year`) into one value, so a bad date is one message. */
export function groupDate(body: unknown): Record<string, unknown> {
  const b = { ...((body ?? {}) as Record<string, unknown>) };
  const date = { day: b.date_day, month: b.date_month, year: b.date_year };
  delete b.date_day;
  delete b.date_month;
  delete b.date_year;
  return { ...b, date };
}

const formDate = z
  .object({
    day: z.string().trim().optional().default(''),
    month: z.string().trim().optional().default(''),
    year: z.string().trim().optional().default(''),
  })
  .transform((d, ctx) => {
    if (!d.day && !d.month && !d.year) {
      ctx.addIssue({ code: 'custom', message: 'Enter the date of the appointment' });
      return z.NEVER;
    }
    const missing = (['day', 'month', 'year'] as const).filter((k) => !d[k]);
    if (missing.length) {
      ctx.addIssue({ code: 'custom', message: `Date must include a ${missing.join(' and a ')}` });
      return z.NEVER;
    }
    const iso = `${d.year}-${d.month.padStart(2, '0')}-${d.day.padStart(2, '0')}`;
    if (!/^\d{4}$/.test(d.year) || !isCalendarDate(iso)) {
      ctx.addIssue({ code: 'custom', message: 'Date must be a real date, like 3 12 2026' });
      return z.NEVER;
    }
    return iso;
  });

const formTime = z
  .string({ error: 'Enter the time' })
  .trim()
  .min(1, 'Enter the time')
  .transform((v, ctx) => {
    const m = /^(\d{1,2})[:.](\d{2})$/.exec(v);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) {
      ctx.addIssue({ code: 'custom', message: 'Enter the time in the 24-hour clock, like 9:30 or 14:00' });
      return z.NEVER;
    }
    return `${m[1]!.padStart(2, '0')}:${m[2]}`;
  });

const blankIsUndefined = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional()) as z.ZodType<z.output<T> | undefined>;

/** "Plan an appointment" (and the time and place of "Change"), as posted. */
export const AppointmentFormSchema = z
  .strictObject({
    date: formDate,
    time: formTime,
    duration_minutes: duration,
    place_kind: placeKind,
    site_id: blankIsUndefined(siteId),
    department,
    place_detail: placeDetail,
    with_whom: withWhom,
    purpose,
    practitioner_id: blankIsUndefined(practitionerId),
    _csrf: csrf,
  })
  .superRefine((v, ctx) => checkPlace(v, ctx, true))
  .transform((v, ctx) => {
    const starts = londonInstant(v.date, v.time);
    if (!starts) {
      ctx.addIssue({ code: 'custom', path: ['time'], message: 'That time does not exist in the UK: the clocks go forward then' });
      return z.NEVER;
    }
    return { ...v, starts_at: starts.toISOString() };
  });
export type AppointmentFormInput = z.infer<typeof AppointmentFormSchema>;

/** The "Attended — log the contact" button; a remote appointment says whether it was by phone or video. */
export const AppointmentAttendedFormSchema = z.strictObject({
  version: versionField,
  mode: z.enum(['phone', 'video', 'message'], { error: 'Select how you spoke' }).optional(),
  _csrf: csrf,
});

/** "Did not attend" and "Cancel". */
export const AppointmentStatusFormSchema = z.strictObject({
  version: versionField,
  _csrf: csrf,
});

/** `GET /appointments`: the week (any day in it) and, for a manager, whose week. */
export const AppointmentWeekQuerySchema = z.strictObject({
  week: z
    .string()
    .refine((v) => v === '' || isCalendarDate(v), 'Week must be a date, like 2026-11-30')
    .optional(),
  practitioner_id: z.union([practitionerId, z.literal('')]).optional(),
  done: z.string().max(30).optional(),
});

// ---- API ----------------------------------------------------------------------------------------

/** `POST /api/v1/participants/{id}/appointments`. */
export const AppointmentCreateSchema = z
  .strictObject({
    starts_at: instant.describe('When it starts: an ISO-8601 instant with an offset'),
    duration_minutes: duration,
    place_kind: placeKind.describe('`site` (give `site_id`, optionally `department`), `community` or `remote`'),
    site_id: z.union([siteId, z.null()]).optional(),
    department,
    place_detail: placeDetail,
    with_whom: withWhom,
    purpose,
    practitioner_id: practitionerId.optional().describe('Defaults to you; a manager may plan for a practitioner of their team'),
  })
  .superRefine((v, ctx) => checkPlace(v, ctx, true));
export type AppointmentCreateInput = z.infer<typeof AppointmentCreateSchema>;

/** `PATCH /api/v1/appointments/{id}`: reschedule, or record did not attend or cancelled. */
export const AppointmentUpdateSchema = z
  .strictObject({
    version: versionField.describe('The version you read'),
    starts_at: instant.optional(),
    duration_minutes: duration.optional(),
    place_kind: placeKind.optional(),
    site_id: z.union([siteId, z.null()]).optional(),
    department,
    place_detail: placeDetail,
    with_whom: withWhom,
    purpose: purpose.optional(),
    status: z
      .enum(APPOINTMENT_STATUSES, { error: 'Select a status' })
      .optional()
      .describe(
        '`did_not_attend` or `cancelled` from `planned`; a move the rules refuse is a 422. Use `POST .../attended` to log the contact',
      ),
  })
  .superRefine((v, ctx) => checkPlace(v, ctx, false));
export type AppointmentUpdateInput = z.infer<typeof AppointmentUpdateSchema>;

/** `POST /api/v1/appointments/{id}/attended`. */
export const AppointmentAttendedSchema = z.strictObject({
  version: versionField.describe('The version you read'),
  mode: z
    .enum(MODES, { error: 'Select a mode' })
    .optional()
    .describe('How it happened; defaults to face to face, or phone for a remote appointment'),
  notes: optionalText('Notes', 10_000).describe('Notes for the contact, plain text'),
  shared_with_clinical_team: z.boolean({ error: 'shared_with_clinical_team must be true or false' }).optional(),
});
export type AppointmentAttendedInput = z.infer<typeof AppointmentAttendedSchema>;

/** `GET /api/v1/appointments`. */
export const AppointmentListQuerySchema = ListQuerySchema.extend({
  practitioner_id: practitionerId.optional().describe('Whose appointments: defaults to you; a manager may ask for their team'),
  from: z
    .string()
    .refine((v) => isCalendarDate(v) || !Number.isNaN(Date.parse(v)), 'From must be a date (YYYY-MM-DD) or an ISO-8601 instant')
    .optional()
    .describe('Starting at or after: an instant, or a date (from 00:00 UK time)'),
  to: z
    .string()
    .refine((v) => isCalendarDate(v) || !Number.isNaN(Date.parse(v)), 'To must be a date (YYYY-MM-DD) or an ISO-8601 instant')
    .optional()
    .describe('Starting before: an instant, or a date (to the end of that day, UK time)'),
}).strict();
export type AppointmentListQuery = z.infer<typeof AppointmentListQuerySchema>;

export const AppointmentJsonSchema = z.object({
  id: z.string(),
  participant_id: z.string(),
  practitioner_id: z.string(),
  starts_at: z.string().describe('ISO-8601 instant'),
  ends_at: z.string().describe('ISO-8601 instant'),
  duration_minutes: z.number().int(),
  place_kind: z.enum(PLACE_KINDS),
  site_id: z.string().nullable(),
  site_name: z.string().nullable(),
  department: z.string().nullable(),
  place_detail: z.string().nullable(),
  place: z.string().describe('Where, in one line'),
  with_whom: z.string().nullable(),
  purpose: z.enum(PURPOSES).nullable(),
  status: z.enum(APPOINTMENT_STATUSES),
  contact_id: z.string().nullable().describe('The contact an attended appointment became'),
  out_of_hours: z.boolean().describe('Evenings, weekends and bank holidays, UK time'),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int().min(1),
});

export const AppointmentListJsonSchema = z.object({
  items: z.array(AppointmentJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});

/** The contact an attended appointment became (as `participants/{id}/contacts` returns it). */
export const AttendedContactJsonSchema = z.object({
  id: z.string(),
  participant_id: z.string(),
  practitioner_id: z.string(),
  started_at: z.string(),
  duration_minutes: z.number().int(),
  mode: z.enum(MODES),
  place: z.string(),
  purpose: z.enum(PURPOSES),
  with_whom: z.string().nullable(),
  notes: z.string().nullable(),
  shared_with_clinical_team: z.boolean(),
  out_of_hours: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
});
