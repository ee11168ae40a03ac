import type { Kysely } from 'kysely';

// IPS-25 fidelity reviews: one review of a team over a period, its 25 item scores (the
// reviewer's score and evidence kept apart from the score proposed from the service's own
// records), and the action plan it produced. Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fidelity_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('review_date', 'text', (c) => c.notNull())
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('reviewers', 'text')
    .addColumn('notes', 'text')
    // When the proposals were last worked out from the records.
    .addColumn('proposed_at', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('fidelity_reviews_team_idx').on('fidelity_reviews').columns(['team_id', 'review_date']).execute();

  await db.schema
    .createTable('fidelity_review_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull().references('fidelity_reviews.id'))
    // 1 to 25, the IPS-25 item number.
    .addColumn('item', 'integer', (c) => c.notNull())
    // The reviewer's score, 1 to 5; null until scored. Never written from data.
    .addColumn('score', 'integer')
    .addColumn('evidence', 'text')
    // Worked out from the records for the period (a few items only); the reviewer decides.
    .addColumn('proposed_score', 'integer')
    .addColumn('proposed_evidence', 'text')
    .addUniqueConstraint('fidelity_review_items_review_item_unique', ['review_id', 'item'])
    .execute();

  await db.schema
    .createTable('fidelity_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('review_id', 'text', (c) => c.notNull().references('fidelity_reviews.id'))
    // The item the action answers, or null for one about the service as a whole.
    .addColumn('item', 'integer')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('due_date', 'text')
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('fidelity_actions_review_idx').on('fidelity_actions').column('review_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['fidelity_actions', 'fidelity_review_items', 'fidelity_reviews']) {
    await db.schema.dropTable(table).execute();
  }
}
