import { RuleError } from '../errors.ts';
import type { Db, DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { listSites } from '../sites/service.ts';
import { DemoWorld } from './world.ts';
import { loadIpsTeam } from './ips.ts';
import { loadSupportedEmployment } from './internships.ts';
import { plannedWeek } from './journeys.ts';
import { DEMO_PASSWORD, type DemoSignIn, setUpStaff, setUpTrust } from './setup.ts';

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
    return staff.signIns;
  });
}
