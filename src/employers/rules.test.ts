import { describe, expect, it } from 'vitest';
import {
  canChangeEmployerContact,
  coordinateProblems,
  employerNameKey,
  isFaceToFace,
  mondayOf,
  stageAfterContact,
  tidyEmployerName,
} from './rules.ts';

describe('employerNameKey', () => {
  it('treats "Acme Ltd", "ACME limited" and "The Acme Co." as the same organisation', () => {
    expect(employerNameKey('Acme Ltd')).toBe('acme');
    expect(employerNameKey('ACME limited')).toBe('acme');
    expect(employerNameKey('The Acme Co.')).toBe('acme');
    expect(employerNameKey('  acme  ')).toBe('acme');
  });

  it('ignores apostrophes, so "St Mary\'s", "ST MARYS" and "Saint Mary’s" are one hospital', () => {
    expect(employerNameKey("St Mary's Hospital")).toBe('st marys hospital');
    expect(employerNameKey('ST MARYS HOSPITAL')).toBe('st marys hospital');
    expect(employerNameKey('Saint Mary’s Hospital')).toBe('st marys hospital');
    expect(employerNameKey('St. Mary’s Hospital')).toBe('st marys hospital');
  });

  it('folds "&" into "and", accents and punctuation', () => {
    expect(employerNameKey('Marks & Spencer PLC')).toBe(employerNameKey('Marks and Spencer'));
    expect(employerNameKey('Café Nero')).toBe('cafe nero');
    expect(employerNameKey('Green-Fields (UK) Ltd')).toBe('green fields');
  });

  it('drops several legal endings but never the whole name', () => {
    expect(employerNameKey('Acme Group UK Limited')).toBe('acme');
    expect(employerNameKey('The Company')).toBe('company');
    expect(employerNameKey('Ltd')).toBe('ltd');
  });

  it('keeps organisations with different names apart', () => {
    expect(employerNameKey('Acme Foods')).not.toBe(employerNameKey('Acme'));
    expect(employerNameKey('North Hospital')).not.toBe(employerNameKey('South Hospital'));
    // "The" is only dropped at the start.
    expect(employerNameKey('Bake the Cake')).toBe('bake the cake');
  });

  it('gives an empty key for a name with no letters or digits', () => {
    expect(employerNameKey('  !!  ')).toBe('');
  });
});

describe('tidyEmployerName', () => {
  it('trims and makes runs of spaces single', () => {
    expect(tidyEmployerName('  Acme   Foods  Ltd ')).toBe('Acme Foods Ltd');
  });
});

describe('isFaceToFace', () => {
  it('counts visits and events as face to face, and nothing else', () => {
    expect(isFaceToFace('face_to_face')).toBe(true);
    expect(isFaceToFace('event')).toBe(true);
    expect(isFaceToFace('phone')).toBe(false);
    expect(isFaceToFace('video')).toBe(false);
    expect(isFaceToFace('email')).toBe(false);
  });
});

describe('stageAfterContact', () => {
  it('moves a prospect to contacted and leaves every later stage alone', () => {
    expect(stageAfterContact('prospect')).toBe('contacted');
    expect(stageAfterContact('contacted')).toBe('contacted');
    expect(stageAfterContact('engaged')).toBe('engaged');
    expect(stageAfterContact('hiring_partner')).toBe('hiring_partner');
    expect(stageAfterContact('dormant')).toBe('dormant');
  });
});

describe('canChangeEmployerContact', () => {
  const contact = { practitionerId: 'author', practitionerTeamId: 'north' };

  it('lets the author change their own contact', () => {
    expect(canChangeEmployerContact({ userId: 'author', role: 'practitioner', teamId: 'north' }, contact)).toBe(true);
  });

  it('lets a manager of the author’s team change it, but not a manager of another team', () => {
    expect(canChangeEmployerContact({ userId: 'boss', role: 'manager', teamId: 'north' }, contact)).toBe(true);
    expect(canChangeEmployerContact({ userId: 'other', role: 'manager', teamId: 'south' }, contact)).toBe(false);
    expect(
      canChangeEmployerContact({ userId: 'other', role: 'manager', teamId: null }, { ...contact, practitionerTeamId: null }),
    ).toBe(false);
  });

  it('refuses a colleague on the same team who is not a manager', () => {
    expect(canChangeEmployerContact({ userId: 'colleague', role: 'practitioner', teamId: 'north' }, contact)).toBe(false);
  });

  it('refuses an author who no longer has a role that uses employers', () => {
    expect(canChangeEmployerContact({ userId: 'author', role: 'clinician', teamId: 'north' }, contact)).toBe(false);
  });
});

describe('coordinateProblems', () => {
  it('accepts both or neither', () => {
    expect(coordinateProblems(null, null)).toEqual({});
    expect(coordinateProblems(undefined, undefined)).toEqual({});
    expect(coordinateProblems(51.5, -0.12)).toEqual({});
    expect(coordinateProblems(-90, 180)).toEqual({});
  });

  it('asks for the missing one when only one is given', () => {
    expect(coordinateProblems(51.5, null)).toEqual({ longitude: 'Enter both latitude and longitude, or neither' });
    expect(coordinateProblems(undefined, -0.12)).toEqual({ latitude: 'Enter both latitude and longitude, or neither' });
  });

  it('refuses values out of range', () => {
    expect(coordinateProblems(91, 0)).toEqual({ latitude: 'Latitude must be between -90 and 90' });
    expect(coordinateProblems(0, -181)).toEqual({ longitude: 'Longitude must be between -180 and 180' });
    expect(coordinateProblems(Number.NaN, 0)).toEqual({ latitude: 'Latitude must be between -90 and 90' });
  });
});

describe('mondayOf', () => {
  it('gives the Monday of the week a day falls in', () => {
    expect(mondayOf('2026-11-25')).toBe('2026-11-23');
    expect(mondayOf('2026-11-23')).toBe('2026-11-23');
    expect(mondayOf('2026-11-29')).toBe('2026-11-23');
    expect(mondayOf('2027-01-01')).toBe('2026-12-28');
  });
});
