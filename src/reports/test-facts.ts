import type { JobFact, PersonFact } from './outcomes.ts';

// Builders of the facts the outcome figures are worked out from, for the pure tests of the
// figures, their suppression and the fidelity proposals. Each call gets fresh ids.

let n = 0;

/** A person with nothing recorded but a team and practitioner, unless the overrides say otherwise. */
export function personFact(overrides: Partial<PersonFact> = {}): PersonFact {
  n += 1;
  return {
    id: `p${n}`,
    teamId: 't1',
    practitionerId: 'u1',
    programme: 'ips',
    dateOfBirth: '1990-01-01',
    profileStartedOn: null,
    referrals: [],
    employerFaceToFaceDays: [],
    jobs: [],
    redeployedOn: [],
    internships: [],
    ...overrides,
  };
}

/** A 16-hour job at £13 an hour started on 3 August 2026 with its own employer and title. */
export function jobFact(overrides: Partial<JobFact> = {}): JobFact {
  n += 1;
  return {
    id: `j${n}`,
    participantId: 'p',
    employerId: `e${n}`,
    employerType: 'external',
    siteId: null,
    practitionerId: null,
    title: `Job ${n}`,
    startDate: '2026-08-03',
    endDate: null,
    endReason: null,
    hoursPerWeek: 16,
    hourlyPayPence: 1300,
    openToAnyone: true,
    setAsideForDisabled: false,
    contractType: 'permanent',
    ...overrides,
  };
}
