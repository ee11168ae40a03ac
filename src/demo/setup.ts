import { SYSTEM_CONTEXT } from '../audit/service.ts';
import * as employers from '../employers/service.ts';
import * as sites from '../sites/service.ts';
import * as teams from '../teams/service.ts';
import type { Role } from '../users/roles.ts';
import * as users from '../users/service.ts';
import type { Actor, DemoWorld } from './world.ts';

/** The one password every demo account shares; the demo is for trying Stepwise, never for real records. */
export const DEMO_PASSWORD = 'try-Stepwise-demo-2026';

/** A demo sign-in, as printed at the end. */
export interface DemoSignIn {
  role: Role;
  what: string;
  name: string;
  email: string;
}

export interface Staff {
  admin: Actor;
  commissioner: Actor;
  ips: IpsTeam[];
  se: { team: teams.Team; manager: Actor; tutor: Actor; coaches: Actor[] };
  signIns: DemoSignIn[];
}

export interface IpsTeam {
  team: teams.Team;
  clinicalTeam: teams.Team;
  area: string;
  manager: Actor;
  practitioners: Actor[];
  clinician: Actor;
}

export interface Trust {
  host: employers.Employer;
  suppliers: employers.Employer[];
  siteIds: string[];
  departments: { id: string; name: string; siteId: string }[];
}

const HOSPITALS = [
  { name: 'Kingsmead General Hospital', address: 'Kingsmead Road, Wessex Valley', postcode: 'WV1 4KG' },
  { name: 'St Aldhelm’s Hospital', address: 'Abbey Lane, Wessex Valley', postcode: 'WV3 2SA' },
  { name: 'Northgate Community Hospital', address: 'Northgate Street, Wessex Valley', postcode: 'WV7 1NG' },
  { name: 'Riverside Treatment Centre', address: 'Quay Side, Wessex Valley', postcode: 'WV2 9RT' },
  { name: 'Westbury Rehabilitation Unit', address: 'Westbury Park, Wessex Valley', postcode: 'WV5 6WR' },
];

// Departments of the host trust, by the hospital (index above) they are at.
const DEPARTMENTS: readonly [string, number][] = [
  ['Catering', 0],
  ['Domestic services', 0],
  ['Portering', 0],
  ['Pharmacy stores', 0],
  ['Sterile services', 1],
  ['Medical records', 1],
  ['Staff restaurant', 1],
  ['Estates and facilities', 2],
  ['Ward housekeeping', 2],
  ['Outpatients reception', 3],
  ['Pathology reception', 3],
  ['Supplies and logistics', 3],
  ['Laundry and linen', 4],
  ['Therapy support', 4],
  ['Main reception', 4],
];

async function makeUser(
  w: DemoWorld,
  by: Actor | null,
  input: { email: string; name: string; role: Role; teamId: string | null },
): Promise<Actor> {
  const user = await users.createUser(w.db, w.deps, by?.ctx ?? SYSTEM_CONTEXT, { ...input, password: DEMO_PASSWORD });
  return w.actor(user);
}

const email = (local: string) => `${local}@demo.example.org`;

