import type { Kysely } from 'kysely';

// Issue 12, point 6: requests to erase a person's record (UK GDPR article 17). A request is
// recorded with the day it arrived and the day it must be answered by; a manager refuses it with a
// reason or carries it out. `participant_id` has no foreign key on purpose: once the person is
// erased the request stays as the tombstone, holding ids and dates only, never a name or a note.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('erasure_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    // YYYY-MM-DD: the day the request arrived, and one calendar month after it.
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    // `the person` | `their representative`.
    .addColumn('requested_by', 'text', (c) => c.notNull())
    // `open` | `refused` | `carried_out`.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('refusal_reason', 'text')
    .addColumn('decided_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('decided_at', 'text')
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('erasure_requests_team_idx').on('erasure_requests').columns(['team_id', 'due_on']).execute();
  await db.schema.createIndex('erasure_requests_participant_idx').on('erasure_requests').column('participant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('erasure_requests').execute();
}
