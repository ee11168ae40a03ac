import type { AuditContext } from '../audit/service.ts';
import { fixedClock } from '../clock.ts';
import { isOutOfHours } from '../calendar/bank-holidays.ts';
import type { ContactMode, ContactPlace, ContactPurpose } from '../contacts/rules.ts';
import * as contacts from '../contacts/service.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import type { Viewer } from '../participants/rules.ts';
import { addDays } from '../appointments/rules.ts';
import { daysBetween, londonDate, londonInstant } from '../referrals/rules.ts';
import type { User } from '../users/service.ts';
import { between, nameSource, pick, seededRandom } from './names.ts';
import { testNhsNumber } from './nhs-number.ts';

/** Someone doing things in the demo: the user, how services see them, and the audit context. */
export interface Actor {
  user: User;
  viewer: Viewer;
  ctx: AuditContext;
}

/**
 * The demo's shared state. Its clock is moved to when each thing "happened", so records, status
 * histories and the audit trail carry believable times; it is never moved past the real now.
 */
export class DemoWorld {
  readonly deps: Deps;
  readonly now: Date;
  readonly today: string;
  readonly random = seededRandom(20261125);
  readonly nextName = nameSource(this.random);
  private readonly clock;
  private nhsSerial = 100_000;

  constructor(
    readonly db: DbOrTrx,
    deps: Deps,
    readonly progress: (line: string) => void,
  ) {
    this.now = deps.clock.now();
    this.today = londonDate(this.now);
    this.clock = fixedClock(this.now);
    this.deps = { ...deps, clock: this.clock };
  }

  actor(user: User): Actor {
    return {
      user,
      viewer: { userId: user.id, role: user.role, teamId: user.teamId },
      ctx: { actorUserId: user.id, actorLabel: user.email, clientAddress: null, requestId: null },
    };
  }

  /** Sets the clock to an instant (never later than now). */
  at(instant: Date | string): void {
    const t = new Date(instant);
    this.clock.set(t.getTime() > this.now.getTime() ? this.now : t);
  }

  /** Sets the clock to a London day and time, `offset` days from today. */
  atDay(offset: number, time = '16:30'): void {
    this.at(londonInstant(this.day(offset), time));
  }

  /** Puts the clock back to now. */
  present(): void {
    this.clock.set(this.now);
  }

  /** The London day `offset` days from today. */
  day(offset: number): string {
    return addDays(this.today, offset);
  }

  /** Days from `day` to today. */
  daysAgo(day: string): number {
    return daysBetween(day, this.today);
  }

  /** The working day (weekday, not a bank holiday) on or before the day `offset` from today. */
  workingDay(offset: number): string {
    let day = this.day(offset);
    while (isOutOfHours(londonInstant(day, '12:00'))) day = addDays(day, -1);
    return day;
  }

  /** The working day `n` days after `day` (or the next one after that). */
  workingDayAfter(day: string, n: number): string {
    let d = addDays(day, n);
    while (isOutOfHours(londonInstant(d, '12:00'))) d = addDays(d, 1);
    return d;
  }

  nhsNumber(): string {
    const n = testNhsNumber(this.nhsSerial);
    this.nhsSerial = Number(n.slice(3, 9)) + 1;
    return n;
  }

  pick<T>(items: readonly T[]): T {
    return pick(this.random, items);
  }

  between(min: number, max: number): number {
    return between(this.random, min, max);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  /** A date of birth for someone aged from `min` to `max` years today. */
  dateOfBirth(min: number, max: number): string {
    return this.day(-(this.between(min, max) * 365 + this.between(0, 364)));
  }

  /**
   * Logs a contact as `by` at a London day and time, with the clock at the end of that day's
   * work (as a practitioner logs it), through the contacts service so out-of-hours and Access
   * to Work charging are derived as they are for real.
   */
  async contact(
    by: Actor,
    participantId: string,
    c: {
      day: string;
      time: string;
      purpose: ContactPurpose;
      mode?: ContactMode;
      place?: ContactPlace;
      minutes?: number;
      notes?: string | null;
      withWhom?: string | null;
      shared?: boolean;
      placementId?: string | null;
    },
  ): Promise<void> {
    const start = londonInstant(c.day, c.time);
    this.at(new Date(start.getTime() + ((c.minutes ?? 45) + 30) * 60_000));
    await contacts.logContact(this.db, this.deps, by.ctx, by.viewer, participantId, {
      startedAt: start.toISOString(),
      durationMinutes: c.minutes ?? 45,
      mode: c.mode ?? 'face_to_face',
      place: c.place ?? 'community',
      purpose: c.purpose,
      withWhom: c.withWhom ?? null,
      notes: c.notes ?? null,
      sharedWithClinicalTeam: c.shared ?? false,
      placementId: c.placementId ?? null,
    });
  }

  /**
   * A time for a contact on `day`: usually in working hours; now and then an evening or, on a
   * weekend day, the day itself (supported employment follows the person's hours).
   */
  timeOn(day: string): string {
    if (isOutOfHours(londonInstant(day, '12:00'))) return this.pick(['10:00', '11:30', '14:00']);
    if (this.chance(0.1)) return this.pick(['17:45', '18:15', '18:30', '19:00']);
    return this.pick(['09:15', '09:30', '10:00', '10:30', '11:00', '11:45', '13:30', '14:00', '14:30', '15:15', '16:00']);
  }
}
