import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import * as atw from '../../src/access-to-work/service.ts';
import { type AuditEvent, SYSTEM_CONTEXT, listEvents } from '../../src/audit/service.ts';
import * as benefits from '../../src/benefits/service.ts';
import { testNhsNumber } from '../../src/demo/nhs-number.ts';
import * as matching from '../../src/matching/service.ts';
import * as placements from '../../src/placements/service.ts';
import type { Viewer } from '../../src/participants/rules.ts';
import { formatNhsNumber } from '../../src/participants/rules.ts';
import { collectTables } from '../../src/subject-access/service.ts';
import * as issues from '../../src/workplace-issues/service.ts';
import type { Role } from '../../src/users/roles.ts';
import type { User } from '../../src/users/service.ts';
import {
  TEST_PASSWORD,
  makeAppointment,
  makeContact,
  makeEmployer,
  makeJob,
  makeParticipant,
  makeProfile,
  makeTeam,
  makeTokenUser,
  makeVacancy,
  referFromClinicalTeam,
} from '../factories.ts';
import { pdfPlainText } from '../pdf-text.ts';
import { Browser, createTestApp, type TestApp } from '../test-app.ts';

/**
 * Two IPS teams, A and B, each with a manager, a practitioner and a clinician of the clinical
 * team that referred its people, and a person on its caseload with a record of every kind the
 * factories and services make cheaply: contact, referral, profile, appointment, job with a
 * workplace issue, an earlier job lost to redundancy with its (open) redeployment, Access to Work
 * application, award and a draft claim of support charged to it, a saved benefits calculation and
 * a match. Plus a commissioner and an administrator. Everyone is signed in in a browser and holds an API token.
 */
export interface Side {
  teamId: string;
  clinicalTeamId: string;
  users: Map<Role, User>;
  person: { id: string; givenName: string; familyName: string; nhsNumber: string };
  /** Ids of the person's records, by the route parameter (or path segment) that names them. */
  records: Record<string, string>;
}

export interface AttackWorld {
  t: TestApp;
  a: Side;
  b: Side;
  browsers: Map<string, Browser>;
  tokens: Map<string, string>;
}

/** The roles of team A that attack team B's records. */
export const ATTACKERS: readonly Role[] = ['manager', 'practitioner', 'clinician', 'commissioner', 'admin'];
const TEAM_ROLES: readonly Role[] = ['manager', 'practitioner', 'clinician'];

let serial = 4200;

