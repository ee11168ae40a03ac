import { describe, expect, it } from 'vitest';
import type { ParticipantScope, Viewer } from '../participants/rules.ts';
import {
  EMPTY_PROFILE,
  FULL_SENSITIVE_ACCESS,
  NO_SENSITIVE_ACCESS,
  type ProfileData,
  changedFields,
  diffProfiles,
  displayValue,
  employerProfile,
  mergeProfile,
  profileFileName,
  profileProblems,
  redactProfile,
  sensitiveAccess,
} from './rules.ts';

const profile = (over: Partial<ProfileData> = {}): ProfileData => ({ ...EMPTY_PROFILE, ...over });
const scope: ParticipantScope = { practitionerId: 'p1', teamId: 'team-a', clinicalTeamIds: ['clinic'] };
const as = (userId: string, role: Viewer['role'], teamId: string | null): Viewer => ({ userId, role, teamId });

describe('sensitiveAccess', () => {
  it('opens every sensitive section to the assigned practitioner and the team’s managers', () => {
    expect(sensitiveAccess(as('p1', 'practitioner', 'team-a'), scope, profile())).toEqual(FULL_SENSITIVE_ACCESS);
    expect(sensitiveAccess(as('m1', 'manager', 'team-a'), scope, profile())).toEqual(FULL_SENSITIVE_ACCESS);
  });

  it('hides them from a team colleague who is not the assigned practitioner, and from other teams', () => {
    expect(sensitiveAccess(as('p2', 'practitioner', 'team-a'), scope, profile())).toEqual(NO_SENSITIVE_ACCESS);
    expect(sensitiveAccess(as('m2', 'manager', 'team-b'), scope, profile())).toEqual(NO_SENSITIVE_ACCESS);
    expect(sensitiveAccess(as('c1', 'commissioner', null), scope, profile())).toEqual(NO_SENSITIVE_ACCESS);
  });

  it('shows a referring clinician health only when it is marked shared, and never convictions or benefits', () => {
    const clinician = as('c1', 'clinician', 'clinic');
    expect(sensitiveAccess(clinician, scope, profile())).toEqual(NO_SENSITIVE_ACCESS);
    expect(sensitiveAccess(clinician, scope, profile({ health_shared_with_clinical_team: true }))).toEqual({
      health_and_functioning: true,
      convictions: false,
      benefits: false,
    });
    expect(
      sensitiveAccess(as('c2', 'clinician', 'other-clinic'), scope, profile({ health_shared_with_clinical_team: true })),
    ).toEqual(NO_SENSITIVE_ACCESS);
  });
});

describe('redactProfile', () => {
  it('leaves hidden sections out altogether rather than blanking them', () => {
    const out = redactProfile(profile({ skills: 'Driving', convictions: 'Spent', benefits: 'UC' }), NO_SENSITIVE_ACCESS);
    expect(out.skills).toBe('Driving');
    expect('convictions' in out).toBe(false);
    expect('convictions_job_impact' in out).toBe(false);
    expect('benefits' in out).toBe(false);
    expect('health_and_functioning' in out).toBe(false);
    expect('health_shared_with_clinical_team' in out).toBe(false);
  });
});

describe('mergeProfile', () => {
  it('keeps every field the change does not mention', () => {
    const current = profile({ skills: 'Cooking', benefits: 'ESA', days: ['mon'] });
    expect(mergeProfile(current, { skills: 'Baking' })).toEqual({ ...current, skills: 'Baking' });
  });
});

describe('diffProfiles', () => {
  const a = profile({ skills: 'Cooking', convictions: 'Theft, 2015', days: ['mon'] });
  const b = profile({ skills: 'Baking', convictions: 'Theft, 2015 (spent)', days: ['mon', 'tue'] });

  it('lists changed fields with their values before and after', () => {
    expect(diffProfiles(a, b, FULL_SENSITIVE_ACCESS)).toEqual([
      { field: 'skills', label: 'Skills', before: 'Cooking', after: 'Baking', hidden: false },
      { field: 'days', label: 'Days they can work', before: ['mon'], after: ['mon', 'tue'], hidden: false },
      { field: 'convictions', label: 'Convictions', before: 'Theft, 2015', after: 'Theft, 2015 (spent)', hidden: false },
    ]);
  });

  it('says only "changed" for a sensitive field the viewer may not see, and hides by default', () => {
    const hidden = diffProfiles(a, b).find((c) => c.field === 'convictions');
    expect(hidden).toEqual({ field: 'convictions', label: 'Convictions', before: null, after: null, hidden: true });
  });

  it('finds nothing between equal profiles', () => {
    expect(diffProfiles(a, { ...a, days: ['mon'] }, FULL_SENSITIVE_ACCESS)).toEqual([]);
    expect(changedFields(a, b)).toEqual(['skills', 'days', 'convictions']);
  });
});

