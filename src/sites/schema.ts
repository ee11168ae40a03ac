import { z } from 'zod';
import { nameField, versionField } from '../teams/schema.ts';

// A textarea sends '' when left empty; that means no address.
const address = z
  .string({ error: 'Enter the address as text' })
  .trim()
  .max(500, 'Address must be 500 characters or fewer')
  .optional()
  .transform((v) => (v ? v.replace(/\r\n/g, '\n') : null));

// Forms carry the CSRF token alongside their fields.
const csrf = z.string().optional();

/** The "Add a site" form. */
export const SiteCreateSchema = z.strictObject({
  name: nameField('site'),
  address,
  _csrf: csrf,
});
export type SiteCreateInput = z.infer<typeof SiteCreateSchema>;

/** The edit form on a site's page, with its hidden `version`. */
export const SiteUpdateSchema = SiteCreateSchema.extend({
  version: versionField,
});
export type SiteUpdateInput = z.infer<typeof SiteUpdateSchema>;
