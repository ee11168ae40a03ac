import type { Kysely } from 'kysely';

// Participants, their referral episodes and versioned vocational profiles.
// Portable schema builder only; flags are 0/1 integers, dates ISO text.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('participants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('given_name', 'text', (c) => c.notNull())
    .addColumn('family_name', 'text', (c) => c.notNull())
    .addColumn('preferred_name', 'text')
    .addColumn('pronouns', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('nhs_number', 'text')
    .addColumn('phone', 'text')
    .addColumn('email', 'text')
    .addColumn('address', 'text')
    .addColumn('preferred_contact_method', 'text')
    // JSON array of needs: easy_read, interpreter, large_print, british_sign_language, other
    .addColumn('communication_needs', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('communication_notes', 'text')
    .addColumn('programme', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('practitioner_id', 'text', (c) => c.references('users.id'))
    .addColumn('team_id', 'text', (c) => c.references('teams.id'))
    // A possible duplicate someone chose to link rather than merge.
    .addColumn('linked_participant_id', 'text', (c) => c.references('participants.id'))
    // Lower-case, accent-free "given family preferred" for partial name search.
    .addColumn('search_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  for (const column of ['search_name', 'nhs_number', 'practitioner_id', 'team_id', 'status', 'family_name']) {
    await db.schema.createIndex(`participants_${column}_idx`).on('participants').column(column).execute();
  }

  await db.schema
    .createTable('participant_status_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by_user_id', 'text')
    .execute();
  await db.schema
    .createIndex('participant_status_changes_participant_idx')
    .on('participant_status_changes')
    .columns(['participant_id', 'changed_at'])
    .execute();

  await db.schema
    .createTable('referrals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('referrer_name', 'text')
    .addColumn('referrer_organisation', 'text')
    .addColumn('referrer_contact', 'text')
    .addColumn('clinical_team_id', 'text', (c) => c.references('teams.id'))
    .addColumn('care_coordinator', 'text')
    .addColumn('received_date', 'text', (c) => c.notNull())
    // The day the specialist accepted the person onto the caseload (the IPS "referral date").
    .addColumn('accepted_date', 'text')
    .addColumn('first_contact_date', 'text')
    .addColumn('what_they_want', 'text')
    .addColumn('notes', 'text')
    .addColumn('in_work_at_referral', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_date', 'text')
    .addColumn('close_reason', 'text')
    .addColumn('close_note', 'text')
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('referrals_participant_idx').on('referrals').columns(['participant_id', 'received_date']).execute();
  await db.schema.createIndex('referrals_clinical_team_idx').on('referrals').column('clinical_team_id').execute();

  await db.schema
    .createTable('referral_contact_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('referral_id', 'text', (c) => c.notNull().references('referrals.id'))
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('referral_contact_attempts_referral_idx')
    .on('referral_contact_attempts')
    .column('referral_id')
    .execute();

  // Every save of a vocational profile is a new row; the highest version is the current one.
  await db.schema
    .createTable('profile_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'text')
    .addUniqueConstraint('profile_versions_participant_version_unique', ['participant_id', 'version'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'profile_versions',
    'referral_contact_attempts',
    'referrals',
    'participant_status_changes',
    'participants',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
