import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import * as settings from './service.ts';

/** A whole number typed in a form, between `min` and `max`, with messages naming the setting. */
function wholeNumber(label: string, min: number, max: number, example: number) {
  const range = `${label} must be between ${min} and ${max}`;
  return z
    .string({ error: `Enter the ${label.toLowerCase()}` })
    .trim()
    .min(1, `Enter the ${label.toLowerCase()}`)
    .regex(/^-?\d+$/, `${label} must be a whole number, like ${example}`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, range);
}

/** The service settings form. */
const SettingsUpdateSchema = z.strictObject({
  require_second_factor: z.enum(['yes', 'no'], { error: 'Select yes if everyone must use a second factor' }),
  caseload_limit: wholeNumber('Caseload limit', 1, 200, 20),
  first_contact_target_days: wholeNumber('First contact target', 1, 90, 7),
  no_contact_alert_days: wholeNumber('No contact alert', 1, 365, 14),
  job_search_employer_contact_days: wholeNumber('Employer contact in job search', 1, 365, 30),
  support_review_days: wholeNumber('Support review interval', 1, 365, 28),
  employer_face_to_face_target: wholeNumber('Face-to-face employer contact target', 1, 50, 6),
  mastery_sessions: wholeNumber('Sessions to master a task', 1, 10, 3),
  support_review_months: wholeNumber('First support review', 1, 36, 9),
  atw_renewal_weeks: wholeNumber('Renewal alert', 1, 26, 12),
  atw_claim_limit_months: wholeNumber('Claim limit', 1, 24, 9),
  disclosure_threshold: wholeNumber('Disclosure threshold', 2, 20, 5),
  _csrf: z.string().optional(),
});

const TEMPLATE = 'settings/views/settings.njk';

/** Service-wide settings (admin only, see access-rules.ts). */
export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;

  app.get('/admin/settings', async (request, reply) => {
    const current = await settings.getSettings(db);
    const saved = (request.query as Record<string, unknown>).done === 'saved';
    return reply.render(TEMPLATE, {
      title: 'Settings',
      flash: saved ? 'Settings saved' : undefined,
      values: {
        require_second_factor: current.requireSecondFactor ? 'yes' : 'no',
        caseload_limit: String(current.caseloadLimit),
        first_contact_target_days: String(current.firstContactTargetDays),
        no_contact_alert_days: String(current.noContactAlertDays),
        job_search_employer_contact_days: String(current.jobSearchEmployerContactDays),
        support_review_days: String(current.supportReviewDays),
        employer_face_to_face_target: String(current.employerFaceToFaceTarget),
        mastery_sessions: String(current.masterySessions),
        support_review_months: String(current.supportReviewMonths),
        atw_renewal_weeks: String(current.atwRenewalWeeks),
        atw_claim_limit_months: String(current.atwClaimLimitMonths),
        disclosure_threshold: String(current.disclosureThreshold),
      },
    });
  });

  app.post(
    '/admin/settings',
    { config: { form: { template: TEMPLATE, context: () => ({ title: 'Settings' }) } } },
    async (request, reply) => {
      const input = parseInput(SettingsUpdateSchema, request.body);
      await db.transaction().execute((trx) =>
        settings.updateSettings(trx, deps, auditContext(request), {
          requireSecondFactor: input.require_second_factor === 'yes',
          caseloadLimit: input.caseload_limit,
          firstContactTargetDays: input.first_contact_target_days,
          noContactAlertDays: input.no_contact_alert_days,
          jobSearchEmployerContactDays: input.job_search_employer_contact_days,
          supportReviewDays: input.support_review_days,
          employerFaceToFaceTarget: input.employer_face_to_face_target,
          masterySessions: input.mastery_sessions,
          supportReviewMonths: input.support_review_months,
          atwRenewalWeeks: input.atw_renewal_weeks,
          atwClaimLimitMonths: input.atw_claim_limit_months,
          disclosureThreshold: input.disclosure_threshold,
        }),
      );
      return reply.redirect('/admin/settings?done=saved');
    },
  );
}
