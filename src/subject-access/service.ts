import { sql } from 'kysely';
import * as audit from '../audit/service.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { ForbiddenError } from '../errors.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';

// Subject access (UK GDPR article 15): everything Stepwise holds about one person, as it is
// stored, plus who viewed or changed their record. Which tables hold a person's data is declared
// here, table by table; a test reads the live schema and fails when a table that points at a
// person (or at one of these tables) is neither covered nor deliberately left out with a reason.

/** How a table's rows about the person are found. */
export type Source =
  /** Rows whose `column` holds the person's id. */
  | { kind: 'person'; column: string }
  /** Rows whose `column` holds the id of a row already found in `parent`. */
  | { kind: 'parent'; column: string; parent: string };

export interface CoveredTable {
  table: string;
  /** The section's heading in the PDF, in plain English. */
  heading: string;
  /** Every way a row can belong to the person; a row found by any of them is included once. */
  sources: readonly Source[];
}

const person = (column = 'participant_id'): Source => ({ kind: 'person', column });
const parent = (parentTable: string, column: string): Source => ({ kind: 'parent', column, parent: parentTable });

/** Tables that hold the person's data, parents before the tables found through them. */
export const COVERED_TABLES: readonly CoveredTable[] = [
  { table: 'participants', heading: 'Personal details', sources: [person('id')] },
  { table: 'participant_status_changes', heading: 'Changes of status', sources: [person()] },
  { table: 'referrals', heading: 'Referrals', sources: [person()] },
  {
    table: 'referral_contact_attempts',
    heading: 'Attempts to get in touch after a referral',
    sources: [parent('referrals', 'referral_id')],
  },
  { table: 'profile_versions', heading: 'Vocational profile, every saved version', sources: [person()] },
  { table: 'contacts', heading: 'Contacts (meetings, calls and messages)', sources: [person()] },
  { table: 'contact_revisions', heading: 'Earlier versions of edited contacts', sources: [parent('contacts', 'contact_id')] },
  { table: 'appointments', heading: 'Appointments', sources: [person()] },
  { table: 'employer_contacts', heading: 'Contacts with employers on their behalf', sources: [person()] },
  { table: 'matches', heading: 'Job matches', sources: [person()] },
  { table: 'match_stage_changes', heading: 'Changes to job matches', sources: [parent('matches', 'match_id')] },
  { table: 'placements', heading: 'Jobs', sources: [person()] },
  { table: 'support_plans', heading: 'In-work support plans', sources: [person()] },
  { table: 'support_reviews', heading: 'Reviews of in-work support', sources: [parent('placements', 'placement_id')] },
  { table: 'instruction_sessions', heading: 'Job instruction sessions', sources: [person()] },
  {
    table: 'instruction_step_results',
    heading: 'Job instruction results, step by step',
    sources: [parent('instruction_sessions', 'session_id')],
  },
  { table: 'workplace_issues', heading: 'Workplace issues', sources: [person()] },
  { table: 'absences', heading: 'Absences from work', sources: [person()] },
  { table: 'redeployments', heading: 'Finding a next job after one ended', sources: [person()] },
  { table: 'atw_applications', heading: 'Access to Work applications', sources: [person()] },
  { table: 'atw_awards', heading: 'Access to Work awards', sources: [person()] },
  { table: 'atw_claims', heading: 'Access to Work claims', sources: [person()] },
  { table: 'atw_claim_lines', heading: 'Access to Work claim lines', sources: [parent('atw_claims', 'claim_id')] },
  { table: 'cohort_interns', heading: 'Supported internship places', sources: [person()] },
  {
    table: 'rotation_placements',
    heading: 'Internship rotations: departments',
    sources: [parent('cohort_interns', 'cohort_intern_id')],
  },
  { table: 'rotation_reviews', heading: 'Internship rotation reviews', sources: [parent('cohort_interns', 'cohort_intern_id')] },
  { table: 'rotation_tasks', heading: 'Internship rotation tasks', sources: [parent('cohort_interns', 'cohort_intern_id')] },
  {
    table: 'employability_checks',
    heading: 'Internship employability skills checked',
    sources: [parent('cohort_interns', 'cohort_intern_id')],
  },
  { table: 'intern_attendance', heading: 'Internship attendance', sources: [parent('cohort_interns', 'cohort_intern_id')] },
  { table: 'benefit_calculations', heading: 'Benefits calculations', sources: [person()] },
  { table: 'erasure_requests', heading: 'Requests to erase their record', sources: [person()] },
  { table: 'record_revisions', heading: 'Earlier values of corrected details', sources: [person()] },
  { table: 'retention_reviews', heading: 'Decisions to keep records past their retention period', sources: [person()] },
  { table: 'break_glass_grants', heading: 'Emergency access to the record', sources: [person()] },
];

/**
 * Tables that point at a person or at a covered table but are deliberately not exported, each
 * with the reason. Empty today: every such table holds the person's data.
 */
