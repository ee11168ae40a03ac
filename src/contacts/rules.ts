import type { Viewer } from '../participants/rules.ts';

export const MODES = ['face_to_face', 'phone', 'video', 'message'] as const;
export type ContactMode = (typeof MODES)[number];
export const MODE_LABELS: Record<ContactMode, string> = {
  face_to_face: 'Face to face',
  phone: 'Phone',
  video: 'Video call',
  message: 'Message (text, email or letter)',
};

export const PLACES = ['workplace', 'community', 'clinic', 'home', 'remote'] as const;
export type ContactPlace = (typeof PLACES)[number];
export const PLACE_LABELS: Record<ContactPlace, string> = {
  workplace: 'Workplace',
  community: 'Community (for example a café or library)',
  clinic: 'Clinic or team base',
  home: 'Their home',
  remote: 'Remote (phone, video or message)',
};

export const PURPOSES = [
  'engagement',
  'profile',
  'job_search',
  'employer_contact',
  'in_work_support',
  'benefits',
  'clinical_liaison',
  'task_instruction',
] as const;
export type ContactPurpose = (typeof PURPOSES)[number];
export const PURPOSE_LABELS: Record<ContactPurpose, string> = {
  engagement: 'Engagement',
  profile: 'Vocational profile',
  job_search: 'Job search',
  employer_contact: 'Employer contact on their behalf',
  in_work_support: 'In-work support',
  benefits: 'Benefits advice',
  clinical_liaison: 'Clinical liaison',
  task_instruction: 'Task instruction',
};

/** Durations are logged to the nearest 5 minutes, at least 5 and at most 12 hours. */
export function roundDuration(minutes: number): number {
  if (!Number.isFinite(minutes)) return 5;
  return Math.min(12 * 60, Math.max(5, Math.round(minutes / 5) * 5));
}

/** The defaults a new contact starts from: the practitioner's last mode and place, now, 30 minutes. */
export function contactDefaults(last: { mode: ContactMode; place: ContactPlace; durationMinutes: number } | undefined): {
  mode: ContactMode;
  place: ContactPlace;
  durationMinutes: number;
} {
  return last
    ? { mode: last.mode, place: last.place, durationMinutes: roundDuration(last.durationMinutes) }
    : { mode: 'face_to_face', place: 'community', durationMinutes: 30 };
}

/** Only the author, or a manager of the person's team, changes or deletes a contact. */
export function canChangeContact(v: Viewer, contact: { practitionerId: string }, participantTeamId: string | null): boolean {
  if (contact.practitionerId === v.userId) return true;
  return v.role === 'manager' && v.teamId !== null && v.teamId === participantTeamId;
}

/** Clinicians see only the contacts shared with the clinical team; others who see the person see all. */
export function canSeeContact(v: Viewer, contact: { sharedWithClinicalTeam: boolean }): boolean {
  return v.role !== 'clinician' || contact.sharedWithClinicalTeam;
}
