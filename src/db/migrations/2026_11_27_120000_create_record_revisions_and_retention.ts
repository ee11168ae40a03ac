import type { Kysely } from 'kysely';

// Issue 12, point 6. Rectification keeps the earlier value: a correction of a person's details
// writes one row per field changed, holding the value it replaced, who changed it and when.
// Retention: a reviewer's "keep for now" decision on a record past its retention period, with the
// reason and when to look again. Both belong to the person, so erasing the person removes them.
// The retention periods themselves are service settings (the settings table).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('record_revisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    // What was changed: `participant` today; the entity's own id (the participant's for them).
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    // The stored column name, e.g. `family_name`.
    .addColumn('field', 'text', (c) => c.notNull())
    // JSON of the value before the change (null when it was empty).
    .addColumn('earlier_value', 'text')
    .addColumn('changed_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('record_revisions_participant_idx')
    .on('record_revisions')
    .columns(['participant_id', 'changed_at'])
    .execute();

  await db.schema
    .createTable('retention_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    // Which record class (src/retention/rules.ts) and which row of it.
    .addColumn('record_class', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    // YYYY-MM-DD: the record stays off the review list until this day.
    .addColumn('next_review_on', 'text', (c) => c.notNull())
    .addColumn('reviewed_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('retention_reviews_record_idx')
    .on('retention_reviews')
    .columns(['record_class', 'record_id', 'next_review_on'])
    .execute();
  await db.schema.createIndex('retention_reviews_participant_idx').on('retention_reviews').column('participant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('retention_reviews').execute();
  await db.schema.dropTable('record_revisions').execute();
}
