import type { Kysely } from 'kysely';

// Job development: employers (a CRM of organisations, their sites, departments and people),
// employer contacts, vacancies (typed in or imported from CSV), matches between a person and a
// vacancy with their stage history, and placements (jobs held), which a match at "started"
// creates. Portable schema builder only; flags are 0/1 integers, dates ISO text.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('employers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    // Duplicate organisations are caught by this key (case, spacing and "Ltd"-style endings folded).
    .addColumn('name_key', 'text', (c) => c.notNull().unique())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('sector', 'text')
    .addColumn('size', 'text')
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('website', 'text')
    .addColumn('relationship_stage', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('employer_sites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('postcode', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('employer_sites_employer_idx').on('employer_sites').column('employer_id').execute();

  await db.schema
    .createTable('employer_departments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('employer_site_id', 'text', (c) => c.references('employer_sites.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('employer_departments_employer_idx').on('employer_departments').column('employer_id').execute();

  await db.schema
    .createTable('employer_people')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('job_title', 'text')
    .addColumn('email', 'text')
    .addColumn('phone', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('employer_people_employer_idx').on('employer_people').column('employer_id').execute();

  // One piece of job development. `participant_id` names the person it was on behalf of, if any:
  // then it shows on their timeline too. `face_to_face` is derived from the mode when saved.
  await db.schema
    .createTable('employer_contacts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('practitioner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('participant_id', 'text', (c) => c.references('participants.id'))
    .addColumn('employer_person_id', 'text', (c) => c.references('employer_people.id'))
    .addColumn('contacted_at', 'text', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('face_to_face', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('next_step', 'text')
    .addColumn('next_step_due', 'text')
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by_user_id', 'text')
    .addColumn('delete_reason', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('employer_contacts_employer_idx')
    .on('employer_contacts')
    .columns(['employer_id', 'contacted_at'])
    .execute();
  await db.schema
    .createIndex('employer_contacts_practitioner_idx')
    .on('employer_contacts')
    .columns(['practitioner_id', 'contacted_at'])
    .execute();
  await db.schema
    .createIndex('employer_contacts_participant_idx')
    .on('employer_contacts')
    .columns(['participant_id', 'contacted_at'])
    .execute();

  await db.schema
    .createTable('vacancies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('occupation', 'text')
    .addColumn('employer_department_id', 'text', (c) => c.references('employer_departments.id'))
    .addColumn('employer_site_id', 'text', (c) => c.references('employer_sites.id'))
    .addColumn('hours_per_week', 'double precision')
    // Days worked, as a comma-separated list of mon..sun; the shift pattern likewise of
    // mornings, afternoons, evenings, nights. Empty text when not stated.
    .addColumn('days', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('times', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('weekends', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('hourly_pay_pence', 'integer')
    .addColumn('place', 'text')
    .addColumn('latitude', 'double precision')
    .addColumn('longitude', 'double precision')
    .addColumn('start_date', 'text')
    .addColumn('closing_date', 'text')
    .addColumn('found_via', 'text', (c) => c.notNull())
    .addColumn('check_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    // What a CSV import matches on, so importing the same file twice adds nothing.
    .addColumn('import_key', 'text', (c) => c.unique())
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('vacancies_status_idx').on('vacancies').columns(['status', 'closing_date']).execute();
  await db.schema.createIndex('vacancies_employer_idx').on('vacancies').column('employer_id').execute();

  // A CSV import: the report is kept so the progress page (and a reload of it) can show it.
  await db.schema
    .createTable('vacancy_imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('file_name', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('total_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed_rows', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('added', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('already_there', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('errors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  await db.schema
    .createTable('matches')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('vacancy_id', 'text', (c) => c.notNull().references('vacancies.id'))
    // Whose board the match is on: the person's practitioner when the match was made.
    .addColumn('practitioner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('stage_changed_at', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('created_by_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('matches_participant_vacancy_unique', ['participant_id', 'vacancy_id'])
    .execute();
  await db.schema.createIndex('matches_practitioner_idx').on('matches').columns(['practitioner_id', 'stage']).execute();
  await db.schema.createIndex('matches_vacancy_idx').on('matches').column('vacancy_id').execute();

  await db.schema
    .createTable('match_stage_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('match_id', 'text', (c) => c.notNull().references('matches.id'))
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by_user_id', 'text')
    .execute();
  await db.schema.createIndex('match_stage_changes_match_idx').on('match_stage_changes').column('match_id').execute();

  // A job held. Created by a match reaching "started" or directly; the in-work support issue
  // builds its workflow on this table.
  await db.schema
    .createTable('placements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
    .addColumn('employer_id', 'text', (c) => c.notNull().references('employers.id'))
    .addColumn('vacancy_id', 'text', (c) => c.references('vacancies.id'))
    .addColumn('match_id', 'text', (c) => c.references('matches.id'))
    .addColumn('practitioner_id', 'text', (c) => c.references('users.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('employer_department_id', 'text', (c) => c.references('employer_departments.id'))
    .addColumn('employer_site_id', 'text', (c) => c.references('employer_sites.id'))
    .addColumn('start_date', 'text', (c) => c.notNull())
    .addColumn('end_date', 'text')
    .addColumn('end_reason', 'text')
    .addColumn('hours_per_week', 'double precision')
    .addColumn('hourly_pay_pence', 'integer')
    .addColumn('contract_type', 'text')
    .addColumn('line_manager', 'text')
    .addColumn('open_to_anyone', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('set_aside_for_disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('placements_participant_idx').on('placements').columns(['participant_id', 'start_date']).execute();
  await db.schema.createIndex('placements_employer_idx').on('placements').column('employer_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'placements',
    'match_stage_changes',
    'matches',
    'vacancy_imports',
    'vacancies',
    'employer_contacts',
    'employer_people',
    'employer_departments',
    'employer_sites',
    'employers',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
