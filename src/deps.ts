import type { Clock } from './clock.ts';
import { deriveKey } from './auth/rules.ts';

/** What services need besides the database: time, keys and a few limits. */
export interface Deps {
  clock: Clock;
  /** Keys the audit chain's hashes. */
  auditKey: Buffer;
  /** Encrypts second-factor secrets at rest. */
  totpKey: Buffer;
  sessionIdleMs: number;
  sessionAbsoluteMs: number;
}

export function createDeps(options: {
  secret: string;
  clock: Clock;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
}): Deps {
  return {
    clock: options.clock,
    auditKey: deriveKey(options.secret, 'audit-chain'),
    totpKey: deriveKey(options.secret, 'totp-secrets'),
    sessionIdleMs: options.sessionIdleMinutes * 60_000,
    sessionAbsoluteMs: options.sessionAbsoluteHours * 3_600_000,
  };
}