describe('profileProblems', () => {
  it('refuses more fewest hours than most hours, beside the most hours field', () => {
    expect(profileProblems(profile({ hours_per_week_min: 30, hours_per_week_max: 16 }))).toEqual({
      hours_per_week_max: 'Most hours a week must be the same as or more than the fewest hours',
    });
    expect(profileProblems(profile({ hours_per_week_min: 16, hours_per_week_max: 16 }))).toEqual({});
  });

  it('refuses a time that is both one they can work and one they will never work', () => {
    expect(profileProblems(profile({ times: ['mornings', 'nights'], never_times: ['nights'] }))).toEqual({
      never_times: 'Nights cannot be both a time they can work and a time they will never work',
    });
    expect(profileProblems(profile({ times: ['mornings'], never_times: ['nights'] }))).toEqual({});
  });

  it('refuses "no weekends" alongside weekend work or a Saturday or Sunday', () => {
    expect(Object.keys(profileProblems(profile({ no_weekends: true, weekends_ok: true })))).toEqual(['no_weekends']);
    expect(profileProblems(profile({ no_weekends: true, days: ['fri', 'sat'] })).no_weekends).toContain('Saturday or Sunday');
    expect(profileProblems(profile({ no_weekends: true, weekends_ok: false, days: ['mon'] }))).toEqual({});
  });

  it('asks for both home coordinates or neither, beside the one missing', () => {
    expect(profileProblems(profile({ home_latitude: 53.48 }))).toEqual({
      home_longitude: 'Enter the longitude as well as the latitude, or neither',
    });
    expect(profileProblems(profile({ home_longitude: -2.24 }))).toEqual({
      home_latitude: 'Enter the latitude as well as the longitude, or neither',
    });
    expect(profileProblems(profile({ home_latitude: 53.48, home_longitude: -2.24 }))).toEqual({});
  });
});

describe('displayValue', () => {
  it('shows pay in pounds and lists in words', () => {
    expect(displayValue('lowest_hourly_pay_pence', 1271)).toBe('£12.71 an hour');
    expect(displayValue('days', ['sat', 'sun'])).toBe('Saturday, Sunday');
    expect(displayValue('days', [])).toBeNull();
    expect(displayValue('never_times', ['evenings', 'nights'])).toBe('Evenings, Nights');
    expect(displayValue('no_weekends', true)).toBe('Yes');
    expect(displayValue('home_longitude', -2.2426)).toBe('-2.2426');
  });
});

describe('employerProfile', () => {
  const full = profile({
    skills: 'Forklift licence',
    strengths: 'Reliable',
    support_needs: 'Written instructions',
    disclosure_notes: 'I may need time off for appointments',
    health_and_functioning: 'Bipolar disorder',
    convictions: 'Burglary 2012',
    benefits: 'Universal Credit with LCWRA',
    occupations: ['Warehouse'],
    hours_per_week_min: 16,
    hours_per_week_max: 24,
    lowest_hourly_pay_pence: 1271,
  });
  const text = (p: ProfileData) =>
    employerProfile('Sam Jones', p)
      .sections.map((s) => `${s.heading}: ${s.text}`)
      .join('\n');

  it('never includes the sensitive sections', () => {
    for (const disclosure of ['full', 'partial', 'none', null] as const) {
      const t = text({ ...full, disclosure });
      expect(t).not.toContain('Bipolar');
      expect(t).not.toContain('Burglary');
      expect(t).not.toContain('Universal Credit');
      expect(t).toContain('Forklift licence');
      expect(t).toContain('16 to 24 hours a week');
      expect(t).toContain('£12.71 an hour');
    }
  });

  it('includes support needs only with full disclosure, and only the notes with partial', () => {
    expect(text({ ...full, disclosure: 'full' })).toContain('Written instructions');
    const partial = text({ ...full, disclosure: 'partial' });
    expect(partial).not.toContain('Written instructions');
    expect(partial).toContain('time off for appointments');
    for (const none of [
      { ...full, disclosure: 'none' as const },
      { ...full, disclosure: null },
    ]) {
      expect(text(none)).not.toContain('Written instructions');
      expect(text(none)).not.toContain('appointments');
    }
  });
});

describe('employerProfile hard limits', () => {
  it('tells the employer the times and weekends ruled out, and never where the person lives', () => {
    const p = profile({
      skills: 'Cooking',
      never_times: ['nights'],
      no_weekends: true,
      weekends_ok: false,
      home_latitude: 53.4808,
      home_longitude: -2.2426,
    });
    const text = employerProfile('Sam Jones', p)
      .sections.map((s) => s.text)
      .join('\n');
    expect(text).toContain('Times I cannot work: Nights');
    expect(text).toContain('Weekends: no');
    expect(text).not.toContain('rather not');
    expect(text).not.toContain('53.48');
    expect(text).not.toContain('2.24');
  });
});

describe('profileFileName', () => {
  it('makes a safe attachment name from any name', () => {
    expect(profileFileName('Zoë O’Brien "x"; rm', '2026-11-25')).toBe('profile-zoe-o-brien-x-rm-2026-11-25.pdf');
    expect(profileFileName('李', '2026-11-25')).toBe('profile-participant-2026-11-25.pdf');
  });
});
