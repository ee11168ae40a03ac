import type { Kysely } from 'kysely';

// Issue 12, point 5. Break-glass: a manager grants a named member of staff time-limited read
// access to one person outside their normal reach, with a reason. The grant is read while it is
// in force (`starts_at` <= now < `expires_at`, not revoked) and listed to the managers of the
// person's team until one of them marks it reviewed. It belongs to the person: erasing them
// removes it (the audit trail keeps the ids).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('break_glass_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id').onDelete('cascade'))
    .addColumn('granted_to_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('granted_by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    // ISO instants from the application's clock.
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('reviewed_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Every read of a record looks for the grants in force on it.
  await db.schema
    .createIndex('break_glass_grants_participant_idx')
    .on('break_glass_grants')
    .columns(['participant_id', 'expires_at'])
    .execute();
  await db.schema
    .createIndex('break_glass_grants_granted_by_idx')
    .on('break_glass_grants')
    .column('granted_by_user_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('break_glass_grants').execute();
}