async function side(t: TestApp, label: string, browsers: Map<string, Browser>, tokens: Map<string, string>): Promise<Side> {
  const team = await makeTeam(t.db, t.deps, `Attack team ${label} ${randomUUID().slice(0, 6)}`);
  const clinical = await makeTeam(t.db, t.deps, `Attack clinical team ${label} ${randomUUID().slice(0, 6)}`);
  const users = new Map<Role, User>();
  for (const role of TEAM_ROLES) {
    const { user, token } = await makeTokenUser(t.db, t.deps, role, role === 'clinician' ? clinical.id : team.id);
    users.set(role, user);
    await signIn(t, `${label}:${role}`, user, token, browsers, tokens);
  }
  const practitioner = users.get('practitioner')!;
  const manager = users.get('manager')!;
  const nhsNumber = testNhsNumber(serial++);
  const givenName = `Zebedee${label}${randomUUID().slice(0, 4)}`;
  const familyName = `Quillfeather${label}${randomUUID().slice(0, 4)}`;
  const p = await makeParticipant(t.db, t.deps, practitioner, { givenName, familyName, nhsNumber, dateOfBirth: '1990-05-01' });
  await referFromClinicalTeam(t.db, p.id, clinical.id);
  const contact = await makeContact(t.db, t.deps, practitioner, p.id, {
    notes: `Notes about ${givenName}`,
    sharedWithClinicalTeam: true,
  });
  // The clinical team's referral is the person's open one.
  const referral = await t.db.selectFrom('referrals').select('id').where('participant_id', '=', p.id).executeTakeFirstOrThrow();
  await makeProfile(t.db, t.deps, practitioner, p.id, {});
  const appointment = await makeAppointment(t.db, t.deps, practitioner, p.id);
  const job = await makeJob(t.db, t.deps, practitioner, p.id, { startDate: '2026-10-01' });
  const viewer: Viewer = { userId: manager.id, role: manager.role, teamId: manager.teamId };
  const application = await atw.createApplication(t.db, t.deps, SYSTEM_CONTEXT, viewer, p.id, {
    appliedBy: 'participant',
    applicantName: null,
    sentDate: '2026-09-01',
    reference: null,
    status: 'sent',
    decisionDate: null,
    supportKind: 'job_coach',
    hoursPerWeek: 4,
    expectedStartDate: null,
    renewsAwardId: null,
    notes: null,
  });
  const award = await atw.createAward(t.db, t.deps, SYSTEM_CONTEXT, viewer, p.id, {
    supportKind: 'job_coach',
    startDate: '2026-10-01',
    endDate: '2027-09-30',
    hoursPerWeek: 4,
    hoursTotal: null,
    hourlyRatePence: 2500,
    totalAmountPence: null,
    employerContributionPence: null,
    applicationId: null,
    placementId: job.id,
    coachUserId: null,
    reference: `AtW-${label}`,
    notes: null,
    renewsAwardId: null,
  });
  // Support charged to the award (in-work support goes to the one active job-coach award), so
  // a claim can be built from it; left a draft, the claim can still be changed, submitted or deleted.
  await makeContact(t.db, t.deps, manager, p.id, {
    startedAt: '2026-11-20T10:00:00Z',
    durationMinutes: 60,
    place: 'workplace',
    purpose: 'in_work_support',
    placementId: job.id,
  });
  const claim = await atw.buildClaim(t.db, t.deps, SYSTEM_CONTEXT, viewer, p.id, award.id, {
    start: '2026-11-01',
    end: '2026-11-30',
  });
  const issue = await issues.raiseIssue(t.db, t.deps, SYSTEM_CONTEXT, viewer, job.id, {
    raisedBy: 'line_manager',
    raisedOn: '2026-11-20',
    category: 'attendance',
    description: `Late twice this week (${label})`,
    actions: null,
  });
  // An earlier job lost to redundancy opens a redeployment; made after the current job, which
  // would otherwise have closed it, so it stays open (closable) and the person stays in work.
  const lost = await makeJob(t.db, t.deps, practitioner, p.id, { startDate: '2026-03-01', title: 'Warehouse operative' });
  const { redeploymentId } = await t.db.transaction().execute((trx) =>
    placements.updatePlacement(trx, t.deps, SYSTEM_CONTEXT, viewer, lost.id, lost.version, {
      endDate: '2026-09-30',
      endReason: 'redundancy',
    }),
  );
  if (!redeploymentId) throw new Error(`no redeployment opened for team ${label}`);
  const calculation = await benefits.saveCalculation(t.db, t.deps, SYSTEM_CONTEXT, viewer, p.id, {
    date: '2026-11-25',
    household: {
      household: 'single',
      ages: [36],
      children: false,
      housingCostsPence: 0,
      benefit: 'uc',
      lcwra: false,
      savingsPence: 0,
    },
    jobs: [{ hoursPerWeek: 16, hourlyPayPence: 1300, pensionPercent: 0 }],
    notes: null,
  });
  const employer = await makeEmployer(t.db, t.deps, practitioner);
  const vacancy = await makeVacancy(t.db, t.deps, practitioner, employer.id);
  const match = await matching.createMatch(t.db, t.deps, SYSTEM_CONTEXT, viewer, p.id, vacancy.id);
  return {
    teamId: team.id,
    clinicalTeamId: clinical.id,
    users,
    person: { id: p.id, givenName, familyName, nhsNumber },
    records: {
      contactId: contact.id,
      referralId: referral.id,
      appointments: appointment.id,
      placements: job.id,
      applicationId: application.id,
      applications: application.id,
      awardId: award.id,
      awards: award.id,
      calculationId: calculation.id,
      matchId: match.id,
      claimId: claim.id,
      claims: claim.id,
      issueId: issue.id,
      rid: redeploymentId,
    },
  };
}

