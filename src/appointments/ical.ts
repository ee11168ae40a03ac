import { type EventAttributes, createEvents } from 'ics';

/** What one calendar event may carry: initials, a coarse place and the time. Nothing else. */
export interface FeedEvent {
  id: string;
  startsAt: string;
  durationMinutes: number;
  initials: string;
  place: string;
  updatedAt: string;
  version: number;
  didNotAttend: boolean;
}

/**
 * A private iCalendar feed of appointments. Times are given to `ics` as UTC instants and written
 * out in UTC (it would otherwise read them as the server's local time). The summary is initials and
 * place only: no names, notes or purposes, which could reveal health or other sensitive detail.
 */
export function buildCalendar(events: readonly FeedEvent[], options: { calendarName: string; host: string }): string {
  const attributes: EventAttributes[] = events.map((e) => ({
    uid: `${e.id}@${options.host}`,
    start: new Date(e.startsAt).getTime(),
    startInputType: 'utc',
    startOutputType: 'utc',
    duration: { minutes: e.durationMinutes },
    title: `${e.initials} – ${e.place}${e.didNotAttend ? ' (did not attend)' : ''}`,
    location: e.place,
    status: 'CONFIRMED',
    busyStatus: 'BUSY',
    classification: 'PRIVATE',
    sequence: e.version,
    lastModified: new Date(e.updatedAt).getTime(),
  }));
  const { error, value } = createEvents(attributes, {
    productId: '-//Stepwise//Appointments//EN',
    calName: options.calendarName,
  });
  if (error || value === null) throw error ?? new Error('Could not build the calendar');
  return value;
}
