import { ROLES, type Role } from '../users/roles.ts';

/**
 * Who may call each route: the one place that says so. A route missing here refuses every
 * request (deny by default) and the route-by-role test fails.
 *
 * - public: anyone, signed in or not.
 * - partly-signed-in: also a session that has passed the password but not yet the second factor.
 * - roles: signed-in people with one of these roles. Row-level limits (own caseload, own team)
 *   are applied in the services on top of this.
 */
export type AccessRule = { kind: 'public' } | { kind: 'partly-signed-in' } | { kind: 'roles'; roles: readonly Role[] };

const PUBLIC: AccessRule = { kind: 'public' };
const PARTLY_SIGNED_IN: AccessRule = { kind: 'partly-signed-in' };
const roles = (...r: Role[]): AccessRule => ({ kind: 'roles', roles: r });
const ANY_ROLE = roles(...ROLES);
const ADMIN = roles('admin');
const EMPLOYERS = roles('manager', 'practitioner');

export const ACCESS_RULES: Readonly<Record<string, AccessRule>> = {
  // Shell, assets and health
  'GET /healthz': PUBLIC,
  'GET /assets/*': PUBLIC,
  'GET /nhsuk/*': PUBLIC,
  'GET /static/*': PUBLIC,
  'GET /accessibility': PUBLIC,
  'GET /privacy': PUBLIC,
  'GET /': ANY_ROLE,

  // First-run set-up and signing in
  'GET /setup': PUBLIC,
  'POST /setup': PUBLIC,
  'GET /sign-in': PUBLIC,
  'POST /sign-in': PUBLIC,
  'GET /sign-in/second-factor': PARTLY_SIGNED_IN,
  'POST /sign-in/second-factor': PARTLY_SIGNED_IN,
  'GET /account/second-factor': PARTLY_SIGNED_IN,
  'POST /account/second-factor': PARTLY_SIGNED_IN,
  'POST /sign-out': PARTLY_SIGNED_IN,

  // Your own account and API tokens
  'GET /account': ANY_ROLE,
  'POST /account/tokens': ANY_ROLE,
  'POST /account/tokens/:id/revoke': ANY_ROLE,

  // Administration
  'GET /admin/users': ADMIN,
  'GET /admin/users/new': ADMIN,
  'POST /admin/users': ADMIN,
  'GET /admin/users/:id': ADMIN,
  'POST /admin/users/:id': ADMIN,
  'POST /admin/users/:id/deactivate': ADMIN,
  'POST /admin/users/:id/reactivate': ADMIN,
  'POST /admin/users/:id/reset-second-factor': ADMIN,
  'POST /admin/users/:id/password': ADMIN,
  'GET /admin/teams': ADMIN,
  'POST /admin/teams': ADMIN,
  'GET /admin/teams/:id': ADMIN,
  'POST /admin/teams/:id': ADMIN,
  'GET /admin/sites': ADMIN,
  'POST /admin/sites': ADMIN,
  'GET /admin/sites/:id': ADMIN,
  'POST /admin/sites/:id': ADMIN,
  'GET /admin/audit': ADMIN,
  'GET /admin/settings': ADMIN,
  'POST /admin/settings': ADMIN,

  // Vocational profiles (row-level limits and the sensitive sections are decided in the service)
  'GET /participants/:id/profile': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/profile/edit': roles('manager', 'practitioner'),
  'POST /participants/:id/profile': roles('manager', 'practitioner'),
  'GET /participants/:id/profile/history': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/profile.pdf': roles('manager', 'practitioner', 'clinician'),

  // Contacts and the timeline: clinicians read (shared contacts only, decided in the service);
  // practitioners and managers also log; only the author or a manager of the team changes one.
  'GET /participants/:id/contacts/new': roles('manager', 'practitioner'),
  'POST /participants/:id/contacts': roles('manager', 'practitioner'),
  'GET /participants/:id/contacts/:contactId': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/contacts/:contactId/edit': roles('manager', 'practitioner'),
  'POST /participants/:id/contacts/:contactId/edit': roles('manager', 'practitioner'),
  'GET /participants/:id/contacts/:contactId/delete': roles('manager', 'practitioner'),
  'POST /participants/:id/contacts/:contactId/delete': roles('manager', 'practitioner'),
  'GET /participants/:id/timeline': roles('manager', 'practitioner', 'clinician'),

  // In-work support plans and reviews of a job: practitioners and managers read and write;
  // clinicians may read the support plan of people they can see (decided in the service: 404
  // otherwise), with only the contacts shared with their team.
  'GET /placements/:id/support-plan': roles('manager', 'practitioner', 'clinician'),
  'GET /placements/:id/support-plan/edit': roles('manager', 'practitioner'),
  'POST /placements/:id/support-plan/edit': roles('manager', 'practitioner'),
  'GET /placements/:id/support-plan/reviews/new': roles('manager', 'practitioner'),
  'POST /placements/:id/support-plan/reviews/new': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id/support-plan': roles('manager', 'practitioner', 'clinician'),
  'PUT /api/v1/participants/:id/support-plan': roles('manager', 'practitioner'),
  'POST /api/v1/participants/:id/support-plan/reviews': roles('manager', 'practitioner'),

  // Supported internships: cohorts, their departments, rotation plan and grid, and the cohorts
  // API. Practitioners and managers only; the service answers 404 for a cohort they cannot see.
  'GET /cohorts': EMPLOYERS,
  'GET /cohorts/new': EMPLOYERS,
  'POST /cohorts/new': EMPLOYERS,
  'GET /cohorts/:id': EMPLOYERS,
  'GET /cohorts/:id/edit': EMPLOYERS,
  'POST /cohorts/:id/edit': EMPLOYERS,
  'GET /cohorts/:id/team': EMPLOYERS,
  'POST /cohorts/:id/team': EMPLOYERS,
  'GET /cohorts/:id/interns/new': EMPLOYERS,
  'POST /cohorts/:id/interns/new': EMPLOYERS,
  'GET /cohorts/:id/departments': EMPLOYERS,
  'GET /cohorts/:id/departments/new': EMPLOYERS,
  'POST /cohorts/:id/departments/new': EMPLOYERS,
  'GET /cohorts/:id/departments/:departmentId': EMPLOYERS,
  'POST /cohorts/:id/departments/:departmentId': EMPLOYERS,
  'GET /cohorts/:id/rotations': EMPLOYERS,
  'POST /cohorts/:id/rotations': EMPLOYERS,
  'GET /cohorts/:id/grid': EMPLOYERS,
  'POST /cohorts/:id/grid': EMPLOYERS,
  'GET /api/v1/cohorts': EMPLOYERS,
  'POST /api/v1/cohorts': EMPLOYERS,
  'GET /api/v1/cohorts/:id': EMPLOYERS,
  'PATCH /api/v1/cohorts/:id': EMPLOYERS,

  // Supported internships: an intern's page, skills progress per rotation and the attendance
  // register (the service answers 404 for a cohort or intern the caller cannot see). Only
  // managers change the employability checklist; practitioners read it on progress pages.
  'GET /cohorts/:id/interns/:internId': roles('manager', 'practitioner'),
  'GET /cohorts/:id/rotations/:rotationId/interns/:internId': roles('manager', 'practitioner'),
  'POST /cohorts/:id/rotations/:rotationId/interns/:internId': roles('manager', 'practitioner'),
  'GET /cohorts/:id/attendance': roles('manager', 'practitioner'),
  'POST /cohorts/:id/attendance': roles('manager', 'practitioner'),
  'GET /internships/checklist': roles('manager'),
  'POST /internships/checklist': roles('manager'),
  'GET /internships/checklist/:itemId/edit': roles('manager'),
  'POST /internships/checklist/:itemId/edit': roles('manager'),
  'POST /internships/checklist/:itemId/move': roles('manager'),
  'GET /internships/checklist/:itemId/retire': roles('manager'),
  'POST /internships/checklist/:itemId/retire': roles('manager'),

  // Supported internships: graduation and the hand-over to follow-on support (the service
  // answers 404 for a cohort or intern the caller cannot see), and the outcomes report over the
  // cohorts the caller can see (counts only).
  'GET /cohorts/:id/interns/:internId/graduation': roles('manager', 'practitioner'),
  'POST /cohorts/:id/interns/:internId/graduation': roles('manager', 'practitioner'),
  'GET /cohorts/:id/interns/:internId/hand-over': roles('manager', 'practitioner'),
  'POST /cohorts/:id/interns/:internId/hand-over': roles('manager', 'practitioner'),
  'GET /reports/internships': roles('manager', 'practitioner'),
  'GET /reports/internships.csv': roles('manager', 'practitioner'),

  // The Access to Work API: practitioners and managers only (the service answers 404 for a
  // person the caller cannot see).
  'GET /api/v1/access-to-work/awards': EMPLOYERS,
  'POST /api/v1/access-to-work/awards': EMPLOYERS,
  'GET /api/v1/access-to-work/awards/:id': EMPLOYERS,
  'PATCH /api/v1/access-to-work/awards/:id': EMPLOYERS,
  'GET /api/v1/access-to-work/applications': EMPLOYERS,
  'POST /api/v1/access-to-work/applications': EMPLOYERS,
  'PATCH /api/v1/access-to-work/applications/:id': EMPLOYERS,
  'GET /api/v1/access-to-work/claims': EMPLOYERS,
  'POST /api/v1/access-to-work/claims': EMPLOYERS,
  'GET /api/v1/access-to-work/claims/:id': EMPLOYERS,
  'PATCH /api/v1/access-to-work/claims/:id': EMPLOYERS,
  'DELETE /api/v1/access-to-work/claims/:id': EMPLOYERS,

  // A person's Access to Work: applications, awards and the award's delivery. Practitioners and
  // managers only (the service answers 404 for people they cannot see).
  'GET /participants/:id/access-to-work': EMPLOYERS,
  // Coach capacity: managers see their own team's and set its coaches' contracted hours;
  // administrators any team's (decided in the service: 404 for a coach outside the manager's team).
  'GET /access-to-work/capacity': roles('manager', 'admin'),
  'GET /access-to-work/capacity/coaches/:userId': roles('manager', 'admin'),
  'POST /access-to-work/capacity/coaches/:userId': roles('manager', 'admin'),
  'GET /participants/:id/access-to-work/applications/new': EMPLOYERS,
  'POST /participants/:id/access-to-work/applications/new': EMPLOYERS,
  'GET /participants/:id/access-to-work/applications/:applicationId/edit': EMPLOYERS,
  'POST /participants/:id/access-to-work/applications/:applicationId/edit': EMPLOYERS,
  'GET /participants/:id/access-to-work/awards/new': EMPLOYERS,
  'POST /participants/:id/access-to-work/awards/new': EMPLOYERS,
  'GET /participants/:id/access-to-work/awards/:awardId': EMPLOYERS,
  'GET /participants/:id/access-to-work/awards/:awardId/edit': EMPLOYERS,
  'POST /participants/:id/access-to-work/awards/:awardId/edit': EMPLOYERS,
  'GET /participants/:id/access-to-work/awards/:awardId/not-renewing': EMPLOYERS,
  'POST /participants/:id/access-to-work/awards/:awardId/not-renewing': EMPLOYERS,

  // Access to Work claims: the service's finance, for practitioners and managers only (the
  // service answers 404 for people they cannot see).
  'GET /participants/:id/access-to-work/awards/:awardId/claims/new': EMPLOYERS,
  'POST /participants/:id/access-to-work/awards/:awardId/claims/new': EMPLOYERS,
  'GET /participants/:id/access-to-work/claims/:claimId': EMPLOYERS,
  'GET /participants/:id/access-to-work/claims/:claimId/submit': EMPLOYERS,
  'POST /participants/:id/access-to-work/claims/:claimId/submit': EMPLOYERS,
  'GET /participants/:id/access-to-work/claims/:claimId/delete': EMPLOYERS,
  'POST /participants/:id/access-to-work/claims/:claimId/delete': EMPLOYERS,
  'POST /participants/:id/access-to-work/claims/:claimId/paid': EMPLOYERS,
  'GET /participants/:id/access-to-work/claims/:claimId/claim.csv': EMPLOYERS,
  'GET /participants/:id/access-to-work/claims/:claimId/claim.pdf': EMPLOYERS,

  // IPS-25 fidelity reviews: team-level service data, no person's record. Practitioners and
  // managers score and keep their own team's (the service answers 404 for another team's);
  // commissioners and administrators read every team's.
  'GET /fidelity-reviews': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /fidelity-reviews/compare': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /fidelity-reviews/:id': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /fidelity-reviews/new': EMPLOYERS,
  'POST /fidelity-reviews/new': EMPLOYERS,
  'GET /fidelity-reviews/:id/edit': EMPLOYERS,
  'POST /fidelity-reviews/:id/edit': EMPLOYERS,
  'GET /fidelity-reviews/:id/sections/:section': EMPLOYERS,
  'POST /fidelity-reviews/:id/sections/:section': EMPLOYERS,
  'POST /fidelity-reviews/:id/proposals': EMPLOYERS,
  'GET /fidelity-reviews/:id/actions/new': EMPLOYERS,
  'POST /fidelity-reviews/:id/actions/new': EMPLOYERS,
  'POST /fidelity-reviews/:id/actions/:actionId/done': EMPLOYERS,
  'GET /fidelity-reviews/:id/actions/:actionId/delete': EMPLOYERS,
  'POST /fidelity-reviews/:id/actions/:actionId/delete': EMPLOYERS,
  'GET /api/v1/fidelity-reviews': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'POST /api/v1/fidelity-reviews': EMPLOYERS,

  'GET /api/v1/fidelity-reviews/:id': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'PATCH /api/v1/fidelity-reviews/:id': EMPLOYERS,

  // Benefits counselling: for the people who counsel (practitioners, managers). The API is a
  // stateless calculation; a person's saved calculations are their benefits, a special-category
  // section, so the service lets in only the assigned practitioner and the team's managers.
  'POST /api/v1/benefits/calculations': roles('practitioner', 'manager'),
  'GET /participants/:id/benefits': roles('practitioner', 'manager'),
  'GET /participants/:id/benefits/new': roles('practitioner', 'manager'),
  'POST /participants/:id/benefits/new': roles('practitioner', 'manager'),
  'GET /participants/:id/benefits/:calculationId': roles('practitioner', 'manager'),
  'GET /participants/:id/benefits/:calculationId/calculation.pdf': roles('practitioner', 'manager'),

  // Break-glass (issue 12, point 5): only managers grant, revoke and review emergency access;
  // which grants a manager may act on is decided in the service.
  'GET /break-glass': roles('manager'),
  'GET /break-glass/new': roles('manager'),
  'POST /break-glass': roles('manager'),
  'POST /break-glass/:id/revoke': roles('manager'),
  'POST /break-glass/:id/review': roles('manager'),

  // Subject access: everything held about a person, for a manager of their team only. The service
  // answers 404 for a person the caller cannot see and 403 to anyone else who can see them.
  'GET /participants/:id/subject-access': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/subject-access.json': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/subject-access.pdf': roles('manager', 'practitioner', 'clinician'),

  // Rectification keeps the earlier value: anyone who may see the person (decided in the service:
  // 404 otherwise) sees what corrections replaced; special-category fields only with sensitive access.
  'GET /participants/:id/earlier-values': roles('manager', 'practitioner', 'clinician'),

  // Retention review: a team's managers review their team's records past their period (the
  // service answers 404 for another team's record); the administrator sets the periods and sees
  // counts only. Nothing in these routes deletes a record.
  'GET /retention': roles('manager'),
  'GET /retention/:recordClass/:recordId': roles('manager'),
  'POST /retention/:recordClass/:recordId': roles('manager'),
  'GET /admin/retention': ADMIN,
  'POST /admin/retention': ADMIN,

  // Erasure requests: a manager of the person's team records, refuses and carries them out (the
  // service answers 404 for another team's request or person).
  'GET /erasure-requests': roles('manager'),
  'GET /participants/:id/erasure-requests': roles('manager'),
  'GET /participants/:id/erasure-requests/new': roles('manager'),
  'POST /participants/:id/erasure-requests/new': roles('manager'),
  'GET /erasure-requests/:id': roles('manager'),
  'GET /erasure-requests/:id/refuse': roles('manager'),
  'POST /erasure-requests/:id/refuse': roles('manager'),
  'GET /erasure-requests/:id/carry-out': roles('manager'),
  'POST /erasure-requests/:id/carry-out': roles('manager'),

  // Task analyses and instruction sessions (in-work support): practitioners and managers only.
  // The analyses hold no personal data; sessions are limited to people the caller may see or
  // change in the service (404 otherwise).
  'GET /task-analyses': EMPLOYERS,
  'GET /task-analyses/new': EMPLOYERS,
  'POST /task-analyses/new': EMPLOYERS,
  'GET /task-analyses/:id': EMPLOYERS,
  'GET /task-analyses/:id/edit': EMPLOYERS,
  'POST /task-analyses/:id/edit': EMPLOYERS,
  'GET /task-analyses/:id/copy': EMPLOYERS,
  'POST /task-analyses/:id/copy': EMPLOYERS,
  'GET /placements/:id/instruction': EMPLOYERS,
  'GET /placements/:id/instruction/:taskId': EMPLOYERS,
  'GET /placements/:id/instruction/:taskId/sessions/new': EMPLOYERS,
  'POST /placements/:id/instruction/:taskId/sessions/new': EMPLOYERS,
  'GET /api/v1/task-analyses': EMPLOYERS,
  'POST /api/v1/task-analyses': EMPLOYERS,
  'GET /api/v1/task-analyses/:id': EMPLOYERS,
  'PATCH /api/v1/task-analyses/:id': EMPLOYERS,
  'POST /api/v1/task-analyses/:id/sessions': EMPLOYERS,
  'GET /api/v1/task-analyses/:id/sessions': EMPLOYERS,

  // Placements (jobs held): practitioners and managers change them. Clinicians may read the jobs
  // pages, the redeployment page and the API reads for people they can see: jobs are part of
  // shared care. Which people and jobs are visible is decided in the service.
  'GET /participants/:id/placements': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/placements/new': roles('manager', 'practitioner'),
  'POST /participants/:id/placements/new': roles('manager', 'practitioner'),
  'GET /placements/:id': roles('manager', 'practitioner', 'clinician'),
  'GET /placements/:id/edit': roles('manager', 'practitioner'),
  'POST /placements/:id/edit': roles('manager', 'practitioner'),
  'GET /placements/:id/end': roles('manager', 'practitioner'),
  'POST /placements/:id/end': roles('manager', 'practitioner'),
  'GET /placements/:id/absences/new': roles('manager', 'practitioner'),
  'POST /placements/:id/absences/new': roles('manager', 'practitioner'),
  'GET /placements/:id/absences/:absenceId/end': roles('manager', 'practitioner'),
  'POST /placements/:id/absences/:absenceId/end': roles('manager', 'practitioner'),
  'GET /participants/:id/redeployments/:rid': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/redeployments/:rid/close': roles('manager', 'practitioner'),
  'POST /participants/:id/redeployments/:rid/close': roles('manager', 'practitioner'),
  'GET /reports/redeployment': roles('manager', 'practitioner'),
  'GET /api/v1/placements': roles('manager', 'practitioner', 'clinician'),
  'POST /api/v1/placements': roles('manager', 'practitioner'),
  'GET /api/v1/placements/:id': roles('manager', 'practitioner', 'clinician'),
  'PATCH /api/v1/placements/:id': roles('manager', 'practitioner'),

  // Matching (job development): practitioners and managers only. Which people are ranked, whose
  // board a manager may open and who may move a match is decided in the service.
  'GET /participants/:id/matches': roles('manager', 'practitioner'),
  'POST /participants/:id/matches': roles('manager', 'practitioner'),
  'POST /participants/:id/matches/:matchId/stage': roles('manager', 'practitioner'),
  'GET /participants/:id/matches/:matchId/start': roles('manager', 'practitioner'),
  'GET /vacancies/:id/people': roles('manager', 'practitioner'),
  'GET /matches': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id/matches': roles('manager', 'practitioner'),
  'POST /api/v1/participants/:id/matches': roles('manager', 'practitioner'),
  'PATCH /api/v1/participants/:id/matches/:matchId': roles('manager', 'practitioner'),

  // Appointments: practitioners and managers only (clinicians do not need them). Whose week a
  // manager may see and which people's appointments anyone may see is decided in the service.
  'GET /appointments': roles('manager', 'practitioner'),
  'GET /appointments/:id': roles('manager', 'practitioner'),
  'POST /appointments/:id/attended': roles('manager', 'practitioner'),
  'POST /appointments/:id/did-not-attend': roles('manager', 'practitioner'),
  'GET /appointments/:id/cancel': roles('manager', 'practitioner'),
  'POST /appointments/:id/cancel': roles('manager', 'practitioner'),
  'GET /appointments/calendar-feed': roles('manager', 'practitioner'),
  'POST /appointments/calendar-feed': roles('manager', 'practitioner'),
  'POST /appointments/calendar-feed/revoke': roles('manager', 'practitioner'),
  'GET /participants/:id/appointments': roles('manager', 'practitioner'),
  'GET /participants/:id/appointments/new': roles('manager', 'practitioner'),
  'POST /participants/:id/appointments': roles('manager', 'practitioner'),
  // The private calendar feed: the secret token in the address is the authentication.
  'GET /calendar/:token.ics': PUBLIC,

  // Participants and caseloads: clinicians read, practitioners and managers also write. Who
  // may see which person is decided in the service (a record outside your scope is a 404).
  'GET /participants': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/new': roles('manager', 'practitioner'),
  'POST /participants': roles('manager', 'practitioner'),
  'GET /participants/:id': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/edit': roles('manager', 'practitioner'),
  'POST /participants/:id/edit': roles('manager', 'practitioner'),
  'POST /participants/:id/status': roles('manager', 'practitioner'),
  'POST /participants/:id/practitioner': roles('manager', 'practitioner'),

  // Dashboards: a practitioner's caseload with alerts, and the team's figures. Practitioners see
  // their own team's figures too; which people and contacts appear is decided in the service.
  'GET /caseload': roles('manager', 'practitioner'),
  'GET /team-dashboard': roles('manager', 'practitioner'),
  'GET /team-dashboard/not-seen': roles('manager', 'practitioner'),
  'GET /team-dashboard/contacts': roles('manager', 'practitioner'),

  // Referrals: clinicians read, practitioners and managers change
  'GET /referrals/new': roles('manager', 'practitioner'),
  'POST /referrals': roles('manager', 'practitioner'),
  'GET /participants/:id/referrals': roles('manager', 'practitioner', 'clinician'),
  'GET /participants/:id/referrals/new': roles('manager', 'practitioner'),
  'POST /participants/:id/referrals': roles('manager', 'practitioner'),
  'POST /participants/:id/referrals/:referralId/contact-attempts': roles('manager', 'practitioner'),
  'POST /participants/:id/referrals/:referralId/first-contact': roles('manager', 'practitioner'),
  'GET /participants/:id/referrals/:referralId/close': roles('manager', 'practitioner'),
  'POST /participants/:id/referrals/:referralId/close': roles('manager', 'practitioner'),

  // Employers and employer contacts (job development): practitioners and managers only; the CRM
  // is shared across teams. Who may change a contact, and which people's names show beside
  // contacts and placements, is decided in the service.
  'GET /employers': EMPLOYERS,
  'GET /employers/new': EMPLOYERS,
  'POST /employers': EMPLOYERS,
  'GET /employers/:id': EMPLOYERS,
  'GET /employers/:id/edit': EMPLOYERS,
  'POST /employers/:id/edit': EMPLOYERS,
  'GET /employers/:id/sites/new': EMPLOYERS,
  'POST /employers/:id/sites': EMPLOYERS,
  'GET /employers/:id/sites/:partId/edit': EMPLOYERS,
  'POST /employers/:id/sites/:partId/edit': EMPLOYERS,
  'GET /employers/:id/departments/new': EMPLOYERS,
  'POST /employers/:id/departments': EMPLOYERS,
  'GET /employers/:id/departments/:partId/edit': EMPLOYERS,
  'POST /employers/:id/departments/:partId/edit': EMPLOYERS,
  'GET /employers/:id/people/new': EMPLOYERS,
  'POST /employers/:id/people': EMPLOYERS,
  'GET /employers/:id/people/:partId/edit': EMPLOYERS,
  'POST /employers/:id/people/:partId/edit': EMPLOYERS,
  'GET /employer-contacts/new': EMPLOYERS,
  'POST /employer-contacts': EMPLOYERS,
  'GET /employer-contacts/:contactId/edit': EMPLOYERS,
  'POST /employer-contacts/:contactId/edit': EMPLOYERS,
  'GET /employer-contacts/:contactId/delete': EMPLOYERS,
  'POST /employer-contacts/:contactId/delete': EMPLOYERS,
  'GET /api/v1/employers': EMPLOYERS,
  'POST /api/v1/employers': EMPLOYERS,
  'GET /api/v1/employers/:id': EMPLOYERS,
  'PATCH /api/v1/employers/:id': EMPLOYERS,
  'GET /api/v1/employers/:id/contacts': EMPLOYERS,
  'POST /api/v1/employers/:id/contacts': EMPLOYERS,

  // Workplace issues on a job: practitioners and managers record and update them; clinicians may
  // read the issues of people they can see (their clinical team referred them), decided in the
  // service, which answers 404 for anyone else. The team report is counts only.
  'GET /placements/:id/issues': roles('manager', 'practitioner', 'clinician'),
  'GET /placements/:id/issues/new': roles('manager', 'practitioner'),
  'POST /placements/:id/issues/new': roles('manager', 'practitioner'),
  'GET /placements/:id/issues/:issueId': roles('manager', 'practitioner', 'clinician'),
  'GET /placements/:id/issues/:issueId/edit': roles('manager', 'practitioner'),
  'POST /placements/:id/issues/:issueId/edit': roles('manager', 'practitioner'),
  'GET /placements/:id/issues/:issueId/close': roles('manager', 'practitioner'),
  'POST /placements/:id/issues/:issueId/close': roles('manager', 'practitioner'),
  'GET /reports/workplace-issues': roles('manager', 'practitioner'),
  'GET /api/v1/placements/:id/issues': roles('manager', 'practitioner', 'clinician'),
  'POST /api/v1/placements/:id/issues': roles('manager', 'practitioner'),
  'PATCH /api/v1/placements/:id/issues/:issueId': roles('manager', 'practitioner'),

  // Vacancies and their CSV import: practitioners and managers only, shared across teams like
  // the employers. An import's report is its importer's (and their team's managers'), decided in
  // the service; a person's minimum-wage check needs someone the caller may see.
  'GET /vacancies': EMPLOYERS,
  'GET /vacancies/new': EMPLOYERS,
  'POST /vacancies': EMPLOYERS,
  'GET /vacancies/import': EMPLOYERS,
  'POST /vacancies/import': EMPLOYERS,
  'GET /vacancies/imports/:id': EMPLOYERS,
  'GET /vacancies/:id': EMPLOYERS,
  'GET /vacancies/:id/edit': EMPLOYERS,
  'POST /vacancies/:id/edit': EMPLOYERS,
  'GET /vacancies/:id/status': EMPLOYERS,
  'POST /vacancies/:id/status': EMPLOYERS,
  'GET /api/v1/vacancies': EMPLOYERS,
  'POST /api/v1/vacancies': EMPLOYERS,
  'POST /api/v1/vacancies/import': EMPLOYERS,
  'GET /api/v1/vacancies/:id': EMPLOYERS,
  'PATCH /api/v1/vacancies/:id': EMPLOYERS,

  // Reports: the index and the outcome report (with its API) for managers, practitioners,
  // commissioners and administrators; clinicians are refused. The figures are the team's for
  // practitioners and managers, the whole service's, with small numbers hidden, for the others.
  // The people behind a figure are for practitioners and managers only.
  'GET /reports': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes/people': roles('manager', 'practitioner'),
  'GET /api/v1/reports/outcomes': roles('manager', 'practitioner', 'commissioner', 'admin'),
  // Outcome charts, downloads and the quarterly return: the same figures, with the same hiding of
  // small numbers, as the outcome report page.
  'GET /reports/outcomes/charts': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes.csv': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes.xlsx': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes/quarterly-return.csv': roles('manager', 'practitioner', 'commissioner', 'admin'),
  'GET /reports/outcomes/quarterly-return.xlsx': roles('manager', 'practitioner', 'commissioner', 'admin'),

  // JSON API
  'GET /api/v1/openapi.json': PUBLIC,
  'GET /api/v1/me': ANY_ROLE,
  'GET /api/v1/users': ADMIN,
  'POST /api/v1/users': ADMIN,
  'GET /api/v1/users/:id': ADMIN,
  'PATCH /api/v1/users/:id': ADMIN,
  'GET /api/v1/teams': ADMIN,
  'POST /api/v1/teams': ADMIN,
  'GET /api/v1/teams/:id': ADMIN,
  'PATCH /api/v1/teams/:id': ADMIN,
  'GET /api/v1/audit-events': ADMIN,
  'GET /api/v1/participants/:id/referrals': roles('manager', 'practitioner', 'clinician'),
  'POST /api/v1/participants/:id/referrals': roles('manager', 'practitioner'),
  'PATCH /api/v1/participants/:id/referrals/:referralId': roles('manager', 'practitioner'),
  'POST /api/v1/participants/:id/referrals/:referralId/contact-attempts': roles('manager', 'practitioner'),
  'GET /api/v1/participants': roles('manager', 'practitioner', 'clinician'),
  'POST /api/v1/participants': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id': roles('manager', 'practitioner', 'clinician'),
  'PATCH /api/v1/participants/:id': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id/profile': roles('manager', 'practitioner', 'clinician'),
  'PATCH /api/v1/participants/:id/profile': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id/profile/versions': roles('manager', 'practitioner', 'clinician'),
  'GET /api/v1/participants/:id/contacts': roles('manager', 'practitioner', 'clinician'),
  'POST /api/v1/participants/:id/contacts': roles('manager', 'practitioner'),
  'GET /api/v1/participants/:id/contacts/:contactId': roles('manager', 'practitioner', 'clinician'),
  'PATCH /api/v1/participants/:id/contacts/:contactId': roles('manager', 'practitioner'),
  'DELETE /api/v1/participants/:id/contacts/:contactId': roles('manager', 'practitioner'),
  'GET /api/v1/appointments': roles('manager', 'practitioner'),
  'GET /api/v1/appointments/:id': roles('manager', 'practitioner'),
  'PATCH /api/v1/appointments/:id': roles('manager', 'practitioner'),
  'POST /api/v1/appointments/:id/attended': roles('manager', 'practitioner'),
  'POST /api/v1/participants/:id/appointments': roles('manager', 'practitioner'),
};

/** The rule for a method and route pattern, or undefined when none is declared. */
export function ruleFor(method: string, routeUrl: string): AccessRule | undefined {
  const m = method === 'HEAD' ? 'GET' : method;
  return ACCESS_RULES[`${m} ${routeUrl}`];
}

/** True when the rule lets this role through (for a fully signed-in person). */
export function allows(rule: AccessRule, role: Role | null): boolean {
  if (rule.kind === 'public') return true;
  if (role === null) return false;
  if (rule.kind === 'partly-signed-in') return true;
  return rule.roles.includes(role);
}
