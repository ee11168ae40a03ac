import { describe, expect, it } from 'vitest';
import {
  ageOn,
  canEditParticipant,
  canSeeParticipant,
  canSeeSensitive,
  formatNhsNumber,
  isValidNhsNumber,
  searchNameOf,
  searchText,
  statusChangeProblem,
} from './rules.ts';

describe('NHS number', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', '9990000018'])('accepts %s', (n) => {
    expect(isValidNhsNumber(n)).toBe(true);
  });
  it.each(['9434765918', '943476591', '94347659190', 'abcdefghij', '', '1000000010'])('refuses %s', (n) => {
    expect(isValidNhsNumber(n)).toBe(false);
  });
  it('formats as 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
  });
});

describe('status transitions', () => {
  it('allows the usual journey and moving back into job search after a job ends', () => {
    expect(statusChangeProblem('referred', 'engaged')).toBeNull();
    expect(statusChangeProblem('engaged', 'job_search')).toBeNull();
    expect(statusChangeProblem('job_search', 'employed')).toBeNull();
    expect(statusChangeProblem('employed', 'job_search')).toBeNull();
    expect(statusChangeProblem('employed', 'discharged')).toBeNull();
  });
  it('refuses skipping engagement, with the reason and the choices', () => {
    expect(statusChangeProblem('referred', 'employed')).toBe(
      'Someone who is referred cannot move straight to employed. They can move to: engaged, discharged',
    );
  });
  it('sends a discharged person back through a new referral', () => {
    expect(statusChangeProblem('discharged', 'engaged')).toContain('new referral');
  });
});

describe('name search text', () => {
  it('ignores case and accents', () => {
    expect(searchText('Zoë  ÅSE')).toBe('zoe ase');
    expect(searchNameOf({ givenName: 'José', familyName: 'Núñez', preferredName: 'Pepe' })).toBe('jose nunez pepe');
  });
});

describe('who may see a participant', () => {
  const p = { practitionerId: 'pat', teamId: 'north', clinicalTeamIds: ['cmht-a'] };
  it.each([
    [{ userId: 'pat', role: 'practitioner', teamId: 'south' }, true, true, true],
    [{ userId: 'sam', role: 'practitioner', teamId: 'north' }, true, true, false],
    [{ userId: 'sam', role: 'practitioner', teamId: 'south' }, false, false, false],
    [{ userId: 'max', role: 'manager', teamId: 'north' }, true, true, true],
    [{ userId: 'max', role: 'manager', teamId: 'south' }, false, false, false],
    [{ userId: 'cli', role: 'clinician', teamId: 'cmht-a' }, true, false, false],
    [{ userId: 'cli', role: 'clinician', teamId: 'cmht-b' }, false, false, false],
    [{ userId: 'adm', role: 'admin', teamId: 'north' }, false, false, false],
    [{ userId: 'com', role: 'commissioner', teamId: 'north' }, false, false, false],
  ] as const)('%j: sees %s, edits %s, sensitive %s', (viewer, sees, edits, sensitive) => {
    expect(canSeeParticipant(viewer, p)).toBe(sees);
    expect(canEditParticipant(viewer, p)).toBe(edits);
    expect(canSeeSensitive(viewer, p)).toBe(sensitive);
  });
});

describe('age', () => {
  it('counts whole years, turning on the birthday', () => {
    expect(ageOn('2000-11-25', '2026-11-24')).toBe(25);
    expect(ageOn('2000-11-25', '2026-11-25')).toBe(26);
  });
});
