import type { Kysely } from 'kysely';

// Supported internships: cohorts at a host organisation (sites, tutor, job coaches, interns),
// department capacity for interns, rotations and each intern's department per rotation, skills
// progress per rotation (tasks learnt, a service-defined employability checklist, a review),
// daily attendance, and graduation with the job and the hand-over to follow-on support.
// Portable schema builder only.

export async function up(db: Kysely<unknown>): Promise<void> {
  // How many interns a department can take at once, and who to talk to there.
  await db.schema.alterTable('employer_departments').addColumn('intern_capacity', 'integer').execute();
  await db.schema.alterTable('employer_departments').addColumn('intern_contact', 'text').execute();

  await db.schema
    .createTable('cohorts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // "2026/27": the academic year the programme runs in.
    .addColumn('programme_year', 'text', (c) => c.notNull())
    .addColumn('host_employer_id', 'text', (c) => c.notNull().references('employers.id'))
    // The interns' team: its practitioners and managers see the cohort and its interns.
    .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id'))
    .addColumn('tutor_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('education_provider', 'text')
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('cohorts_team_idx').on('cohorts').columns(['team_id', 'start_date']).execute();

  await db.schema
    .createTable('cohort_sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id'))
    .addColumn('employer_site_id', 'text', (c) => c.notNull().references('employer_sites.id'))
    .addUniqueConstraint('cohort_sites_unique', ['cohort_id', 'employer_site_id'])
    .execute();

  await db.schema
    .createTable('cohort_coaches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addUniqueConstraint('cohort_coaches_unique', ['cohort_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('cohort_interns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id'))
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    // 1 when the intern holds an education, health and care plan (the plan is not stored).
    .addColumn('ehc_plan', 'integer', (c) => c.notNull().defaultTo(0))
    // `active`, `withdrawn` or `graduated`.
    .addColumn('status', 'text', (c) => c.notNull())
    // At graduation: `employed_host`, `employed_supplier`, `employed_elsewhere`,
    // `further_education`, `seeking`, `other`.
    .addColumn('outcome', 'text')
    .addColumn('outcome_date', 'text')
    .addColumn('outcome_note', 'text')
    // The job, when employed: what the programme outcome is derived from.
    .addColumn('job_employer_id', 'text', (c) => c.references('employers.id'))
    .addColumn('job_title', 'text')
    .addColumn('job_employer_department_id', 'text', (c) => c.references('employer_departments.id'))
    .addColumn('job_employer_site_id', 'text', (c) => c.references('employer_sites.id'))
    .addColumn('job_start_date', 'text')
    .addColumn('job_hours_per_week', 'real')
    .addColumn('job_hourly_pay_pence', 'integer')
    .addColumn('job_seasonal', 'integer')
    .addColumn('job_integrated', 'integer')
    .addColumn('job_contract_type', 'text')
    .addColumn('job_line_manager', 'text')
    // The hand-over to follow-on support.
    .addColumn('handed_over_at', 'text')
    .addColumn('follow_on_practitioner_id', 'text', (c) => c.references('users.id'))
    .addColumn('follow_on_placement_id', 'text', (c) => c.references('placements.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('cohort_interns_unique', ['cohort_id', 'participant_id'])
    .execute();
  await db.schema.createIndex('cohort_interns_participant_idx').on('cohort_interns').column('participant_id').execute();

  await db.schema
    .createTable('rotations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_id', 'text', (c) => c.notNull().references('cohorts.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('rotations_unique', ['cohort_id', 'number'])
    .execute();

  await db.schema
    .createTable('rotation_placements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('rotations.id'))
    .addColumn('cohort_intern_id', 'text', (c) => c.notNull().references('cohort_interns.id'))
    .addColumn('employer_department_id', 'text', (c) => c.notNull().references('employer_departments.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rotation_placements_unique', ['rotation_id', 'cohort_intern_id'])
    .execute();

  await db.schema
    .createTable('rotation_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('rotations.id'))
    .addColumn('cohort_intern_id', 'text', (c) => c.notNull().references('cohort_interns.id'))
    .addColumn('review_date', 'text', (c) => c.notNull())
    .addColumn('went_well', 'text')
    .addColumn('to_work_on', 'text')
    // What the intern said, in their words.
    .addColumn('intern_words', 'text')
    .addColumn('written_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('rotation_reviews_unique', ['rotation_id', 'cohort_intern_id'])
    .execute();

  await db.schema
    .createTable('rotation_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('rotations.id'))
    .addColumn('cohort_intern_id', 'text', (c) => c.notNull().references('cohort_interns.id'))
    .addColumn('task_analysis_id', 'text', (c) => c.notNull().references('task_analyses.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('rotation_tasks_unique', ['rotation_id', 'cohort_intern_id', 'task_analysis_id'])
    .execute();

  // The service's own employability checklist; items are retired, never deleted.
  await db.schema
    .createTable('employability_items')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('retired', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('employability_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('rotation_id', 'text', (c) => c.notNull().references('rotations.id'))
    .addColumn('cohort_intern_id', 'text', (c) => c.notNull().references('cohort_interns.id'))
    .addColumn('item_id', 'text', (c) => c.notNull().references('employability_items.id'))
    .addColumn('achieved', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by_user_id', 'text', (c) => c.references('users.id'))
    .addUniqueConstraint('employability_checks_unique', ['rotation_id', 'cohort_intern_id', 'item_id'])
    .execute();

  await db.schema
    .createTable('intern_attendance')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('cohort_intern_id', 'text', (c) => c.notNull().references('cohort_interns.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('present', 'integer', (c) => c.notNull())
    // When absent: `ill`, `appointment`, `holiday`, `transport`, `unauthorised`, `other`.
    .addColumn('absence_reason', 'text')
    .addColumn('note', 'text')
    .addColumn('recorded_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('intern_attendance_unique', ['cohort_intern_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'intern_attendance',
    'employability_checks',
    'employability_items',
    'rotation_tasks',
    'rotation_reviews',
    'rotation_placements',
    'rotations',
    'cohort_interns',
    'cohort_coaches',
    'cohort_sites',
    'cohorts',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('employer_departments').dropColumn('intern_contact').execute();
  await db.schema.alterTable('employer_departments').dropColumn('intern_capacity').execute();
}
