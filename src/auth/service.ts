import { randomUUID } from 'node:crypto';
import { generateSecret, generateURI, verifySync } from 'otplib';
import type { Db, DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { NotFoundError, TooManyRequestsError, ValidationError } from '../errors.ts';
import type { Actor } from '../http/types.ts';
import * as audit from '../audit/service.ts';
import * as settings from '../settings/service.ts';
import * as users from '../users/service.ts';
import { type Role, normaliseEmail } from '../users/rules.ts';
import * as repo from './repo.ts';
import {
  ACCOUNT_THROTTLE,
  ADDRESS_THROTTLE,
  type ThrottlePolicy,
  type ThrottleState,
  afterFailure,
  blockedUntil,
  decrypt,
  encrypt,
  hashSecret,
  newSecret,
  waitMessage,
} from './rules.ts';

export const SIGN_IN_FAILED = 'Enter a correct email address and password';

export interface SignInResult {
  /** The cookie value; only its hash is stored. */
  sessionToken: string;
  userId: string;
  /** 'verify' asks for a code; 'enrol' makes the person set one up first. */
  secondFactor: 'none' | 'verify' | 'enrol';
}

function toState(row: repo.ThrottleRow | undefined): ThrottleState | undefined {
  return row
    ? {
        failures: Number(row.failures),
        windowStartedAt: new Date(row.window_started_at),
        lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
      }
    : undefined;
}

async function checkThrottle(db: DbOrTrx, deps: Deps, keys: string[]): Promise<void> {
  const now = deps.clock.now();
  const rows = await repo.findThrottle(db, keys);
  const waits = rows.map((r) => blockedUntil(toState(r), now)).filter((d): d is Date => d !== null);
  if (waits.length > 0) {
    const latest = new Date(Math.max(...waits.map((d) => d.getTime())));
    throw new TooManyRequestsError(waitMessage(latest, now));
  }
}

async function noteFailure(db: DbOrTrx, deps: Deps, key: string, policy: ThrottlePolicy): Promise<void> {
  const now = deps.clock.now();
  const [row] = await repo.findThrottle(db, [key]);
  const next = afterFailure(toState(row), now, policy);
  await repo.saveThrottle(db, {
    key,
    failures: next.failures,
    window_started_at: next.windowStartedAt.toISOString(),
    locked_until: next.lockedUntil?.toISOString() ?? null,
  });
}

/**
 * Checks an email and password. Failures slow down, then lock, both the account and the client
 * address; the message is the same whether or not the email exists.
 */
export async function signIn(
  db: Db,
  deps: Deps,
  ctx: audit.AuditContext,
  input: { email: string; password: string; userAgent?: string | null },
): Promise<SignInResult> {
  const email = normaliseEmail(input.email);
  const emailKey = `email:${email}`;
  const addressKey = `address:${ctx.clientAddress ?? 'unknown'}`;
  try {
    await checkThrottle(db, deps, [emailKey, addressKey]);
  } catch (err) {
    await audit.record(db, deps, { ...ctx, actorLabel: email }, { action: 'auth.sign_in_refused_throttled' });
    throw err;
  }
  const row = await users.findForSignIn(db, email);
  const passwordOk = await users.checkPassword(row?.password_hash, input.password);
  if (!row || !passwordOk || Number(row.active) !== 1) {
    await noteFailure(db, deps, emailKey, ACCOUNT_THROTTLE);
    await noteFailure(db, deps, addressKey, ADDRESS_THROTTLE);
    await audit.record(
      db,
      deps,
      { ...ctx, actorUserId: row?.id ?? null, actorLabel: email },
      {
        action: 'auth.sign_in_failed',
        ...(row ? { entityType: 'user', entityId: row.id } : {}),
        details: { reason: !row ? 'unknown_email' : !passwordOk ? 'wrong_password' : 'inactive' },
      },
    );
    throw new ValidationError({ email: SIGN_IN_FAILED }, SIGN_IN_FAILED);
  }
  await repo.clearThrottle(db, emailKey);
  const required = (await settings.getSettings(db)).requireSecondFactor;
  const secondFactor: SignInResult['secondFactor'] = Number(row.totp_enabled) === 1 ? 'verify' : required ? 'enrol' : 'none';
  const sessionToken = await startSession(db, deps, row.id, secondFactor !== 'none', ctx, input.userAgent ?? null);
  const who = { ...ctx, actorUserId: row.id, actorLabel: row.email };
  if (secondFactor === 'none') {
    await users.recordSignIn(db, deps, row.id);
    await audit.record(db, deps, who, { action: 'auth.signed_in', entityType: 'user', entityId: row.id });
  } else {
    await audit.record(db, deps, who, {
      action: 'auth.password_accepted',
      entityType: 'user',
      entityId: row.id,
      details: { second_factor: secondFactor },
    });
  }
  return { sessionToken, userId: row.id, secondFactor };
}

/** A new session: a fresh id every time, which is the rotation on sign-in. */
async function startSession(
  db: DbOrTrx,
  deps: Deps,
  userId: string,
  pending: boolean,
  ctx: audit.AuditContext,
  userAgent: string | null,
): Promise<string> {
  const token = newSecret('sws_');
  const now = deps.clock.now();
  await repo.insertSession(db, {
    id: hashSecret(token),
    user_id: userId,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + deps.sessionAbsoluteMs).toISOString(),
    second_factor_pending: pending ? 1 : 0,
    client_address: ctx.clientAddress,
    user_agent: userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

function toActor(
  row: { user_id: string; email: string; name: string; role: string; team_id: string | null },
  via: Actor['via'],
): Actor {
  return {
    userId: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role as Role,
    teamId: row.team_id,
    via,
    secondFactorPending: false,
  };
}

/** The actor behind a session cookie, or null when it is unknown, idle too long or past its end. */
export async function resolveSession(db: DbOrTrx, deps: Deps, token: string): Promise<Actor | null> {
  if (!token.startsWith('sws_') || token.length > 100) return null;
  const id = hashSecret(token);
  const row = await repo.findSession(db, id);
  if (!row) return null;
  const now = deps.clock.now();
  const idleLimit = new Date(row.last_seen_at).getTime() + deps.sessionIdleMs;
  if (new Date(row.expires_at) <= now || idleLimit <= now.getTime() || Number(row.active) !== 1) {
    await repo.deleteSession(db, id);
    return null;
  }
  // Writing on every request would make each page a write; a minute's precision is enough.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) await repo.touchSession(db, id, now.toISOString());
  return { ...toActor(row, 'session'), sessionId: id, secondFactorPending: Number(row.second_factor_pending) === 1 };
}

export async function signOut(db: DbOrTrx, deps: Deps, ctx: audit.AuditContext, sessionId: string): Promise<void> {
  await repo.deleteSession(db, sessionId);
  await audit.record(db, deps, ctx, {
    action: 'auth.signed_out',
    entityType: 'user',
    ...(ctx.actorUserId ? { entityId: ctx.actorUserId } : {}),
  });
}

/** Checks a second-factor code for a pending session; on success replaces it with a full one. */
export async function completeSecondFactor(
  db: Db,
  deps: Deps,
  ctx: audit.AuditContext,
  actor: Actor,
  code: string,
  userAgent: string | null,
): Promise<string> {
  const key = `totp:${actor.userId}`;
  await checkThrottle(db, deps, [key]);
  const row = await users.findForSignIn(db, actor.email);
  const secret = row?.totp_secret ? decrypt(deps.totpKey, row.totp_secret) : null;
  if (!row || !secret || !codeMatches(secret, code, deps)) {
    await noteFailure(db, deps, key, ACCOUNT_THROTTLE);
    await audit.record(db, deps, ctx, { action: 'auth.second_factor_failed', entityType: 'user', entityId: actor.userId });
    throw new ValidationError({ code: 'Enter the 6-digit code shown in your authenticator app now' });
  }
  await repo.clearThrottle(db, key);
  return finishSignIn(db, deps, ctx, actor, userAgent);
}

async function finishSignIn(
  db: Db,
  deps: Deps,
  ctx: audit.AuditContext,
  actor: Actor,
  userAgent: string | null,
): Promise<string> {
  if (actor.sessionId) await repo.deleteSession(db, actor.sessionId);
  const token = await startSession(db, deps, actor.userId, false, ctx, userAgent);
  await users.recordSignIn(db, deps, actor.userId);
  await audit.record(db, deps, ctx, {
    action: 'auth.signed_in',
    entityType: 'user',
    entityId: actor.userId,
    details: { second_factor: true },
  });
  return token;
}

function codeMatches(secret: string, code: string, deps: Deps): boolean {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return false;
  try {
    return verifySync({ secret, token, epoch: Math.floor(deps.clock.now().getTime() / 1000), epochTolerance: 30 }).valid;
  } catch {
    return false;
  }
}

/** A second-factor secret (new unless one is being re-shown) and the address an authenticator app reads from a QR code. */
export function secondFactorSecret(email: string, existing?: string): { secret: string; uri: string } {
  const secret = existing && /^[A-Z2-7]{16,64}$/.test(existing) ? existing : generateSecret();
  return { secret, uri: generateURI({ issuer: 'Stepwise', label: email, secret }) };
}

/**
 * Turns on the second factor once the person proves their app has the secret. When they were
 * signing in (a pending session), it also finishes the sign-in and returns the new session.
 */
export async function enrolSecondFactor(
  db: Db,
  deps: Deps,
  ctx: audit.AuditContext,
  actor: Actor,
  secret: string,
  code: string,
  userAgent: string | null,
): Promise<string | null> {
  if (!/^[A-Z2-7]{16,64}$/.test(secret))
    throw new ValidationError({ code: 'Start setting up again: the set-up key was not recognised' });
  if (!codeMatches(secret, code, deps))
    throw new ValidationError({ code: 'Enter the 6-digit code shown in your authenticator app now' });
  await users.enableSecondFactor(db, deps, ctx, actor.userId, encrypt(deps.totpKey, secret));
  return actor.secondFactorPending ? finishSignIn(db, deps, ctx, actor, userAgent) : null;
}

export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

function toToken(r: repo.ApiTokenRow): ApiToken {
  return { id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at, revokedAt: r.revoked_at };
}

/** Issues an API token for a user; the secret is returned once and only its hash is kept. */
export async function createApiToken(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  userId: string,
  name: string,
): Promise<{ token: string; record: ApiToken }> {
  const token = newSecret('swt_');
  const row: repo.ApiTokenRow = {
    id: randomUUID(),
    user_id: userId,
    name: name.trim() || 'API token',
    token_hash: hashSecret(token),
    created_at: deps.clock.now().toISOString(),
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertToken(db, row);
  await audit.record(db, deps, ctx, {
    action: 'token.created',
    entityType: 'api_token',
    entityId: row.id,
    details: { user_id: userId, name: row.name },
  });
  return { token, record: toToken(row) };
}

/** The actor behind a bearer token, or null when it is unknown, revoked or its user inactive. */
export async function resolveApiToken(db: DbOrTrx, deps: Deps, token: string): Promise<Actor | null> {
  if (!token.startsWith('swt_') || token.length > 100) return null;
  const row = await repo.findTokenByHash(db, hashSecret(token));
  if (!row || row.revoked_at || Number(row.active) !== 1) return null;
  const now = deps.clock.now();
  if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() > 60_000) {
    await repo.touchToken(db, row.id, now.toISOString());
  }
  return toActor(row, 'token');
}

export async function listApiTokens(db: DbOrTrx, userId: string): Promise<ApiToken[]> {
  return (await repo.listTokensOfUser(db, userId)).map(toToken);
}

/** Revokes one of `ownerId`'s tokens; someone else's token is reported as not found. */
export async function revokeApiToken(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  ownerId: string,
  tokenId: string,
): Promise<void> {
  const row = await repo.findToken(db, tokenId);
  if (!row || row.user_id !== ownerId) throw new NotFoundError('Token not found');
  await repo.revokeToken(db, tokenId, deps.clock.now().toISOString());
  await audit.record(db, deps, ctx, {
    action: 'token.revoked',
    entityType: 'api_token',
    entityId: tokenId,
    details: { user_id: ownerId },
  });
}

/** Ends every session of a user (after deactivation or a second-factor reset). */
export async function endSessionsOf(db: DbOrTrx, userId: string): Promise<void> {
  await repo.deleteSessionsOfUser(db, userId);
}

/** Deletes sessions past their limits and throttle records whose window has passed. */
export async function purgeExpired(db: DbOrTrx, deps: Deps): Promise<void> {
  const now = deps.clock.now();
  await repo.deleteExpiredSessions(db, now.toISOString(), new Date(now.getTime() - deps.sessionIdleMs).toISOString());
  await repo.deleteStaleThrottles(db, new Date(now.getTime() - 60 * 60_000).toISOString(), now.toISOString());
}
