import { londonTime } from '../calendar/bank-holidays.ts';

export interface DigestAppointment {
  startsAt: string;
  initials: string;
  place: string;
}

export interface DigestAlert {
  initials: string;
  message: string;
}

/**
 * The daily email: today's appointments and open alerts, with initials and places only — an
 * email may be read on a shared screen or forwarded, so it carries no names, notes or health.
 */
export function composeDigest(
  practitionerName: string,
  day: string,
  appointments: readonly DigestAppointment[],
  alerts: readonly DigestAlert[],
  baseUrl: string,
): { subject: string; text: string } {
  const lines = [`Good morning ${practitionerName},`, ''];
  if (appointments.length === 0) lines.push('You have no appointments today.');
  else {
    lines.push(`Today's appointments (${appointments.length}):`);
    for (const a of [...appointments].sort((x, y) => x.startsAt.localeCompare(y.startsAt))) {
      const t = londonTime(new Date(a.startsAt));
      lines.push(`- ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')} ${a.initials}, ${a.place}`);
    }
  }
  lines.push('');
  if (alerts.length === 0) lines.push('Nobody on your caseload needs attention today.');
  else {
    lines.push(`People who need attention (${alerts.length}):`);
    for (const a of alerts) lines.push(`- ${a.initials}: ${a.message}`);
  }
  lines.push('', `Open your caseload: ${baseUrl}/caseload`, '', 'Stepwise sends this once a day. It contains initials only.');
  return { subject: `Stepwise: your day, ${day}`, text: lines.join('\n') };
}

/** True once the London clock has reached the digest time on `now`'s day. */
export function isDigestDue(now: Date, digestTime: string): boolean {
  const t = londonTime(now);
  const [h, m] = digestTime.split(':').map(Number) as [number, number];
  return t.hour * 60 + t.minute >= h * 60 + m;
}
