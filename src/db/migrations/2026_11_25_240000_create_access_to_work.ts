import type { Kysely } from 'kysely';

// Access to Work: applications, awards (renewals link to the award they renew), the contacts
// charged to an award, claims per period with their day lines copied at submission (so a
// submitted claim never changes), a coach's contracted hours and the hours a support plan
// commits them to (for the capacity forecast). Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('atw_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // `participant`, `coach` (on the person's behalf), `employer` or `other`.
    .addColumn('applied_by', 'text', (c) => c.notNull())
    .addColumn('applicant_name', 'text')
    .addColumn('sent_date', 'text')
    .addColumn('reference', 'text')
    // `preparing`, `sent`, `awarded`, `refused`, `withdrawn`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decision_date', 'text')
    .addColumn('support_kind', 'text', (c) => c.notNull())
    // What was asked for, so a pending application can be counted in the capacity forecast.
    .addColumn('hours_per_week', 'real')
    .addColumn('expected_start_date', 'text')
    .addColumn('renews_award_id', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('atw_applications_participant_idx').on('atw_applications').column('participant_id').execute();

  await db.schema
    .createTable('atw_awards')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('application_id', 'text', (c) => c.references('atw_applications.id'))
    .addColumn('placement_id', 'text', (c) => c.references('placements.id'))
    // The coach who delivers the support (the person's practitioner unless said otherwise).
    .addColumn('coach_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reference', 'text')
    // `job_coach`, `support_worker`, `travel`, `equipment`, `other`.
    .addColumn('support_kind', 'text', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    // Exactly one of the two for hourly support: hours a week, or hours over the whole award.
    .addColumn('hours_per_week', 'real')
    .addColumn('hours_total', 'real')
    .addColumn('hourly_rate_pence', 'integer')
    .addColumn('total_amount_pence', 'integer')
    .addColumn('employer_contribution_pence', 'integer')
    .addColumn('notes', 'text')
    .addColumn('renews_award_id', 'text', (c) => c.references('atw_awards.id'))
    // Set when the coach records that this award will not be renewed, which stops the alert.
    .addColumn('not_renewing_reason', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('atw_awards_participant_idx').on('atw_awards').columns(['participant_id', 'end_date']).execute();
  await db.schema.createIndex('atw_awards_coach_idx').on('atw_awards').columns(['coach_user_id', 'end_date']).execute();
  await db.schema.createIndex('atw_awards_renews_idx').on('atw_awards').column('renews_award_id').execute();

  await db.schema
    .createTable('atw_claims')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('award_id', 'text', (c) => c.notNull().references('atw_awards.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('period_start', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    // `draft` (worked out from the contacts when read), `submitted`, `paid`.
    .addColumn('status', 'text', (c) => c.notNull())
    // Copied at submission; never changed afterwards.
    .addColumn('hourly_rate_pence', 'integer')
    .addColumn('total_minutes', 'integer')
    .addColumn('total_pence', 'integer')
    .addColumn('submitted_at', 'text')
    .addColumn('submitted_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('paid_date', 'text')
    .addColumn('paid_pence', 'integer')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('atw_claims_award_idx').on('atw_claims').columns(['award_id', 'period_start']).execute();
  await db.schema.createIndex('atw_claims_status_idx').on('atw_claims').columns(['status', 'period_end']).execute();

  await db.schema
    .createTable('atw_claim_lines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('claim_id', 'text', (c) => c.notNull().references('atw_claims.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('amount_pence', 'integer', (c) => c.notNull())
    .addColumn('contacts', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('atw_claim_lines_claim_idx').on('atw_claim_lines').columns(['claim_id', 'day']).execute();

  // No foreign keys on added columns: SQLite can drop an added column only when no constraint
  // names it; the services check both.
  await db.schema.alterTable('contacts').addColumn('atw_award_id', 'text').execute();
  await db.schema.alterTable('contacts').addColumn('atw_claim_id', 'text').execute();
  await db.schema.createIndex('contacts_atw_award_idx').on('contacts').columns(['atw_award_id', 'started_at']).execute();
  await db.schema.alterTable('users').addColumn('contracted_hours_per_week', 'real').execute();
  await db.schema.alterTable('support_plans').addColumn('hours_per_week', 'real').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('support_plans').dropColumn('hours_per_week').execute();
  await db.schema.alterTable('users').dropColumn('contracted_hours_per_week').execute();
  await db.schema.dropIndex('contacts_atw_award_idx').execute();
  await db.schema.alterTable('contacts').dropColumn('atw_claim_id').execute();
  await db.schema.alterTable('contacts').dropColumn('atw_award_id').execute();
  for (const table of ['atw_claim_lines', 'atw_claims', 'atw_awards', 'atw_applications']) {
    await db.schema.dropTable(table).execute();
  }
}
