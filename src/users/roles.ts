/** The five roles of DESIGN.md section 3. */
export const ROLES = ['admin', 'manager', 'practitioner', 'clinician', 'commissioner'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Team manager',
  practitioner: 'Practitioner (employment specialist or job coach)',
  clinician: 'Clinician',
  commissioner: 'Commissioner (aggregate figures only)',
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Short labels for tight spaces such as the page header. */
export const ROLE_SHORT_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  manager: 'Team manager',
  practitioner: 'Practitioner',
  clinician: 'Clinician',
  commissioner: 'Commissioner',
};
