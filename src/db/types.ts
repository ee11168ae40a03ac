import type { Kysely, Transaction } from 'kysely';

/** Columns every domain record carries (DESIGN.md section 3). */
interface RecordColumns {
  id: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface TeamsTable extends RecordColumns {
  name: string;
  name_key: string;
}

export interface SitesTable extends RecordColumns {
  name: string;
  name_key: string;
  address: string | null;
}

export interface UsersTable extends RecordColumns {
  email: string;
  name: string;
  role: string;
  team_id: string | null;
  /** 1 or 0: integers rather than booleans so both databases store them alike. */
  active: number;
  password_hash: string;
  totp_secret: string | null;
  totp_enabled: number;
  last_sign_in_at: string | null;
  /** Hours a week the person is contracted for (coaches: the capacity forecast). */
  contracted_hours_per_week: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie value, so a database leak does not hand out live sessions. */
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  /** 1 while the password is checked but the second factor is not yet. */
  second_factor_pending: number;
  client_address: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  occurred_at: string;
  actor_user_id: string | null;
  actor_label: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  client_address: string | null;
  request_id: string | null;
  details: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SignInThrottleTable {
  key: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  method: string;
  path: string;
  status_code: number;
  body: string;
  created_at: string;
}

export interface ParticipantsTable extends RecordColumns {
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  pronouns: string | null;
  date_of_birth: string | null;
  nhs_number: string | null;
  phone: string | null;
  email: string | null;
  address: string | null;
  preferred_contact_method: string | null;
  /** JSON array of needs. */
  communication_needs: string;
  communication_notes: string | null;
  programme: string;
  status: string;
  practitioner_id: string | null;
  team_id: string | null;
  linked_participant_id: string | null;
  search_name: string;
}

export interface ParticipantStatusChangesTable {
  id: string;
  participant_id: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  changed_at: string;
  changed_by_user_id: string | null;
}

export interface ReferralsTable extends RecordColumns {
  participant_id: string;
  source: string;
  referrer_name: string | null;
  referrer_organisation: string | null;
  referrer_contact: string | null;
  clinical_team_id: string | null;
  care_coordinator: string | null;
  received_date: string;
  accepted_date: string | null;
  first_contact_date: string | null;
  what_they_want: string | null;
  notes: string | null;
  in_work_at_referral: number;
  status: string;
  closed_date: string | null;
  close_reason: string | null;
  close_note: string | null;
  created_by_user_id: string | null;
}

export interface ReferralContactAttemptsTable {
  id: string;
  referral_id: string;
  attempted_at: string;
  method: string;
  note: string | null;
  created_by_user_id: string | null;
  created_at: string;
}

export interface ProfileVersionsTable {
  id: string;
  participant_id: string;
  version: number;
  /** JSON of the whole profile at this version. */
  data: string;
  created_at: string;
  created_by_user_id: string | null;
}

export interface ContactsTable extends RecordColumns {
  participant_id: string;
  practitioner_id: string;
  started_at: string;
  duration_minutes: number;
  mode: string;
  place: string;
  purpose: string;
  with_whom: string | null;
  notes: string | null;
  shared_with_clinical_team: number;
  out_of_hours: number;
  deleted_at: string | null;
  deleted_by_user_id: string | null;
  delete_reason: string | null;
  /** The job this contact supported, if any (in-work support). */
  placement_id: string | null;
  /** The Access to Work award this support is charged to. */
  atw_award_id: string | null;
  /** The submitted claim holding this contact: set, the contact is locked. */
  atw_claim_id: string | null;
}

export interface ContactRevisionsTable {
  id: string;
  contact_id: string;
  /** JSON of the contact's fields before the edit. */
  previous: string;
  revised_at: string;
  revised_by_user_id: string | null;
}

export interface AppointmentsTable extends RecordColumns {
  participant_id: string;
  practitioner_id: string;
  starts_at: string;
  duration_minutes: number;
  place_kind: string;
  site_id: string | null;
  department: string | null;
  place_detail: string | null;
  with_whom: string | null;
  purpose: string | null;
  status: string;
  contact_id: string | null;
}

export interface CalendarFeedsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface DigestSendsTable {
  user_id: string;
  day: string;
  sent_at: string;
}

export interface EmployersTable extends RecordColumns {
  name: string;
  name_key: string;
  type: string;
  sector: string | null;
  size: string | null;
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
  website: string | null;
  relationship_stage: string;
  notes: string | null;
  created_by_user_id: string | null;
}

export interface EmployerSitesTable extends RecordColumns {
  employer_id: string;
  name: string;
  address: string | null;
  postcode: string | null;
  latitude: number | null;
  longitude: number | null;
}

export interface EmployerDepartmentsTable extends RecordColumns {
  employer_id: string;
  name: string;
  employer_site_id: string | null;
  /** Interns the department can take at once (supported internships); null when not a rotation department. */
  intern_capacity: number | null;
  /** Who to talk to there about interns. */
  intern_contact: string | null;
}

export interface EmployerPeopleTable extends RecordColumns {
  employer_id: string;
  name: string;
  job_title: string | null;
  email: string | null;
  phone: string | null;
  notes: string | null;
}

export interface EmployerContactsTable extends RecordColumns {
  employer_id: string;
  practitioner_id: string;
  participant_id: string | null;
  employer_person_id: string | null;
  contacted_at: string;
  mode: string;
  face_to_face: number;
  purpose: string;
  outcome: string | null;
  next_step: string | null;
  next_step_due: string | null;
  deleted_at: string | null;
  deleted_by_user_id: string | null;
  delete_reason: string | null;
}

export interface VacanciesTable extends RecordColumns {
  employer_id: string;
  title: string;
  occupation: string | null;
  employer_department_id: string | null;
  employer_site_id: string | null;
  hours_per_week: number | null;
  /** Comma-separated mon..sun; '' when not stated. */
  days: string;
  /** Comma-separated mornings, afternoons, evenings, nights; '' when not stated. */
  times: string;
  weekends: number;
  hourly_pay_pence: number | null;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  start_date: string | null;
  closing_date: string | null;
  found_via: string;
  check_required: number;
  description: string | null;
  status: string;
  import_key: string | null;
  created_by_user_id: string | null;
}

export interface VacancyImportsTable {
  id: string;
  user_id: string;
  file_name: string | null;
  status: string;
  total_rows: number;
  processed_rows: number;
  added: number;
  already_there: number;
  /** JSON: `[{ "line": 3, "message": "..." }]`. */
  errors: string;
  created_at: string;
  finished_at: string | null;
  /** Employers the import added (2026_11_25_210000). */
  new_employers: number;
  /** Why a failed import stopped. */
  failure: string | null;
}

export interface MatchesTable extends RecordColumns {
  participant_id: string;
  vacancy_id: string;
  practitioner_id: string;
  stage: string;
  score: number;
  stage_changed_at: string;
  notes: string | null;
  created_by_user_id: string | null;
}

export interface MatchStageChangesTable {
  id: string;
  match_id: string;
  from_stage: string | null;
  to_stage: string;
  changed_at: string;
  changed_by_user_id: string | null;
}

export interface PlacementsTable extends RecordColumns {
  participant_id: string;
  employer_id: string;
  vacancy_id: string | null;
  match_id: string | null;
  practitioner_id: string | null;
  title: string;
  employer_department_id: string | null;
  employer_site_id: string | null;
  start_date: string;
  end_date: string | null;
  end_reason: string | null;
  hours_per_week: number | null;
  hourly_pay_pence: number | null;
  contract_type: string | null;
  line_manager: string | null;
  open_to_anyone: number;
  set_aside_for_disabled: number;
}

export interface SupportPlansTable extends RecordColumns {
  placement_id: string;
  participant_id: string;
  coach_support: string | null;
  employer_owns: string | null;
  contact_every_days: number | null;
  adjustments: string | null;
  next_review_date: string | null;
  fading_plan: string | null;
  status: string;
  /** Coach hours a week the plan commits to (the capacity forecast). */
  hours_per_week: number | null;
}

export interface SupportReviewsTable {
  id: string;
  placement_id: string;
  review_date: string;
  decision: string;
  notes: string | null;
  reviewed_by_user_id: string | null;
  created_at: string;
}

export interface TaskAnalysesTable extends RecordColumns {
  title: string;
  employer_id: string | null;
  employer_department_id: string | null;
  description: string | null;
  copied_from_id: string | null;
  created_by_user_id: string | null;
}

export interface TaskStepsTable {
  id: string;
  task_analysis_id: string;
  position: number;
  text: string;
  retired: number;
}

export interface InstructionSessionsTable extends RecordColumns {
  task_analysis_id: string;
  participant_id: string;
  placement_id: string | null;
  practitioner_id: string;
  session_date: string;
  notes: string | null;
}

export interface InstructionStepResultsTable {
  session_id: string;
  step_id: string;
  prompt_level: string;
}

export interface WorkplaceIssuesTable extends RecordColumns {
  placement_id: string;
  participant_id: string;
  raised_by: string;
  raised_on: string;
  category: string;
  owner: string;
  description: string;
  actions: string | null;
  outcome: string | null;
  status: string;
  closed_on: string | null;
  created_by_user_id: string | null;
}

export interface AbsencesTable extends RecordColumns {
  placement_id: string;
  participant_id: string;
  kind: string;
  from_date: string;
  to_date: string | null;
  notes: string | null;
}

export interface AtwApplicationsTable extends RecordColumns {
  participant_id: string;
  applied_by: string;
  applicant_name: string | null;
  sent_date: string | null;
  reference: string | null;
  status: string;
  decision_date: string | null;
  support_kind: string;
  hours_per_week: number | null;
  expected_start_date: string | null;
  renews_award_id: string | null;
  notes: string | null;
  created_by_user_id: string | null;
}

export interface AtwAwardsTable extends RecordColumns {
  participant_id: string;
  application_id: string | null;
  placement_id: string | null;
  coach_user_id: string | null;
  reference: string | null;
  support_kind: string;
  start_date: string;
  end_date: string;
  hours_per_week: number | null;
  hours_total: number | null;
  hourly_rate_pence: number | null;
  total_amount_pence: number | null;
  employer_contribution_pence: number | null;
  notes: string | null;
  renews_award_id: string | null;
  not_renewing_reason: string | null;
  created_by_user_id: string | null;
}

export interface AtwClaimsTable extends RecordColumns {
  award_id: string;
  participant_id: string;
  period_start: string;
  period_end: string;
  status: string;
  hourly_rate_pence: number | null;
  total_minutes: number | null;
  total_pence: number | null;
  submitted_at: string | null;
  submitted_by_user_id: string | null;
  paid_date: string | null;
  paid_pence: number | null;
  created_by_user_id: string | null;
}

export interface AtwClaimLinesTable {
  id: string;
  claim_id: string;
  day: string;
  minutes: number;
  amount_pence: number;
  contacts: number;
}

export interface CohortsTable extends RecordColumns {
  name: string;
  programme_year: string;
  host_employer_id: string;
  team_id: string;
  tutor_user_id: string | null;
  education_provider: string | null;
  start_date: string;
  end_date: string;
  notes: string | null;
}

export interface CohortSitesTable {
  id: string;
  cohort_id: string;
  employer_site_id: string;
}

export interface CohortCoachesTable {
  id: string;
  cohort_id: string;
  user_id: string;
}

export interface CohortInternsTable extends RecordColumns {
  cohort_id: string;
  participant_id: string;
  ehc_plan: number;
  status: string;
  outcome: string | null;
  outcome_date: string | null;
  outcome_note: string | null;
  job_employer_id: string | null;
  job_title: string | null;
  job_employer_department_id: string | null;
  job_employer_site_id: string | null;
  job_start_date: string | null;
  job_hours_per_week: number | null;
  job_hourly_pay_pence: number | null;
  job_seasonal: number | null;
  job_integrated: number | null;
  job_contract_type: string | null;
  job_line_manager: string | null;
  handed_over_at: string | null;
  follow_on_practitioner_id: string | null;
  follow_on_placement_id: string | null;
}

export interface RotationsTable extends RecordColumns {
  cohort_id: string;
  number: number;
  start_date: string;
  end_date: string;
}

export interface RotationPlacementsTable {
  id: string;
  rotation_id: string;
  cohort_intern_id: string;
  employer_department_id: string;
  created_at: string;
  updated_at: string;
}

export interface RotationReviewsTable extends RecordColumns {
  rotation_id: string;
  cohort_intern_id: string;
  review_date: string;
  went_well: string | null;
  to_work_on: string | null;
  intern_words: string | null;
  written_by_user_id: string | null;
}

export interface RotationTasksTable {
  id: string;
  rotation_id: string;
  cohort_intern_id: string;
  task_analysis_id: string;
  created_at: string;
}

export interface EmployabilityItemsTable extends RecordColumns {
  text: string;
  position: number;
  retired: number;
}

export interface EmployabilityChecksTable {
  id: string;
  rotation_id: string;
  cohort_intern_id: string;
  item_id: string;
  achieved: number;
  note: string | null;
  updated_at: string;
  updated_by_user_id: string | null;
}

export interface InternAttendanceTable extends RecordColumns {
  cohort_intern_id: string;
  day: string;
  present: number;
  absence_reason: string | null;
  note: string | null;
  recorded_by_user_id: string | null;
}

export interface RedeploymentsTable extends RecordColumns {
  participant_id: string;
  ended_placement_id: string;
  opened_on: string;
  outcome: string | null;
  new_placement_id: string | null;
  closed_on: string | null;
}

export interface FidelityReviewsTable extends RecordColumns {
  team_id: string;
  review_date: string;
  period_from: string;
  period_to: string;
  reviewers: string | null;
  notes: string | null;
  proposed_at: string | null;
  created_by_user_id: string | null;
}

export interface FidelityReviewItemsTable {
  id: string;
  review_id: string;
  item: number;
  score: number | null;
  evidence: string | null;
  proposed_score: number | null;
  proposed_evidence: string | null;
}

export interface FidelityActionsTable extends RecordColumns {
  review_id: string;
  item: number | null;
  action: string;
  owner: string | null;
  due_date: string | null;
  done_on: string | null;
}

export interface BenefitCalculationsTable extends RecordColumns {
  participant_id: string;
  calculated_on: string;
  tax_year: string | null;
  /** JSON: the household figures as entered. */
  household: string;
  /** JSON: one to three `{ job, result }`. */
  scenarios: string;
  notes: string | null;
  created_by_user_id: string | null;
}

/** One earlier value of a corrected field (rectification keeps the value it replaced). */
export interface RecordRevisionsTable {
  id: string;
  participant_id: string;
  entity_type: string;
  entity_id: string;
  field: string;
  /** JSON of the value before the change; null when it was empty. */
  earlier_value: string | null;
  changed_by_user_id: string | null;
  changed_at: string;
}

/** A reviewer's decision to keep a record past its retention period for now. */
export interface RetentionReviewsTable {
  id: string;
  participant_id: string;
  record_class: string;
  record_id: string;
  reason: string;
  /** YYYY-MM-DD. */
  next_review_on: string;
  reviewed_by_user_id: string | null;
  reviewed_at: string;
}

/** A request to erase a person's record; kept, with ids and dates only, after it is carried out. */
export interface ErasureRequestsTable {
  id: string;
  /** No foreign key: the request outlives the person. */
  participant_id: string;
  team_id: string;
  /** YYYY-MM-DD. */
  received_on: string;
  /** YYYY-MM-DD: one calendar month after `received_on`. */
  due_on: string;
  requested_by: 'the person' | 'their representative';
  status: 'open' | 'refused' | 'carried_out';
  refusal_reason: string | null;
  decided_by_user_id: string | null;
  decided_at: string | null;
  created_by: string | null;
  created_at: string;
}

/** Time-limited read access to one person's record, granted by a manager with a reason (break-glass). */
export interface BreakGlassGrantsTable {
  id: string;
  participant_id: string;
  granted_to_user_id: string;
  granted_by_user_id: string;
  reason: string;
  /** ISO instants: the grant is in force from `starts_at` up to, not including, `expires_at`. */
  starts_at: string;
  expires_at: string;
  revoked_at: string | null;
  revoked_by_user_id: string | null;
  /** When a manager of the person's team looked at the grant. */
  reviewed_at: string | null;
  reviewed_by_user_id: string | null;
  created_at: string;
}

export interface Database {
  teams: TeamsTable;
  sites: SitesTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  audit_head: AuditHeadTable;
  sign_in_throttle: SignInThrottleTable;
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  participants: ParticipantsTable;
  participant_status_changes: ParticipantStatusChangesTable;
  referrals: ReferralsTable;
  referral_contact_attempts: ReferralContactAttemptsTable;
  profile_versions: ProfileVersionsTable;
  contacts: ContactsTable;
  contact_revisions: ContactRevisionsTable;
  appointments: AppointmentsTable;
  calendar_feeds: CalendarFeedsTable;
  digest_sends: DigestSendsTable;
  employers: EmployersTable;
  employer_sites: EmployerSitesTable;
  employer_departments: EmployerDepartmentsTable;
  employer_people: EmployerPeopleTable;
  employer_contacts: EmployerContactsTable;
  vacancies: VacanciesTable;
  vacancy_imports: VacancyImportsTable;
  matches: MatchesTable;
  match_stage_changes: MatchStageChangesTable;
  placements: PlacementsTable;
  support_plans: SupportPlansTable;
  support_reviews: SupportReviewsTable;
  task_analyses: TaskAnalysesTable;
  task_steps: TaskStepsTable;
  instruction_sessions: InstructionSessionsTable;
  instruction_step_results: InstructionStepResultsTable;
  workplace_issues: WorkplaceIssuesTable;
  absences: AbsencesTable;
  redeployments: RedeploymentsTable;
  atw_applications: AtwApplicationsTable;
  atw_awards: AtwAwardsTable;
  atw_claims: AtwClaimsTable;
  atw_claim_lines: AtwClaimLinesTable;
  cohorts: CohortsTable;
  cohort_sites: CohortSitesTable;
  cohort_coaches: CohortCoachesTable;
  cohort_interns: CohortInternsTable;
  rotations: RotationsTable;
  rotation_placements: RotationPlacementsTable;
  rotation_reviews: RotationReviewsTable;
  rotation_tasks: RotationTasksTable;
  employability_items: EmployabilityItemsTable;
  employability_checks: EmployabilityChecksTable;
  intern_attendance: InternAttendanceTable;
  fidelity_reviews: FidelityReviewsTable;
  fidelity_review_items: FidelityReviewItemsTable;
  fidelity_actions: FidelityActionsTable;
  benefit_calculations: BenefitCalculationsTable;
  erasure_requests: ErasureRequestsTable;
  break_glass_grants: BreakGlassGrantsTable;
  record_revisions: RecordRevisionsTable;
  retention_reviews: RetentionReviewsTable;
}

export type Db = Kysely<Database>;
/** A database handle or an open transaction: repo functions accept either. */
export type DbOrTrx = Kysely<Database> | Transaction<Database>;
