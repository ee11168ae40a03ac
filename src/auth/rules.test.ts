import { describe, expect, it } from 'vitest';
import { ACCOUNT_THROTTLE, afterFailure, blockedUntil, decrypt, deriveKey, encrypt, waitMessage } from './rules.ts';

const t0 = new Date('2026-11-25T10:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);

describe('sign-in throttling', () => {
  it('lets the first two failures through, then makes people wait, then locks for 15 minutes', () => {
    let state = afterFailure(undefined, t0, ACCOUNT_THROTTLE);
    expect(blockedUntil(state, t0)).toBeNull();
    state = afterFailure(state, t0, ACCOUNT_THROTTLE);
    expect(blockedUntil(state, t0)).toBeNull();
    state = afterFailure(state, t0, ACCOUNT_THROTTLE);
    expect(blockedUntil(state, t0)).toEqual(at(2_000));
    state = afterFailure(state, at(3_000), ACCOUNT_THROTTLE);
    expect(blockedUntil(state, at(3_000))).toEqual(at(13_000));
    state = afterFailure(state, at(14_000), ACCOUNT_THROTTLE);
    expect(blockedUntil(state, at(14_000))).toEqual(at(14_000 + 15 * 60_000));
  });

  it('forgets failures after the 15-minute window', () => {
    let state = afterFailure(undefined, t0, ACCOUNT_THROTTLE);
    state = afterFailure(state, t0, ACCOUNT_THROTTLE);
    state = afterFailure(state, at(16 * 60_000), ACCOUNT_THROTTLE);
    expect(state.failures).toBe(1);
  });

  it('words the wait in seconds or minutes', () => {
    expect(waitMessage(at(2_000), t0)).toBe('Too many attempts to sign in. Wait 2 seconds, then try again.');
    expect(waitMessage(at(15 * 60_000), t0)).toBe('Too many attempts to sign in. Wait 15 minutes, then try again.');
  });
});

describe('sealing second-factor secrets', () => {
  it('round-trips and refuses a tampered value or the wrong key', () => {
    const key = deriveKey('a'.repeat(40), 'totp');
    const sealed = encrypt(key, 'JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decrypt(key, sealed)).toBe('JBSWY3DPEHPK3PXP');
    expect(() => decrypt(deriveKey('b'.repeat(40), 'totp'), sealed)).toThrow();
    expect(() => decrypt(key, sealed.slice(0, -2) + 'AA')).toThrow();
  });
});
