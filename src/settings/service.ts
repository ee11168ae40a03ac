import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import * as audit from '../audit/service.ts';
import * as repo from './repo.ts';

/** Service-wide settings an administrator changes in the app. */
export interface ServiceSettings {
  requireSecondFactor: boolean;
  /** People one practitioner should hold at most (IPS fidelity: 20). */
  caseloadLimit: number;
  /** Days from referral to first contact before it is flagged. */
  firstContactTargetDays: number;
  /** Days without any contact before someone on a caseload is flagged. */
  noContactAlertDays: number;
  /** Days in job search without an employer contact on the person's behalf before it is flagged (IPS: 30). */
  jobSearchEmployerContactDays: number;
  /** Days without an in-work support contact before an employed person's support review is flagged. */
  supportReviewDays: number;
  /** Face-to-face employer contacts each practitioner aims for a week (IPS fidelity: 6). */
  employerFaceToFaceTarget: number;
  /** Sessions in a row with every step independent before a task counts as mastered (1–10). */
  masterySessions: number;
  /** Months after a job starts when its first support review is due (1–36); later reviews follow the plan. */
  supportReviewMonths: number;
  /** Weeks before an Access to Work award ends when its renewal is flagged (GOV.UK: applications from 12 weeks before). */
  atwRenewalWeeks: number;
  /** Months after support is delivered within which Access to Work must be claimed (widely quoted as 9). */
  atwClaimLimitMonths: number;
  /** Counts below this are shown as "<N" to anyone who may not see people (commissioners): NHS small-number rule. */
  disclosureThreshold: number;
}

export const DEFAULT_SETTINGS: ServiceSettings = {
  requireSecondFactor: false,
  caseloadLimit: 20,
  firstContactTargetDays: 7,
  noContactAlertDays: 14,
  jobSearchEmployerContactDays: 30,
  supportReviewDays: 28,
  employerFaceToFaceTarget: 6,
  masterySessions: 3,
  supportReviewMonths: 9,
  atwRenewalWeeks: 12,
  atwClaimLimitMonths: 9,
  disclosureThreshold: 5,
};

// Each setting's stored key and how it is written to and read from text.
const KEYS = {
  requireSecondFactor: 'require_second_factor',
  caseloadLimit: 'caseload_limit',
  firstContactTargetDays: 'first_contact_target_days',
  noContactAlertDays: 'no_contact_alert_days',
  jobSearchEmployerContactDays: 'job_search_employer_contact_days',
  supportReviewDays: 'support_review_days',
  employerFaceToFaceTarget: 'employer_face_to_face_target',
  masterySessions: 'mastery_sessions',
  supportReviewMonths: 'support_review_months',
  atwRenewalWeeks: 'atw_renewal_weeks',
  atwClaimLimitMonths: 'atw_claim_limit_months',
  disclosureThreshold: 'disclosure_threshold',
} as const satisfies Record<keyof ServiceSettings, string>;

function parse<K extends keyof ServiceSettings>(key: K, text: string | undefined): ServiceSettings[K] {
  const fallback = DEFAULT_SETTINGS[key];
  if (text === undefined) return fallback;
  if (typeof fallback === 'boolean') return (text === 'true') as ServiceSettings[K];
  const n = Number(text);
  return (Number.isInteger(n) && n > 0 ? n : fallback) as ServiceSettings[K];
}

/** Every setting, read in one query: busy pages (the caseload, the dashboards) ask for them on each request. */
export async function getSettings(db: DbOrTrx): Promise<ServiceSettings> {
  const stored = await repo.getMany(db, Object.values(KEYS));
  const entries = (Object.keys(KEYS) as (keyof ServiceSettings)[]).map((k) => [k, parse(k, stored.get(KEYS[k]))] as const);
  return Object.fromEntries(entries) as unknown as ServiceSettings;
}

/** Saves the settings that changed, each audited with its old and new value. */
export async function updateSettings(
  db: DbOrTrx,
  deps: { clock: Clock; auditKey: Buffer },
  ctx: audit.AuditContext,
  next: Partial<ServiceSettings>,
): Promise<ServiceSettings> {
  const current = await getSettings(db);
  const changed: Record<string, { from: unknown; to: unknown }> = {};
  for (const k of Object.keys(KEYS) as (keyof ServiceSettings)[]) {
    const value = next[k];
    if (value === undefined || value === current[k]) continue;
    await repo.put(db, KEYS[k], String(value), deps.clock.now().toISOString());
    changed[KEYS[k]] = { from: current[k], to: value };
  }
  if (Object.keys(changed).length > 0) {
    await audit.record(db, deps, ctx, { action: 'settings.updated', entityType: 'settings', details: changed });
  }
  return { ...current, ...next };
}

/**
 * Stored values of settings another domain defines and validates itself (the retention periods,
 * `retention_years.<class>`); keys never saved are absent. Only that domain reads or writes them.
 */
export async function getStored(db: DbOrTrx, keys: readonly string[]): Promise<Map<string, string>> {
  return repo.getMany(db, keys);
}

/** Saves one such setting; the domain that owns it validates and audits the change. */
export async function putStored(db: DbOrTrx, key: string, value: string, at: string): Promise<void> {
  await repo.put(db, key, value, at);
}
