import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { adjacentWeekday, summariseAttendance } from './progress.ts';
import { parseAttendance, parseRotationProgress } from './progress-schema.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

function fieldsOf(fn: () => unknown): Record<string, string> {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('summariseAttendance', () => {
  it('gives the share of recorded days present, rounded, and days absent by reason in the reasons’ order', () => {
    const s = summariseAttendance([
      { present: true, reason: null },
      { present: false, reason: 'transport' },
      { present: false, reason: 'ill' },
      { present: false, reason: 'ill' },
      { present: true, reason: null },
      { present: true, reason: null },
    ]);
    expect(s.percent).toBe(50);
    expect([s.daysRecorded, s.daysPresent, s.daysAbsent]).toEqual([6, 3, 3]);
    expect(s.absences).toEqual([
      { reason: 'ill', label: 'Ill', days: 2 },
      { reason: 'transport', label: 'Transport problem', days: 1 },
    ]);
  });

  it('rounds two days out of three to 67% and says nothing is recorded with no days', () => {
    expect(
      summariseAttendance([
        { present: true, reason: null },
        { present: true, reason: null },
        { present: false, reason: 'holiday' },
      ]).percent,
    ).toBe(67);
    const none = summariseAttendance([]);
    expect(none.percent).toBeNull();
    expect(none.absences).toEqual([]);
  });
});

describe('adjacentWeekday', () => {
  it('skips the weekend both ways', () => {
    expect(adjacentWeekday('2026-11-27', 1)).toBe('2026-11-30'); // Friday to Monday
    expect(adjacentWeekday('2026-11-30', -1)).toBe('2026-11-27');
    expect(adjacentWeekday('2026-11-24', 1)).toBe('2026-11-25');
  });
});

describe('parseAttendance', () => {
  it('reads present, absent with a reason, and unmarked interns', () => {
    const entries = parseAttendance(
      { [`attendance_${A}`]: 'absent', [`reason_${A}`]: 'appointment', [`note_${A}`]: ' Dentist ' },
      [A, B],
    );
    expect(entries).toEqual([
      { internId: A, present: false, reason: 'appointment', note: ' Dentist ' },
      { internId: B, present: null, reason: null, note: null },
    ]);
  });

  it('refuses an unknown mark or reason on that intern’s row', () => {
    const fields = fieldsOf(() => parseAttendance({ [`attendance_${A}`]: 'late', [`reason_${B}`]: 'bored' }, [A, B]));
    expect(fields).toEqual({ [`attendance_${A}`]: 'Select present or absent', [`reason_${B}`]: 'Select a reason from the list' });
  });
});

describe('parseRotationProgress', () => {
  it('answers every offered checklist item, ticked or not, with its note', () => {
    const input = parseRotationProgress({ achieved: B, [`note_${A}`]: 'Nearly', task_ids: [A, A], review_date: '20/11/2026' }, [
      A,
      B,
    ]);
    expect(input.checks).toEqual([
      { itemId: A, achieved: false, note: 'Nearly' },
      { itemId: B, achieved: true, note: null },
    ]);
    expect(input.taskIds).toEqual([A]);
    expect(input.review.reviewDate).toBe('2026-11-20');
    expect(input.review.version).toBeUndefined();
  });

  it('refuses an item that is not offered, a bad date and a bad version, each on its field', () => {
    expect(fieldsOf(() => parseRotationProgress({ achieved: B }, [A]))).toEqual({
      achieved: 'Select checklist items from the list',
    });
    const fields = fieldsOf(() => parseRotationProgress({ review_date: '31/02/2027', review_version: 'x' }, []));
    expect(fields.review_date).toBe('Review date must be a real date, like 25/03/2027');
    expect(fields.review_version).toBe('Send the version you read');
  });
});
