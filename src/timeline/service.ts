import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import * as audit from '../audit/service.ts';
import * as contacts from '../contacts/service.ts';
import * as internships from '../internships/graduation.ts';
import type { Viewer } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import { londonDate } from '../referrals/rules.ts';
import * as referrals from '../referrals/service.ts';
import * as repo from './repo.ts';
import {
  type TimelineKind,
  type TimelinePage,
  dayStart,
  fetchLimit,
  kindsFor,
  kindsToShow,
  referralEvents,
  timelinePage,
} from './rules.ts';

export interface ProfileVersionEvent {
  id: string;
  version: number;
  savedAt: string;
  savedByName: string | null;
}

/** An employer contact made on the person's behalf, as the timeline shows it. */
export interface EmployerContactEvent {
  id: string;
  employerId: string;
  employerName: string;
  contactedAt: string;
  mode: string;
  purpose: string;
  outcome: string | null;
  nextStep: string | null;
  nextStepDue: string | null;
  practitionerName: string | null;
  employerPersonName: string | null;
}

/** One line of a person's timeline. */
export type TimelineEntry =
  | { kind: 'contact'; id: string; at: string; contact: contacts.Contact }
  | { kind: 'employer_contact'; id: string; at: string; employerContact: EmployerContactEvent }
  | { kind: 'status'; id: string; at: string; change: participants.StatusChange }
  | { kind: 'referral'; id: string; at: string; event: 'received' | 'closed'; referral: referrals.Referral }
  | { kind: 'profile'; id: string; at: string; profile: ProfileVersionEvent }
  | {
      kind: 'internship';
      id: string;
      at: string;
      event: InternshipEvent;
      internship: internships.Internship;
      rotation: internships.InternshipRotation | null;
    };

/** What happened in a supported internship, as the timeline lists it. */
export type InternshipEvent = 'joined' | 'rotation' | 'graduated' | 'withdrawn' | 'handed_over';

/**
 * The timeline entries of a person's internships: joining the cohort, each rotation's department
 * once it has started, graduating or leaving, and the hand-over to follow-on support.
 */
export function internshipEvents(history: readonly internships.Internship[], today: string): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  for (const i of history) {
    const entry = (id: string, at: string, event: InternshipEvent, rotation: internships.InternshipRotation | null = null) =>
      out.push({ kind: 'internship', id: `${i.internId}/${id}`, at, event, internship: i, rotation });
    entry('1', i.joinedAt, 'joined');
    for (const r of i.rotations) if (r.startDate <= today) entry(`2/${r.number}`, dayStart(r.startDate), 'rotation', r);
    if (i.outcomeDate && i.status !== 'active')
      entry('3', dayStart(i.outcomeDate), i.status === 'graduated' ? 'graduated' : 'withdrawn');
    if (i.handedOverAt) entry('4', i.handedOverAt, 'handed_over');
  }
  return out;
}

export interface Timeline extends TimelinePage<TimelineEntry> {
  participant: participants.ParticipantView;
  /** The kinds shown, and all the kinds this viewer may see. */
  kinds: TimelineKind[];
  available: TimelineKind[];
}

const none = { items: [] as never[], total: 0 };

/**
 * A page of a person's timeline, newest first: contacts (only those shared with the clinical team
 * for a clinician), employer contacts made on their behalf (never for a clinician), status
 * changes, referrals received and closed, profile versions, and supported internships. Each
 * source is read once and bounded by the page; the read is written to the audit trail as
 * `participant.timeline_viewed`.
 */
export async function viewTimeline(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  viewer: Viewer,
  participantId: string,
  options: { kinds?: readonly TimelineKind[] | undefined; page: number; pageSize: number },
): Promise<Timeline> {
  const participant = await participants.loadVisible(db, viewer, participantId);
  const available = kindsFor(viewer.role);
  const kinds = kindsToShow(options.kinds, available);
  const want = new Set(kinds);
  const limit = fetchLimit(options.page, options.pageSize);
  const [contactPart, employerPart, statusPart, referralPart, profilePart, internshipPart] = await Promise.all([
    want.has('contact') ? contacts.recentContacts(db, viewer, participantId, limit) : none,
    want.has('employer_contact') ? repo.employerContacts(db, participantId, limit) : { rows: [], total: 0 },
    // A person has a handful of status changes and referrals; their services return them all.
    want.has('status') ? participants.statusHistory(db, participantId) : [],
    want.has('referral') ? referrals.listReferrals(db, deps, viewer, participantId) : [],
    want.has('profile') ? repo.profileVersions(db, participantId, limit) : { rows: [], total: 0 },
    // A person has been in one or two cohorts; one query returns them with their rotations.
    want.has('internship') ? internships.internshipHistory(db, participantId) : [],
  ]);
  const contactEntries: TimelineEntry[] = contactPart.items.map((c) => ({
    kind: 'contact',
    id: c.id,
    at: c.startedAt,
    contact: c,
  }));
  const employerEntries: TimelineEntry[] = employerPart.rows.map((r) => ({
    kind: 'employer_contact',
    id: r.id,
    at: r.contacted_at,
    employerContact: {
      id: r.id,
      employerId: r.employer_id,
      employerName: r.employer_name,
      contactedAt: r.contacted_at,
      mode: r.mode,
      purpose: r.purpose,
      outcome: r.outcome,
      nextStep: r.next_step,
      nextStepDue: r.next_step_due,
      practitionerName: r.practitioner_name,
      employerPersonName: r.employer_person_name,
    },
  }));
  const statusEntries: TimelineEntry[] = statusPart.map((s) => ({ kind: 'status', id: s.id, at: s.changedAt, change: s }));
  const referralEntries: TimelineEntry[] = referralPart.flatMap((r) => referralEvents(r));
  const profileEntries: TimelineEntry[] = profilePart.rows.map((v) => ({
    kind: 'profile',
    id: v.id,
    at: v.created_at,
    profile: { id: v.id, version: v.version, savedAt: v.created_at, savedByName: v.saved_by_name },
  }));
  const internshipEntries = internshipEvents(internshipPart, londonDate(deps.clock.now()));
  const total =
    contactPart.total +
    employerPart.total +
    statusEntries.length +
    referralEntries.length +
    profilePart.total +
    internshipEntries.length;
  const page = timelinePage(
    [contactEntries, employerEntries, statusEntries, referralEntries, profileEntries, internshipEntries],
    total,
    options.page,
    options.pageSize,
  );
  await audit.record(db, deps, ctx, {
    action: 'participant.timeline_viewed',
    entityType: 'participant',
    entityId: participantId,
    details: { page: options.page, kinds },
  });
  return { ...page, participant, kinds, available };
}