async function signIn(
  t: TestApp,
  key: string,
  user: User,
  token: string,
  browsers: Map<string, Browser>,
  tokens: Map<string, string>,
): Promise<void> {
  const b = new Browser(t.app);
  const res = await b.signIn(user.email, TEST_PASSWORD);
  if (res.statusCode !== 302) throw new Error(`sign-in failed for ${key}: ${res.statusCode}`);
  await b.get('/account');
  browsers.set(key, b);
  tokens.set(key, token);
}

/** Builds the two teams, their people and the service-wide roles. */
export async function buildAttackWorld(): Promise<AttackWorld> {
  const t = await createTestApp();
  const browsers = new Map<string, Browser>();
  const tokens = new Map<string, string>();
  const a = await side(t, 'A', browsers, tokens);
  const b = await side(t, 'B', browsers, tokens);
  for (const role of ['commissioner', 'admin'] as const) {
    const { user, token } = await makeTokenUser(t.db, t.deps, role, null);
    a.users.set(role, user);
    await signIn(t, `A:${role}`, user, token, browsers, tokens);
  }
  return { t, a, b, browsers, tokens };
}

/** Everything held about a person (the subject access tables), as one comparable text. */
export async function snapshotOf(world: AttackWorld, participantId: string): Promise<string> {
  return JSON.stringify(await collectTables(world.t.db, participantId));
}

/**
 * What of the person a response shows: their names, NHS number (plain or spaced) and record id,
 * in any letter case. Marks the attacker sent themselves (`sent`, a query string) are not counted:
 * a search box rightly shows what was typed into it.
 */
export function leakedBy(text: string, side: Side, sent = ''): string[] {
  const body = text.toLowerCase();
  const typed = decodeURIComponent(sent.replace(/\+/g, ' ')).toLowerCase();
  const marks = [
    side.person.givenName,
    side.person.familyName,
    side.person.nhsNumber,
    formatNhsNumber(side.person.nhsNumber),
    side.person.id,
  ];
  return marks.filter((m) => !typed.includes(m.toLowerCase()) && body.includes(m.toLowerCase()));
}

/** The `access.refused` events written since a sequence number. */
export async function refusalsSince(world: AttackWorld, afterSeq: number): Promise<AuditEvent[]> {
  const { items } = await listEvents(world.t.db, { action: 'access.refused' }, 500);
  return items.filter((e) => e.seq > afterSeq);
}

/** The newest audit sequence number. */
export async function lastSeq(world: AttackWorld): Promise<number> {
  const { items } = await listEvents(world.t.db, {}, 1);
  return items[0]?.seq ?? 0;
}

/** Sends a request as one of the world's people: the API with their token, pages with their browser. */
export async function send(
  world: AttackWorld,
  who: string,
  method: string,
  url: string,
  body?: Record<string, unknown> | [string, string][],
): Promise<LightMyRequestResponse> {
  if (url.startsWith('/api/')) {
    return world.t.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${world.tokens.get(who)}` },
      ...(method === 'GET' ? {} : { payload: (body ?? {}) as Record<string, unknown> }),
    });
  }
  const browser = world.browsers.get(who)!;
  if (method === 'GET') return world.t.app.inject({ method: 'GET', url, cookies: browser.cookies });
  const fields = Array.isArray(body) ? body : Object.entries(body ?? {}).map(([k, v]): [string, string] => [k, String(v)]);
  return world.t.app.inject({
    method: method as 'POST',
    url,
    cookies: browser.cookies,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams([['_csrf', browser.csrf], ...fields]).toString(),
  });
}

/** The text a person would read in a response: PDFs and spreadsheets opened, the rest as sent. */
export async function readableText(res: LightMyRequestResponse): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('pdf')) return pdfPlainText(res.rawPayload);
  if (type.includes('spreadsheetml')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    book.eachSheet((sheet) => {
      cells.push(sheet.name);
      sheet.eachRow((row) => {
        row.eachCell((cell) => cells.push(String(cell.text)));
      });
    });
    return cells.join('\n');
  }
  return res.body;
}
