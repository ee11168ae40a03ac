import type { Kysely } from 'kysely';

// The practitioner's day: contacts (work done), appointments (work planned), private calendar
// feeds and the once-a-day email digest. Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('practitioner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('with_whom', 'text')
    .addColumn('notes', 'text')
    .addColumn('shared_with_clinical_team', 'integer', (c) => c.notNull().defaultTo(0))
    // Derived from started_at when saved (Europe/London, bank holidays), kept for fast counts.
    .addColumn('out_of_hours', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by_user_id', 'text')
    .addColumn('delete_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('contacts_participant_idx').on('contacts').columns(['participant_id', 'started_at']).execute();
  await db.schema.createIndex('contacts_practitioner_idx').on('contacts').columns(['practitioner_id', 'started_at']).execute();

  // The earlier text of a contact each time it is edited: who changed it and when.
  await db.schema
    .createTable('contact_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('previous', 'text', (c) => c.notNull())
    .addColumn('revised_at', 'text', (c) => c.notNull())
    .addColumn('revised_by_user_id', 'text')
    .execute();
  await db.schema.createIndex('contact_revisions_contact_idx').on('contact_revisions').column('contact_id').execute();

  await db.schema
    .createTable('appointments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('practitioner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('place_kind', 'text', (c) => c.notNull())
    .addColumn('site_id', 'text', (c) => c.references('sites.id'))
    .addColumn('department', 'text')
    .addColumn('place_detail', 'text')
    .addColumn('with_whom', 'text')
    .addColumn('purpose', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('appointments_practitioner_idx')
    .on('appointments')
    .columns(['practitioner_id', 'starts_at'])
    .execute();
  await db.schema
    .createIndex('appointments_participant_idx')
    .on('appointments')
    .columns(['participant_id', 'starts_at'])
    .execute();

  await db.schema
    .createTable('calendar_feeds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  // One row per practitioner per day sent: the primary key makes a second send impossible.
  await db.schema
    .createTable('digest_sends')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('digest_sends_pk', ['user_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['digest_sends', 'calendar_feeds', 'appointments', 'contact_revisions', 'contacts']) {
    await db.schema.dropTable(table).execute();
  }
}
