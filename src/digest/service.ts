import nodemailer from 'nodemailer';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { londonMidnight, londonTime, nextDay } from '../calendar/bank-holidays.ts';
import * as repo from './repo.ts';
import { initialsOf } from '../participants/rules.ts';
import { type DigestAlert, composeDigest, isDigestDue } from './rules.ts';

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

/** Sends through the SMTP server named by SMTP_URL. */
export function smtpMailer(url: string, from: string): Mailer {
  const plain = url.startsWith('smtp://');
  // A plain smtp:// relay (often a local one) is used as given, without upgrading to TLS.
  const transport = plain
    ? nodemailer.createTransport({ url, ignoreTLS: true } as Parameters<typeof nodemailer.createTransport>[0])
    : nodemailer.createTransport(url);
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, subject: m.subject, text: m.text });
    },
  };
}

export type AlertSource = (db: DbOrTrx, practitionerId: string, now: Date) => Promise<DigestAlert[]>;

const PLACE_KINDS: Record<string, string> = {
  site: 'on site',
  department: 'on site',
  community: 'community',
  remote: 'remote',
};

/**
 * Sends today's digest to every active practitioner who has not had it yet. Each send is claimed
 * in the database first, so two runs (or a restart) never send it twice; a failed send gives the
 * claim back for the next run.
 */
export async function sendDailyDigests(
  db: DbOrTrx,
  deps: Deps,
  mailer: Mailer,
  options: { baseUrl: string; alerts?: AlertSource },
): Promise<{ sent: number; alreadySent: number; failed: number }> {
  const now = deps.clock.now();
  const day = londonTime(now).day;
  const from = londonMidnight(day).toISOString();
  const to = londonMidnight(nextDay(day)).toISOString();
  const result = { sent: 0, alreadySent: 0, failed: 0 };
  for (const p of await repo.practitioners(db)) {
    if (!(await repo.claimSend(db, p.id, day, now.toISOString()))) {
      result.alreadySent++;
      continue;
    }
    try {
      const appointments = (await repo.appointmentsBetween(db, p.id, from, to)).map((a) => ({
        startsAt: a.starts_at,
        initials: initialsOf(a.preferred_name ?? a.given_name, a.family_name),
        place: [a.site_name, a.department, a.site_name ? null : (PLACE_KINDS[a.place_kind] ?? a.place_kind)]
          .filter(Boolean)
          .join(', '),
      }));
      const alerts = options.alerts ? await options.alerts(db, p.id, now) : [];
      const message = composeDigest(p.name, day, appointments, alerts, options.baseUrl);
      await mailer.send({ to: p.email, ...message });
      result.sent++;
    } catch {
      await repo.releaseSend(db, p.id, day);
      result.failed++;
    }
  }
  return result;
}

/** Checks every minute whether the digest is due and sends what has not been sent today. */
export function startDigestScheduler(options: {
  db: DbOrTrx;
  deps: Deps;
  mailer: Mailer;
  digestTime: string;
  baseUrl: string;
  alerts?: AlertSource;
  onError: (err: unknown) => void;
  everyMs?: number;
}): { stop(): void; tick(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = async () => {
    if (running) return running;
    if (!isDigestDue(options.deps.clock.now(), options.digestTime)) return;
    running = sendDailyDigests(options.db, options.deps, options.mailer, {
      baseUrl: options.baseUrl,
      ...(options.alerts ? { alerts: options.alerts } : {}),
    })
      .then(() => undefined, options.onError)
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void tick(), options.everyMs ?? 60_000);
  timer.unref();
  void tick();
  return { stop: () => clearInterval(timer), tick };
}
