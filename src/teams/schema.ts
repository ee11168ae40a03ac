import { z } from 'zod';

/** A record's display name, with messages naming the thing: `nameField('team')` asks to "Enter a team name". */
export function nameField(thing: string) {
  const label = `${thing.charAt(0).toUpperCase()}${thing.slice(1)}`;
  return z
    .string({ error: `Enter a ${thing} name` })
    .trim()
    .min(1, `Enter a ${thing} name`)
    .max(100, `${label} name must be 100 characters or fewer`);
}

/** The `version` a change was based on; forms send it as text, the API as a number. */
export const versionField = z.coerce
  .number({ error: 'Send the version you read' })
  .int('Send the version you read')
  .min(1, 'Send the version you read');

// Forms carry the CSRF token alongside their fields.
const csrf = z.string().optional();

export const TeamCreateSchema = z.strictObject({
  name: nameField('team'),
});
export type TeamCreateInput = z.infer<typeof TeamCreateSchema>;

export const TeamUpdateSchema = TeamCreateSchema.extend({
  version: versionField,
});
export type TeamUpdateInput = z.infer<typeof TeamUpdateSchema>;

/** The "Add a team" form. */
export const TeamCreateFormSchema = TeamCreateSchema.extend({ _csrf: csrf });

/** The rename form on a team's page, with its hidden `version`. */
export const TeamUpdateFormSchema = TeamUpdateSchema.extend({ _csrf: csrf });

/** A team as the API returns it. */
export const TeamJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  name: z.string().describe('Unique whatever its case or spacing'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const TeamListJsonSchema = z.object({
  items: z.array(TeamJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
