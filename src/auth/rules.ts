import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';

/** SHA-256 hex of a bearer secret: what the database keeps instead of the secret. */
export function hashSecret(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A fresh unguessable secret with a readable prefix (`sws_` for sessions, `swt_` for API tokens). */
export function newSecret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** A sub-key for one purpose, so one STEPWISE_SECRET can serve several without reuse. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return createHmac('sha256', secret).update(`stepwise:${purpose}`).digest();
}

/** AES-256-GCM, for second-factor secrets at rest. */
export function encrypt(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url')).join('.');
}

export function decrypt(key: Buffer, sealed: string): string {
  const [iv, tag, body] = sealed.split('.').map((p) => Buffer.from(p, 'base64url'));
  if (!iv || !tag || !body) throw new Error('Malformed sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
}

/** Sign-in throttling state for one key (an email address or a client address). */
export interface ThrottleState {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export interface ThrottlePolicy {
  /** Failures are counted within this window, then forgotten. */
  windowMs: number;
  /** Failure count at which the key is locked for `lockMs`. */
  lockAfter: number;
  lockMs: number;
  /** Short waits imposed after each failure before the lock, in order (slow down, then lock). */
  backoffMs: readonly number[];
}

export const ACCOUNT_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  lockAfter: 5,
  lockMs: 15 * 60_000,
  backoffMs: [0, 0, 2_000, 10_000],
};

export const ADDRESS_THROTTLE: ThrottlePolicy = {
  windowMs: 15 * 60_000,
  lockAfter: 30,
  lockMs: 15 * 60_000,
  backoffMs: [],
};

/** When the key may try again, or null when it may try now. */
export function blockedUntil(state: ThrottleState | undefined, now: Date): Date | null {
  if (!state?.lockedUntil) return null;
  return state.lockedUntil > now ? state.lockedUntil : null;
}

/** The state after one more failed attempt. */
export function afterFailure(state: ThrottleState | undefined, now: Date, policy: ThrottlePolicy): ThrottleState {
  const fresh = !state || now.getTime() - state.windowStartedAt.getTime() > policy.windowMs;
  const failures = fresh ? 1 : state.failures + 1;
  const windowStartedAt = fresh ? now : state.windowStartedAt;
  let wait = policy.backoffMs[failures - 1] ?? 0;
  if (failures >= policy.lockAfter) wait = policy.lockMs;
  return { failures, windowStartedAt, lockedUntil: wait > 0 ? new Date(now.getTime() + wait) : null };
}

/** Plain words for how long to wait, never saying whether the account exists. */
export function waitMessage(until: Date, now: Date): string {
  const seconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
  const amount = seconds >= 90 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`;
  return `Too many attempts to sign in. Wait ${amount}, then try again.`;
}