export const EXCLUDED_TABLES: Readonly<Record<string, string>> = {};

export type Row = Record<string, unknown>;

/** A stored value as text: strings as they are, numbers and flags written out, anything else as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return v.toISOString();
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

/** An audit event about the person, without the chain's hashes or the staff member's address. */
export interface AuditEntry {
  seq: number;
  occurred_at: string;
  actor_user_id: string | null;
  actor_name: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  details: string | null;
}

export interface SubjectAccessExport {
  generated_at: string;
  participant: Row;
  tables: Record<string, Row[]>;
  audit: AuditEntry[];
}

export type ExportFormat = 'json' | 'pdf';

/** Ids per query, well inside both databases' limits on bound values. */
const CHUNK = 500;

async function rowsWhere(db: DbOrTrx, table: string, column: string, ids: readonly string[]): Promise<Row[]> {
  const out: Row[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const { rows } = await sql<Row>`select * from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(chunk)})`.execute(
      db,
    );
    out.push(...rows);
  }
  return out;
}

/** Rows in a stable order: oldest first where a row has a creation time, then by id. */
function sorted(rows: Row[]): Row[] {
  const key = (r: Row) => [r.created_at, r.id, r.session_id, r.step_id].map((v) => valueText(v));
  return rows.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
    return 0;
  });
}

/** A row's identity for de-duplicating rows found by more than one path. */
const rowKey = (r: Row) => (typeof r.id === 'string' ? r.id : JSON.stringify(r));

/** Every covered table's rows about the person, without any access check. */
export async function collectTables(db: DbOrTrx, participantId: string): Promise<Record<string, Row[]>> {
  const tables: Record<string, Row[]> = {};
  for (const c of COVERED_TABLES) {
    const found = new Map<string, Row>();
    for (const s of c.sources) {
      const ids =
        s.kind === 'person'
          ? [participantId]
          : (tables[s.parent] ?? []).map((r) => r.id).filter((id): id is string => typeof id === 'string');
      if (ids.length === 0) continue;
      for (const r of await rowsWhere(db, c.table, s.column, ids)) found.set(rowKey(r), r);
    }
    tables[c.table] = sorted([...found.values()]);
  }
  return tables;
}

/**
 * The audit events about the person: those on their record, on their referrals, and any whose
 * details name them (an id cannot contain LIKE's wildcards). Oldest first.
 */
export async function auditAbout(db: DbOrTrx, participantId: string, referralIds: readonly string[]): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_events as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .select([
      'a.seq',
      'a.occurred_at',
      'a.actor_user_id',
      'u.name as actor_name',
      'a.actor_label',
      'a.action',
      'a.entity_type',
      'a.entity_id',
      'a.details',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('a.entity_type', '=', 'participant'), eb('a.entity_id', '=', participantId)]),
        ...(referralIds.length > 0 ? [eb.and([eb('a.entity_type', '=', 'referral'), eb('a.entity_id', 'in', referralIds)])] : []),
        eb('a.details', 'like', `%${participantId}%`),
      ]),
    )
    .orderBy('a.seq')
    .execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

/**
 * The person, when the viewer may produce their subject access export: a manager of their team.
 * 404 when the viewer cannot see the person at all, 403 when they can but are not such a manager
 * (the person's practitioner included: a manager handles a request).
 */
export async function loadForSubjectAccess(db: DbOrTrx, viewer: Viewer, participantId: string) {
  const p = await participants.loadVisible(db, viewer, participantId);
  // A team duty: break-glass, which is read only and for emergencies, never produces an export.
  if (viewer.role !== 'manager' || !p.canSeeSensitive || p.emergencyAccess)
    throw new ForbiddenError('Only a manager of the person’s team can produce a subject access export');
  return p;
}

/** Everything held about the person, after the access check; the export is audited on the person. */
export async function subjectAccessExport(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  format: ExportFormat = 'json',
): Promise<SubjectAccessExport> {
  await loadForSubjectAccess(db, viewer, participantId);
  const collect = async (trx: DbOrTrx): Promise<SubjectAccessExport> => {
    const tables = await collectTables(trx, participantId);
    const referralIds = (tables.referrals ?? []).map((r) => String(r.id));
    const events = await auditAbout(trx, participantId, referralIds);
    await audit.record(trx, deps, ctx, {
      action: 'subject_access.exported',
      entityType: 'participant',
      entityId: participantId,
      details: {
        format,
        tables: Object.values(tables).reduce((n, rows) => n + (rows.length > 0 ? 1 : 0), 0),
        events: events.length,
      },
    });
    return { generated_at: deps.clock.now().toISOString(), participant: tables.participants?.[0] ?? {}, tables, audit: events };
  };
  // One transaction, so the export is one consistent picture and its audit event commits with it.
  return db.isTransaction ? collect(db) : db.transaction().execute(collect);
}
