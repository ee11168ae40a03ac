import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.ts';
import { makeParticipant, makeTeam, makeUser } from '../../test/factories.ts';
import { composeDigest, isDigestDue } from './rules.ts';
import { sendDailyDigests, smtpMailer, startDigestScheduler } from './service.ts';

interface Received {
  to: string;
  subject: string;
  text: string;
}

let t: TestApp;
let smtp: SMTPServer;
let received: Received[];
let url: string;

beforeEach(async () => {
  t = await createTestApp({ now: '2026-11-25T07:31:00Z' });
  received = [];
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      simpleParser(stream)
        .then((mail) => {
          const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
          received.push({ to: to?.text ?? '', subject: mail.subject ?? '', text: mail.text ?? '' });
          done();
        })
        .catch(done);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  url = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.close();
});

async function aPractitionerWithAnAppointmentToday() {
  const team = await makeTeam(t.db, t.deps);
  const pat = await makeUser(t.db, t.deps, { role: 'practitioner', teamId: team.id, name: 'Pat Practitioner' });
  const zoe = await makeParticipant(t.db, t.deps, pat, { givenName: 'Zoë', familyName: 'Núñez' });
  await t.db
    .insertInto('appointments')
    .values({
      id: randomUUID(),
      participant_id: zoe.id,
      practitioner_id: pat.id,
      starts_at: '2026-11-25T14:30:00.000Z',
      duration_minutes: 30,
      place_kind: 'community',
      site_id: null,
      department: null,
      place_detail: 'Café on the high street',
      with_whom: null,
      purpose: 'job_search',
      status: 'planned',
      contact_id: null,
      created_at: '2026-11-24T10:00:00.000Z',
      updated_at: '2026-11-24T10:00:00.000Z',
      version: 1,
    })
    .execute();
  return pat;
}

describe('daily digest', () => {
  it('arrives at the SMTP server once with today’s appointments as initials, and not again after a restart', async () => {
    const pat = await aPractitionerWithAnAppointmentToday();
    const mailer = smtpMailer(url, 'Stepwise <stepwise@example.org>');
    const first = startDigestScheduler({
      db: t.db,
      deps: t.deps,
      mailer,
      digestTime: '07:30',
      baseUrl: 'http://stepwise.test',
      onError: (e) => {
        throw e;
      },
      everyMs: 3_600_000,
    });
    await first.tick();
    first.stop();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: pat.email, subject: 'Stepwise: your day, 2026-11-25' });
    expect(received[0]?.text).toContain('- 14:30 Z.N., community');
    expect(received[0]?.text).not.toContain('Núñez');
    expect(received[0]?.text).not.toContain('Zoë');

    // A restart: a new scheduler over the same database sends nothing more today.
    const second = startDigestScheduler({
      db: t.db,
      deps: t.deps,
      mailer,
      digestTime: '07:30',
      baseUrl: 'http://stepwise.test',
      onError: (e) => {
        throw e;
      },
      everyMs: 3_600_000,
    });
    await second.tick();
    second.stop();
    expect(await sendDailyDigests(t.db, t.deps, mailer, { baseUrl: 'http://stepwise.test' })).toEqual({
      sent: 0,
      alreadySent: 1,
      failed: 0,
    });
    expect(received).toHaveLength(1);

    t.clock.set('2026-11-26T07:45:00Z');
    await sendDailyDigests(t.db, t.deps, mailer, { baseUrl: 'http://stepwise.test' });
    expect(received).toHaveLength(2);
  });

  it('sends nothing before the digest time', async () => {
    await aPractitionerWithAnAppointmentToday();
    t.clock.set('2026-11-25T07:00:00Z');
    const s = startDigestScheduler({
      db: t.db,
      deps: t.deps,
      mailer: smtpMailer(url, 'x@example.org'),
      digestTime: '07:30',
      baseUrl: 'http://x',
      onError: () => undefined,
      everyMs: 3_600_000,
    });
    await s.tick();
    s.stop();
    expect(received).toHaveLength(0);
  });

  it('tries again later when the mail server is down', async () => {
    await aPractitionerWithAnAppointmentToday();
    const down = smtpMailer('smtp://127.0.0.1:1', 'x@example.org');
    expect(await sendDailyDigests(t.db, t.deps, down, { baseUrl: 'http://x' })).toMatchObject({ sent: 0, failed: 1 });
    expect(await sendDailyDigests(t.db, t.deps, smtpMailer(url, 'x@example.org'), { baseUrl: 'http://x' })).toMatchObject({
      sent: 1,
    });
  });
});

describe('digest rules', () => {
  it('is due from the set time in London, also in summer', () => {
    expect(isDigestDue(new Date('2026-11-25T07:29:00Z'), '07:30')).toBe(false);
    expect(isDigestDue(new Date('2026-11-25T07:30:00Z'), '07:30')).toBe(true);
    expect(isDigestDue(new Date('2026-07-15T06:30:00Z'), '07:30')).toBe(true);
  });

  it('says so when there is nothing to do', () => {
    const { text } = composeDigest('Pat', '2026-11-25', [], [], 'http://x');
    expect(text).toContain('You have no appointments today.');
    expect(text).toContain('Nobody on your caseload needs attention today.');
  });
});
