import * as breakGlass from '../break-glass/service.ts';
import * as erasure from '../erasure/service.ts';
import { RuleError } from '../errors.ts';
import type { Db, DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import { listSites } from '../sites/service.ts';
import { DemoWorld } from './world.ts';
import { loadIpsTeam } from './ips.ts';
import { loadSupportedEmployment } from './internships.ts';
import { plannedWeek } from './journeys.ts';
import { DEMO_PASSWORD, type DemoSignIn, type Staff, setUpStaff, setUpTrust } from './setup.ts';

export { DEMO_PASSWORD, type DemoSignIn };

/** Thrown when the database already holds records: the demo never mixes with real data. */
export class DatabaseNotEmpty extends RuleError {}

/** Whether the database holds any user or participant. */
export async function holdsData(db: DbOrTrx): Promise<boolean> {
  const [u, p] = await Promise.all([
    db.selectFrom('users').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('participants').select('id').limit(1).executeTakeFirst(),
  ]);
  return Boolean(u || p);
}

/**
 * Loads the demo service into an empty database, in one transaction (all of it or nothing),
 * through the domain services, dated relative to today on `deps.clock`. Reports progress a
 * line at a time and returns the sign-ins to print.
 */
/**
 * Break-glass as a manager would meet it: the second IPS team's manager gives one of their
 * practitioners four hours' read access to a person of the first team, which that team's manager
 * sees on their home page to review.
 */
async function emergencyAccessExample(w: DemoWorld, staff: Staff, peopleOf: Map<string, string[]>): Promise<void> {
  const [first, second] = staff.ips;
  const personId = first?.practitioners.flatMap((a) => peopleOf.get(a.user.id) ?? [])[0];
  const grantee = second?.practitioners[0];
  if (!first || !second || !personId || !grantee) return;
  const person = await participants.loadVisible(w.db, first.manager.viewer, personId);
  if (!person.nhsNumber) return;
  await breakGlass.grantAccess(w.db, w.deps, second.manager.ctx, second.manager.viewer, {
    nhsNumber: person.nhsNumber,
    grantedToUserId: grantee.user.id,
    hours: 4,
    reason: 'Crisis team called out of hours; needs the person’s safety plan and contacts',
  });
}

/**
 * A correction as a practitioner makes one: a person's new phone number, with the old one kept
 * among the record's earlier values (rectification keeps the earlier value).
 */
async function correctionExample(w: DemoWorld, staff: Staff, peopleOf: Map<string, string[]>): Promise<void> {
  const practitioner = staff.ips[0]?.practitioners[0];
  const personId = practitioner ? peopleOf.get(practitioner.user.id)?.[1] : undefined;
  if (!practitioner || !personId) return;
  const person = await participants.loadVisible(w.db, practitioner.viewer, personId);
  await participants.updateParticipant(w.db, w.deps, practitioner.ctx, practitioner.viewer, personId, person.version, {
    phone: '07700 900 481',
  });
}

/**
 * An erasure request as a manager records one: received by phone five days ago, open, due a
 * month from then, for the manager to decide (the person is kept until it is carried out).
 */
async function erasureRequestExample(w: DemoWorld, staff: Staff, peopleOf: Map<string, string[]>): Promise<void> {
  const team = staff.ips[0];
  const personId = team?.practitioners.flatMap((a) => peopleOf.get(a.user.id) ?? [])[2];
  if (!team || !personId) return;
  const received = londonDate(new Date(w.deps.clock.now().getTime() - 5 * 86_400_000));
  await erasure.recordRequest(w.db, w.deps, team.manager.ctx, team.manager.viewer, personId, {
    receivedOn: received,
    requestedBy: 'the person',
  });
}

export async function loadDemo(db: Db, deps: Deps, progress: (line: string) => void = () => {}): Promise<DemoSignIn[]> {
  if (await holdsData(db))
    throw new DatabaseNotEmpty(
      'The database already holds data. The demo loads only into an empty database: use a new one, or delete data/ to start again',
    );
  return db.transaction().execute(async (trx) => {
    // Checked again inside the transaction, so two loads at once cannot both pass.
    if (await holdsData(trx)) throw new DatabaseNotEmpty('The database already holds data');
    const w = new DemoWorld(trx, deps, progress);
    progress('Setting up teams, sites and demo accounts');
    const staff = await setUpStaff(w);
    progress('Setting up the NHS trust: five hospitals, departments and suppliers');
    const trust = await setUpTrust(w, staff.se.manager);
    progress('Loading the supported internship and follow-on service');
    const se = await loadSupportedEmployment(w, staff, trust);
    const peopleOf = new Map(se.peopleOf);
    for (const [i, team] of staff.ips.entries()) {
      progress(`Loading ${team.team.name}`);
      for (const [k, v] of await loadIpsTeam(w, team, i)) peopleOf.set(k, v);
    }
    progress('Planning this week’s appointments');
    const everyone = [
      ...staff.ips.flatMap((t) => [t.manager, ...t.practitioners]),
      staff.se.manager,
      staff.se.tutor,
      ...staff.se.coaches,
    ];
    const sites = await listSites(trx);
    for (const [i, a] of everyone.entries())
      await plannedWeek(w, a, (peopleOf.get(a.user.id) ?? []).slice(0, 12), sites[i % sites.length]!.id);
    w.present();
    progress('Recording an emergency access grant for a team manager to review');
    await emergencyAccessExample(w, staff, peopleOf);
    progress('Correcting a phone number, keeping the earlier one');
    await correctionExample(w, staff, peopleOf);
    progress('Recording an erasure request for a team manager to decide');
    await erasureRequestExample(w, staff, peopleOf);
    return staff.signIns;
  });
}
