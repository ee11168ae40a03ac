import { describe, expect, it } from 'vitest';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, isRole, normaliseEmail, passwordProblem } from './rules.ts';

describe('passwordProblem', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('correct horse battery staple')).toBeNull();
    expect(passwordProblem('correct-Horse-battery-9')).toBeNull();
  });

  it('asks for at least 12 characters, counting exactly', () => {
    expect(passwordProblem('a'.repeat(0))).toBe('Password must be at least 12 characters');
    expect(passwordProblem('abcdefghijk')).toBe('Password must be at least 12 characters');
    expect(passwordProblem('abcdefghijkl')).toBeNull();
    expect(PASSWORD_MIN_LENGTH).toBe(12);
  });

  it('refuses a password longer than the maximum', () => {
    const varied = 'abcdefghij'.repeat(PASSWORD_MAX_LENGTH / 10);
    expect(passwordProblem(varied)).toBeNull();
    expect(passwordProblem(`${varied}x`)).toBe(`Password must be ${PASSWORD_MAX_LENGTH} characters or fewer`);
  });

  it('refuses common passwords whatever their case', () => {
    expect(passwordProblem('123456789012')).toBe('Password is too common. Choose one that is harder to guess');
    expect(passwordProblem('Welcome12345')).toBe('Password is too common. Choose one that is harder to guess');
    expect(passwordProblem('ADMINISTRATOR')).toBe('Password is too common. Choose one that is harder to guess');
  });

  it('asks for more variety when a long password repeats a few characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaaaaa')).toBe('Password needs more different characters');
    expect(passwordProblem('abababababababab')).toBe('Password needs more different characters');
    expect(passwordProblem('AbCdAbCdAbCd')).toBe('Password needs more different characters');
  });

  it('refuses a password that contains the email address or the name', () => {
    expect(passwordProblem('xx-jo.bloggs-2026', { email: 'Jo.Bloggs@example.org' })).toBe(
      'Password must not contain your email address',
    );
    expect(passwordProblem('my name is JoBloggs!', { name: 'Jo Bloggs' })).toBe('Password must not contain your name');
  });

  it('ignores very short email names and names, which would refuse too much', () => {
    expect(passwordProblem('a long enough password', { email: 'ann@example.org', name: 'Ann' })).toBeNull();
  });
});

describe('normaliseEmail', () => {
  it('compares emails without case or surrounding spaces', () => {
    expect(normaliseEmail('  Jo.Bloggs@Example.ORG ')).toBe('jo.bloggs@example.org');
  });
});

describe('isRole', () => {
  it('knows the five roles and nothing else', () => {
    for (const r of ['admin', 'manager', 'practitioner', 'clinician', 'commissioner']) expect(isRole(r)).toBe(true);
    expect(isRole('Admin')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
