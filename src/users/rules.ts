export { ROLES, ROLE_LABELS, isRole, type Role } from './roles.ts';

const COMMON = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  '123456789012',
  'qwertyuiopas',
  'letmein12345',
  'welcome12345',
  'iloveyou1234',
  'changeme1234',
  'administrator',
  'stepwise1234',
  'nhs123456789',
]);

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** Why a password is too weak, in words for the person choosing it; null when it will do. */
export function passwordProblem(password: string, about: { email?: string; name?: string } = {}): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'Password is too common. Choose one that is harder to guess';
  if (new Set(lower).size < 5) return 'Password needs more different characters';
  const local = about.email?.split('@')[0]?.toLowerCase();
  if (local && local.length >= 4 && lower.includes(local)) return 'Password must not contain your email address';
  const name = about.name?.toLowerCase().replace(/\s+/g, '');
  if (name && name.length >= 4 && lower.includes(name)) return 'Password must not contain your name';
  return null;
}

/** Emails are compared without case and surrounding spaces. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}
