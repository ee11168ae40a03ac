import { z } from 'zod';
import { ROLES } from './roles.ts';

const email = z
  .string({ error: 'Enter an email address' })
  .trim()
  .min(1, 'Enter an email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.org' }));

const name = z.string({ error: 'Enter a name' }).trim().min(1, 'Enter a name').max(100, 'Name must be 100 characters or fewer');

const role = z.enum(ROLES, { error: 'Select a role' });

// Forms send '' for "no team"; the API may send null. Left out, it stays undefined so that a
// PATCH without `team_id` keeps the team rather than clearing it.
const teamId = z
  .union([z.uuid({ error: 'Select a team from the list' }), z.literal(''), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v ? v : null));

const password = z.string({ error: 'Enter a password' }).min(1, 'Enter a password').max(1000, 'Password is too long');

export const UserCreateSchema = z.strictObject({
  email,
  name,
  role,
  team_id: teamId,
  password,
});
export type UserCreateInput = z.infer<typeof UserCreateSchema>;

export const UserUpdateSchema = z.strictObject({
  name: name.optional(),
  role: role.optional(),
  team_id: teamId,
  active: z.boolean({ error: 'Active must be true or false' }).optional(),
  version: z.number({ error: 'Send the version you read' }).int().min(1),
});
export type UserUpdateInput = z.infer<typeof UserUpdateSchema>;

/** The admin form posts strings; this turns them into the same shape the API sends. */
export const UserEditFormSchema = z.strictObject({
  name,
  role,
  team_id: teamId,
  version: z.coerce.number().int().min(1),
  _csrf: z.string().optional(),
});

/** The admin's "Add a user" form: the API's fields plus the form's hidden token. */
export const UserCreateFormSchema = UserCreateSchema.extend({ _csrf: z.string().optional() });

/** An administrator setting a new password for someone (checked for strength in the service). */
export const UserPasswordSchema = z.strictObject({
  password,
  _csrf: z.string().optional(),
});
export type UserPasswordInput = z.infer<typeof UserPasswordSchema>;

export const FirstAdminSchema = z.strictObject({
  email,
  name,
  password,
  _csrf: z.string().optional(),
});
export type FirstAdminInput = z.infer<typeof FirstAdminSchema>;

export const UserListQuerySchema = z.strictObject({
  q: z.string().trim().max(100, 'Search must be 100 characters or fewer').optional(),
  role: z.union([role, z.literal('')]).optional(),
  team_id: z.union([z.uuid({ error: 'Select a team from the list' }), z.literal('')]).optional(),
  status: z.enum(['active', 'inactive', 'all', '']).optional(),
  limit: z.coerce.number().int().min(1, 'Limit must be at least 1').max(200, 'Limit must be 200 or fewer').default(50),
  cursor: z.string().max(300).optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

/** A user as the API returns it (for the API description; `userJson` builds it). */
export const UserJsonSchema = z.object({
  id: z.string().describe('Record id (a UUID)'),
  email: z.string().describe('Lower case; used to sign in'),
  name: z.string(),
  role: z.enum(ROLES),
  team_id: z.string().nullable().describe('The team’s id, or null for no team'),
  active: z.boolean().describe('False once deactivated: they cannot sign in and their tokens stop working'),
  second_factor_enabled: z.boolean(),
  last_sign_in_at: z.string().nullable().describe('ISO-8601 instant, or null if they have never signed in'),
  created_at: z.string().describe('ISO-8601 instant'),
  updated_at: z.string().describe('ISO-8601 instant'),
  version: z.number().int().min(1).describe('Send it back in a PATCH'),
});

export const UserListJsonSchema = z.object({
  items: z.array(UserJsonSchema),
  next_cursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page'),
});
