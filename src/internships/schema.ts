import { z } from 'zod';
import { parseFormDate } from '../contacts/schema.ts';
import { isRecordId } from '../db/records.ts';

// The supported internship forms: a cohort, its team and sites, adding an intern, departments,
// the rotation plan and the rotation grid.

const NAME_MAX = 200;
const TEXT_MAX = 5000;
export const MAX_ROTATION_FIELDS = 6;

function requiredText(empty: string, label: string, max = NAME_MAX) {
  return z.string({ error: empty }).trim().min(1, empty).max(max, `${label} must be ${max} characters or fewer`);
}

/** Optional free text: '' and whitespace become null. */
function optionalText(label: string, max = TEXT_MAX) {
  return z
    .string({ error: `${label} must be text` })
    .max(max, `${label} must be ${max} characters or fewer`)
    .nullish()
    .transform((v) => (v && v.trim() ? v.trim() : null));
}

/** A required typed date (`YYYY-MM-DD` or `DD/MM/YYYY`) as `YYYY-MM-DD`. */
export function formDate(empty: string, label: string) {
  return z
    .string({ error: empty })
    .trim()
    .min(1, empty)
    .refine((v) => parseFormDate(v) !== null, `${label} must be a real date, like 1/9/2026`)
    .transform((v) => parseFormDate(v) ?? v);
}

/** A choice from a select: a record id, or a message. */
function formId(message: string) {
  return z.string({ error: message }).trim().refine(isRecordId, message);
}

/** An optional choice from a select: '' means none. */
function optionalFormId(message: string) {
  return z
    .string({ error: message })
    .trim()
    .optional()
    .refine((v) => !v || isRecordId(v), message)
    .transform((v) => v || null);
}

/** "2026/27": the academic year, the second part the year after the first. */
export const programmeYear = z
  .string({ error: 'Enter the programme year, like 2026/27' })
  .trim()
  .min(1, 'Enter the programme year, like 2026/27')
  .refine((v) => {
    const m = /^(\d{4})\/(\d{2})$/.exec(v);
    return m !== null && (Number(m[1]) + 1) % 100 === Number(m[2]);
  }, 'Programme year must be two years in a row, like 2026/27');

const formVersion = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

/** A field that may be sent once or many times (checkboxes), as a list. */
const manyIds = z
  .union([z.string(), z.array(z.string())], { error: 'Select from the list' })
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]).filter((x) => x !== ''));

/** "Set up a cohort" and "Change the cohort". */
export const CohortFormSchema = z.strictObject({
  name: requiredText('Enter a name for the cohort', 'Name'),
  programme_year: programmeYear,
  host_employer_id: formId('Select the host organisation'),
  team_id: formId('Select the interns’ team'),
  tutor_user_id: optionalFormId('Select the tutor from the list'),
  education_provider: optionalText('Education provider', NAME_MAX),
  start_date: formDate('Enter the date the cohort starts', 'Start date'),
  end_date: formDate('Enter the date the cohort ends', 'End date'),
  notes: optionalText('Notes'),
  version: formVersion.optional(),
  _csrf: z.string().optional(),
});
export type CohortFormInput = z.infer<typeof CohortFormSchema>;

/** "Job coaches and sites": checkboxes. */
export const CohortTeamFormSchema = z.strictObject({
  coach_ids: manyIds,
  site_ids: manyIds,
  _csrf: z.string().optional(),
});
export type CohortTeamFormInput = z.infer<typeof CohortTeamFormSchema>;

/** "Add an intern". */
export const InternAddFormSchema = z.strictObject({
  participant_id: formId('Select the person to add'),
  ehc_plan: z.enum(['yes', 'no'], { error: 'Say whether they have an education, health and care plan' }),
  _csrf: z.string().optional(),
});
export type InternAddFormInput = z.infer<typeof InternAddFormSchema>;

/** "Add a department" and "Change the department". */
export const DepartmentFormSchema = z.strictObject({
  name: requiredText('Enter the department’s name', 'Name'),
  site_id: optionalFormId('Select one of the cohort’s sites, or “Not at one site”'),
  intern_capacity: z
    .string({ error: 'Interns at once must be a whole number' })
    .trim()
    .optional()
    .refine((v) => !v || /^\d+$/.test(v), 'Interns at once must be a whole number, like 2')
    .transform((v) => (v ? Number(v) : null))
    .refine((v) => v === null || v <= 20, 'Interns at once must be 20 or fewer'),
  intern_contact: optionalText('Contact', NAME_MAX),
  version: formVersion.optional(),
  _csrf: z.string().optional(),
});
export type DepartmentFormInput = z.infer<typeof DepartmentFormSchema>;

/** How many rotations the plan form shows. */
export const RotationCountSchema = z.object({
  count: z.coerce
    .number({ error: 'Choose how many rotations' })
    .int('Choose how many rotations')
    .min(1, 'Choose between 1 and 6 rotations')
    .max(MAX_ROTATION_FIELDS, 'Choose between 1 and 6 rotations')
    .optional(),
});

const rotationDateFields: Record<string, z.ZodOptional<z.ZodString>> = Object.fromEntries(
  Array.from({ length: MAX_ROTATION_FIELDS }, (_, i) => i + 1).flatMap((n) => [
    [`rotation_${n}_start_date`, z.string().optional()],
    [`rotation_${n}_end_date`, z.string().optional()],
  ]),
);

/** "Plan rotations": how many, and each one's dates as typed (checked by the service). */
export const RotationsFormSchema = z
  .strictObject({
    rotation_count: z.coerce
      .number({ error: 'Choose how many rotations' })
      .int('Choose how many rotations')
      .min(1, 'Choose between 1 and 6 rotations')
      .max(MAX_ROTATION_FIELDS, 'Choose between 1 and 6 rotations'),
    ...rotationDateFields,
    _csrf: z.string().optional(),
  })
  .transform((o) => {
    // The date fields are built from a loop, so TypeScript cannot name them: read them by key.
    const typed = o as Record<string, unknown>;
    const text = (key: string) => (typeof typed[key] === 'string' ? typed[key] : '');
    return Array.from({ length: o.rotation_count }, (_, i) => ({
      number: i + 1,
      start: text(`rotation_${i + 1}_start_date`),
      end: text(`rotation_${i + 1}_end_date`),
    }));
  });
export type RotationsFormInput = z.infer<typeof RotationsFormSchema>;

/** The rotation grid: one `cell_<intern id>_<rotation id>` field per cell, a department id or ''. */
export const GridFormSchema = z
  .record(z.string(), z.union([z.string(), z.array(z.string())]))
  .transform((body) =>
    Object.entries(body)
      .filter(([k]) => k.startsWith('cell_'))
      .map(([k, v]) => {
        const [, internId = '', rotationId = ''] = k.split('_');
        const value = (Array.isArray(v) ? v[v.length - 1] : v)?.trim() ?? '';
        return { key: k, internId, rotationId, departmentId: value === '' || value === 'none' ? null : value };
      }),
  )
  .superRefine((cells, ctx) => {
    for (const c of cells) {
      if (!isRecordId(c.internId) || !isRecordId(c.rotationId))
        ctx.addIssue({ code: 'custom', path: [c.key], message: 'This cell is not part of the grid' });
      else if (c.departmentId !== null && !isRecordId(c.departmentId))
        ctx.addIssue({ code: 'custom', path: [c.key], message: 'Select a department from the list' });
    }
  });
