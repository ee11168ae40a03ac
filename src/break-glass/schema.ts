import { z } from 'zod';
import { isValidNhsNumber, nhsNumberDigits } from '../participants/rules.ts';
import { DEFAULT_GRANT_HOURS, GRANT_HOURS, type GrantHours, REASON_MAX, REASON_MIN } from './rules.ts';

const HOUR_VALUES = GRANT_HOURS.map(String) as [string, ...string[]];

/** "Grant emergency access": the person by NHS number, who gets access, for how long and why. */
export const BreakGlassGrantFormSchema = z.strictObject({
  nhs_number: z
    .string({ error: 'Enter the person’s NHS number' })
    .trim()
    .min(1, 'Enter the person’s NHS number')
    .refine((v) => isValidNhsNumber(v), 'Enter a valid NHS number, 10 digits like 943 476 5919')
    .transform(nhsNumberDigits),
  granted_to_user_id: z.string({ error: 'Select who needs access' }).min(1, 'Select who needs access'),
  hours: z
    .enum(HOUR_VALUES, { error: 'Select how long the access lasts' })
    .default(String(DEFAULT_GRANT_HOURS))
    .transform((v) => Number(v) as GrantHours),
  reason: z
    .string({ error: 'Enter why emergency access is needed' })
    .trim()
    .min(1, 'Enter why emergency access is needed')
    .min(REASON_MIN, `The reason must be at least ${REASON_MIN} characters`)
    .max(REASON_MAX, `The reason must be ${REASON_MAX} characters or fewer`),
  _csrf: z.string().optional(),
});
export type BreakGlassGrantFormInput = z.infer<typeof BreakGlassGrantFormSchema>;

/** Revoke and mark reviewed: buttons with nothing to fill in. */
export const BreakGlassActionFormSchema = z.strictObject({
  _csrf: z.string().optional(),
});
