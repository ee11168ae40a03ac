import type { Kysely } from 'kysely';

// Time-unlimited in-work support: a support plan and its reviews per placement, task analyses
// (ordered steps, reusable within a department) with instruction sessions recording the prompt
// level at each step, workplace issues, absences, and redeployment episodes opened when a job
// ends in redundancy. Contacts can be logged against a placement. Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  // A contact logged against a job counts as in-work support for it. No foreign key: SQLite can
  // drop an added column only when no constraint names it; the contacts service checks the job.
  await db.schema.alterTable('contacts').addColumn('placement_id', 'text').execute();
  await db.schema.createIndex('contacts_placement_idx').on('contacts').columns(['placement_id', 'started_at']).execute();

  await db.schema
    .createTable('support_plans')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('placement_id', 'text', (c) => c.notNull().unique().references('placements.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('coach_support', 'text')
    .addColumn('employer_owns', 'text')
    // How often the coach and the person agreed to be in touch, in days (7 = weekly).
    .addColumn('contact_every_days', 'integer')
    .addColumn('adjustments', 'text')
    .addColumn('next_review_date', 'text')
    .addColumn('fading_plan', 'text')
    // `active`, `reduced` or `ended`: support ends only when the person chooses.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('support_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('placement_id', 'text', (c) => c.notNull().references('placements.id'))
    .addColumn('review_date', 'text', (c) => c.notNull())
    // `continue`, `reduce` or `end`: the person's choice.
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('reviewed_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('support_reviews_placement_idx').on('support_reviews').column('placement_id').execute();

  await db.schema
    .createTable('task_analyses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('employer_id', 'text', (c) => c.references('employers.id'))
    .addColumn('employer_department_id', 'text', (c) => c.references('employer_departments.id'))
    .addColumn('description', 'text')
    // The analysis this one was copied from (a new department or a new manager).
    .addColumn('copied_from_id', 'text', (c) => c.references('task_analyses.id'))
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('task_analyses_department_idx')
    .on('task_analyses')
    .columns(['employer_id', 'employer_department_id'])
    .execute();

  await db.schema
    .createTable('task_steps')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_analysis_id', 'text', (c) => c.notNull().references('task_analyses.id'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // Steps are retired rather than deleted, so past sessions keep their meaning.
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('task_steps_analysis_idx').on('task_steps').columns(['task_analysis_id', 'position']).execute();

  await db.schema
    .createTable('instruction_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('task_analysis_id', 'text', (c) => c.notNull().references('task_analyses.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('placement_id', 'text', (c) => c.references('placements.id'))
    .addColumn('practitioner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('session_date', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('instruction_sessions_person_idx')
    .on('instruction_sessions')
    .columns(['participant_id', 'task_analysis_id', 'session_date'])
    .execute();

  await db.schema
    .createTable('instruction_step_results')
    .addColumn('session_id', 'text', (c) => c.notNull().references('instruction_sessions.id'))
    .addColumn('step_id', 'text', (c) => c.notNull().references('task_steps.id'))
    // `independent`, `verbal`, `gesture`, `model` or `physical`.
    .addColumn('prompt_level', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('instruction_step_results_pk', ['session_id', 'step_id'])
    .execute();

  await db.schema
    .createTable('workplace_issues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('placement_id', 'text', (c) => c.notNull().references('placements.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // `line_manager`, `hr`, `participant` or `coach`.
    .addColumn('raised_by', 'text', (c) => c.notNull())
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    // `employer` (normal line management) or `coach` (skills, adjustments, health).
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('actions', 'text')
    .addColumn('outcome', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('closed_on', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('workplace_issues_placement_idx').on('workplace_issues').column('placement_id').execute();

  await db.schema
    .createTable('absences')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('placement_id', 'text', (c) => c.notNull().references('placements.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // `sick_leave`, `shielding`, `self_isolation` or `other`.
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_date', 'text', (c) => c.notNull())
    .addColumn('to_date', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('absences_placement_idx').on('absences').column('placement_id').execute();

  // Opened when a job ends in redundancy: job search starts at once with what was learnt.
  await db.schema
    .createTable('redeployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('ended_placement_id', 'text', (c) => c.notNull().unique().references('placements.id'))
    .addColumn('opened_on', 'text', (c) => c.notNull())
    // null while open; then `redeployed_host`, `new_employer` or `not_yet` when closed without a job.
    .addColumn('outcome', 'text')
    .addColumn('new_placement_id', 'text', (c) => c.references('placements.id'))
    .addColumn('closed_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('redeployments_participant_idx').on('redeployments').column('participant_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'redeployments',
    'absences',
    'workplace_issues',
    'instruction_step_results',
    'instruction_sessions',
    'task_steps',
    'task_analyses',
    'support_reviews',
    'support_plans',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('contacts_placement_idx').execute();
  await db.schema.alterTable('contacts').dropColumn('placement_id').execute();
}
