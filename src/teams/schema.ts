import { z } from 'zod';

export const TeamCreateSchema = z.strictObject({
  name: z
    .string({ error: 'Enter a team name' })
    .trim()
    .min(1, 'Enter a team name')
    .max(100, 'Team name must be 100 characters or fewer'),
});
export type TeamCreateInput = z.infer<typeof TeamCreateSchema>;

export const TeamUpdateSchema = TeamCreateSchema.extend({
  version: z.coerce.number({ error: 'Send the version you read' }).int().min(1),
});
export type TeamUpdateInput = z.infer<typeof TeamUpdateSchema>;
