import { z } from 'zod';

export const SignInSchema = z.strictObject({
  email: z.string().trim().max(254, 'Email address must be 254 characters or fewer').default(''),
  password: z.string().max(1000, 'Password is too long').default(''),
  next: z.string().max(2000).optional(),
  _csrf: z.string().optional(),
});

export const SecondFactorSchema = z.strictObject({
  code: z.string().trim().max(20, 'Enter the 6-digit code').default(''),
  _csrf: z.string().optional(),
});

export const EnrolSchema = z.strictObject({
  code: z.string().trim().max(20, 'Enter the 6-digit code').default(''),
  secret: z.string().max(100).default(''),
  _csrf: z.string().optional(),
});

export const TokenCreateSchema = z.strictObject({
  name: z
    .string({ error: 'Enter a name for the token' })
    .trim()
    .min(1, 'Enter a name for the token')
    .max(100, 'Name must be 100 characters or fewer'),
  _csrf: z.string().optional(),
});

/** Only local paths, so a crafted link cannot bounce someone to another site after signing in. */
export function safeNext(next: string | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return '/';
  return next;
}
