import { z } from 'zod';

// The coach capacity pages' query and form.

/** The most contracted hours a week a coach can have recorded. */
export const MAX_CONTRACTED_HOURS = 60;

/** `GET /access-to-work/capacity`: an administrator chooses the team; blank is the first. */
export const CapacityQuerySchema = z.strictObject({
  team_id: z.union([z.uuid({ error: 'Select a team from the list' }), z.literal('')]).optional(),
  done: z.literal('saved').optional(),
});
export type CapacityQuery = z.infer<typeof CapacityQuerySchema>;

/** "Contracted hours": hours a week from 0 to 60, decimals allowed; empty means not recorded. */
export const ContractedHoursFormSchema = z.strictObject({
  contracted_hours_per_week: z
    .string({ error: 'Contracted hours must be a number' })
    .trim()
    .optional()
    .refine((v) => !v || /^(\d+(\.\d+)?|\.\d+)$/.test(v), 'Contracted hours must be a number of hours, like 37.5')
    .transform((v) => (v ? Number(v) : null))
    .refine(
      (v) => v === null || v <= MAX_CONTRACTED_HOURS,
      `Contracted hours must be between 0 and ${MAX_CONTRACTED_HOURS} hours a week`,
    ),
  _csrf: z.string().optional(),
});
export type ContractedHoursFormInput = z.infer<typeof ContractedHoursFormSchema>;