/** Teams, the service's sites and every demo account, set up by the administrator two years ago. */
export async function setUpStaff(w: DemoWorld): Promise<Staff> {
  w.atDay(-760, '09:00');
  const admin = await makeUser(w, null, { email: email('admin'), name: 'Marcus Bell', role: 'admin', teamId: null });
  for (const h of HOSPITALS)
    await sites.createSite(w.db, w.deps, admin.ctx, { name: h.name, address: `${h.address} ${h.postcode}` });
  await sites.createSite(w.db, w.deps, admin.ctx, {
    name: 'Northgate CMHT base',
    address: 'Mill House, Northgate Street WV7 1NH',
  });
  await sites.createSite(w.db, w.deps, admin.ctx, { name: 'Riverside CMHT base', address: 'The Granary, Quay Side WV2 9RQ' });

  const ips: IpsTeam[] = [];
  const people = [
    { area: 'Northgate', manager: 'Helen Carter', staff: ['Tom Ashworth', 'Layla Haddad'], clinician: 'Dr Emma Lindqvist' },
    { area: 'Riverside', manager: 'Paul Whitfield', staff: ['Sunita Rao', 'Ben Hollis'], clinician: 'Kevin Doyle' },
  ];
  for (const p of people) {
    const team = await teams.createTeam(w.db, w.deps, admin.ctx, `${p.area} IPS`);
    const clinicalTeam = await teams.createTeam(w.db, w.deps, admin.ctx, `${p.area} Community Mental Health Team`);
    const key = p.area.toLowerCase();
    const manager = await makeUser(w, admin, {
      email: email(`manager.${key}`),
      name: p.manager,
      role: 'manager',
      teamId: team.id,
    });
    const practitioners: Actor[] = [];
    for (const [i, name] of p.staff.entries())
      practitioners.push(
        await makeUser(w, admin, { email: email(`specialist${i + 1}.${key}`), name, role: 'practitioner', teamId: team.id }),
      );
    const clinician = await makeUser(w, admin, {
      email: email(`clinician.${key}`),
      name: p.clinician,
      role: 'clinician',
      teamId: clinicalTeam.id,
    });
    ips.push({ team, clinicalTeam, area: p.area, manager, practitioners, clinician });
  }

  const seTeam = await teams.createTeam(w.db, w.deps, admin.ctx, 'Supported Employment (internships and follow-on)');
  const seManager = await makeUser(w, admin, {
    email: email('manager.internships'),
    name: 'Rachel Moss',
    role: 'manager',
    teamId: seTeam.id,
  });
  const tutor = await makeUser(w, admin, {
    email: email('coach.internships'),
    name: 'Chris Adebayo',
    role: 'practitioner',
    teamId: seTeam.id,
  });
  const coaches = [
    await makeUser(w, admin, { email: email('coach.followon1'), name: 'Lucy Fenwick', role: 'practitioner', teamId: seTeam.id }),
    await makeUser(w, admin, { email: email('coach.followon2'), name: 'Imran Sadiq', role: 'practitioner', teamId: seTeam.id }),
  ];
  const commissioner = await makeUser(w, admin, {
    email: email('commissioner'),
    name: 'Gillian Hart',
    role: 'commissioner',
    teamId: null,
  });

  const signIns: DemoSignIn[] = [
    { role: 'admin', what: 'Administrator', name: admin.user.name, email: admin.user.email },
    ...ips.flatMap((t) => [
      { role: 'manager' as const, what: `Manager, ${t.team.name}`, name: t.manager.user.name, email: t.manager.user.email },
      ...t.practitioners.map((p) => ({
        role: 'practitioner' as const,
        what: `Employment specialist, ${t.team.name}`,
        name: p.user.name,
        email: p.user.email,
      })),
      {
        role: 'clinician' as const,
        what: `Clinician, ${t.clinicalTeam.name}`,
        name: t.clinician.user.name,
        email: t.clinician.user.email,
      },
    ]),
    { role: 'manager', what: 'Manager, internships and follow-on', name: seManager.user.name, email: seManager.user.email },
    { role: 'practitioner', what: 'Internship job coach and tutor', name: tutor.user.name, email: tutor.user.email },
    ...coaches.map((c) => ({
      role: 'practitioner' as const,
      what: 'Follow-on job coach',
      name: c.user.name,
      email: c.user.email,
    })),
    { role: 'commissioner', what: 'Commissioner (figures only)', name: commissioner.user.name, email: commissioner.user.email },
  ];
  w.present();
  return { admin, commissioner, ips, se: { team: seTeam, manager: seManager, tutor, coaches }, signIns };
}

/** The NHS trust that hosts the internships: five hospitals, their departments, and its suppliers. */
export async function setUpTrust(w: DemoWorld, by: Actor): Promise<Trust> {
  w.atDay(-740, '10:00');
  const host = await employers.createEmployer(w.db, w.deps, by.ctx, by.viewer, {
    name: 'Wessex Valley NHS Foundation Trust',
    type: 'host',
    sector: 'Health',
    size: 'large',
    address: 'Kingsmead Road, Wessex Valley',
    postcode: 'WV1 4KG',
    website: 'https://wessexvalley.example.org',
    relationshipStage: 'hiring_partner',
    notes: 'Host of the supported internship since 2019. Jobs go through NHS Jobs; HR fast-tracks graduates.',
  });
  const siteIds: string[] = [];
  for (const h of HOSPITALS)
    siteIds.push(
      (
        await employers.saveSite(w.db, w.deps, by.ctx, by.viewer, host.id, null, {
          name: h.name,
          address: h.address,
          postcode: h.postcode,
        })
      ).id,
    );
  for (const [name, title] of [
    ['Janet Priestley', 'Head of Workforce Inclusion'],
    ['Owen Marsh', 'HR Business Partner'],
    ['Claire Dunn', 'Facilities Manager'],
  ] as const)
    await employers.savePerson(w.db, w.deps, by.ctx, by.viewer, host.id, null, { name, jobTitle: title });

  const departments: Trust['departments'] = [];
  for (const [name, at] of DEPARTMENTS) {
    const siteId = siteIds[at]!;
    const d = await employers.saveDepartment(w.db, w.deps, by.ctx, by.viewer, host.id, null, { name, siteId });
    departments.push({ id: d.id, name, siteId });
  }

  const suppliers: employers.Employer[] = [];
  for (const s of [
    {
      name: 'Harbourside Facilities Ltd',
      sector: 'Facilities management',
      notes: 'Catering and cleaning contract at two hospitals.',
    },
    { name: 'Greenline Linen Services', sector: 'Laundry', notes: 'Runs the laundry at Westbury for the trust.' },
    { name: 'Parkway Car Park Management', sector: 'Parking', notes: 'Car parks at Kingsmead and St Aldhelm’s.' },
  ]) {
    suppliers.push(
      await employers.createEmployer(w.db, w.deps, by.ctx, by.viewer, {
        name: s.name,
        type: 'supplier',
        sector: s.sector,
        size: 'medium',
        relationshipStage: 'engaged',
        notes: s.notes,
      }),
    );
  }
  w.present();
  return { host, suppliers, siteIds, departments };
}

export { DEPARTMENTS, HOSPITALS };
