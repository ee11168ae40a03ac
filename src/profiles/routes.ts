import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isRecordId } from '../db/records.ts';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { formatDate } from '../http/views.ts';
import { parseInput } from '../http/validate.ts';
import { viewerOf } from '../participants/service.ts';
import { renderProfilePdf } from './pdf.ts';
import {
  DAYS,
  DAY_LABELS,
  DISCLOSURES,
  DISCLOSURE_LABELS,
  FIELD_LABELS,
  HIDDEN_TEXT,
  PROFILE_SECTIONS,
  type ProfileChange,
  type ProfileData,
  type ProfileField,
  type ProfileSection,
  type SectionAccess,
  TIMES,
  TIME_LABELS,
  TRAVEL_MODES,
  TRAVEL_MODE_LABELS,
  displayValue,
  fieldVisible,
  profileFileName,
  sectionByKey,
} from './rules.ts';
import {
  ProfileChangesSchema,
  ProfileFormSchema,
  ProfileJsonSchema,
  ProfileUpdateSchema,
  ProfileVersionListJsonSchema,
  ProfileVersionsQuerySchema,
  formChanges,
} from './schema.ts';
import * as profiles from './service.ts';

const PROFILE = 'profiles/views/profile.njk';
const EDIT = 'profiles/views/edit.njk';
const HISTORY = 'profiles/views/history.njk';

// The form's field for each profile field, where they differ (pay is typed in pounds).
const FORM_NAME: Partial<Record<ProfileField, string>> = { lowest_hourly_pay_pence: 'lowest_hourly_pay' };
const formName = (field: ProfileField) => FORM_NAME[field] ?? field;

const HINTS: Partial<Record<ProfileField, string>> = {
  aspirations: 'In their own words: what they want from work and from life',
  work_history: 'Jobs, volunteering and anything else they have done, with what they liked and did not',
  skills: 'What they can do, including things learned outside work',
  strengths: 'What other people value in them, and what they are proud of',
  interests: 'What they enjoy and care about',
  occupations: 'One a line, like "retail" or "warehouse work"',
  places: 'One a line: towns, areas or particular workplaces',
  never_times: 'Only times they will not work whatever the job: jobs at these times are left out of their matches',
  no_weekends: 'Tick only if they will not take any job with weekend work: such jobs are then left out of their matches',
  max_travel_minutes: 'One way, in minutes',
  home_latitude:
    'Used only to estimate how far away a job is, and never shown to employers. Enter both or neither, like 53.4808 for central Manchester',
  home_longitude: 'Like -2.2426 for central Manchester: places west of Greenwich are negative',
  lowest_hourly_pay_pence: 'In pounds, like 12.71',
  disclosure_notes: 'In their own words, what they are happy for an employer to know. Used on the one-page profile',
  support_needs: 'What helps them at work, including workplace adjustments',
  weekly_structure: 'Routines, appointments, caring duties and when they are at their best',
  family_and_support: 'Who supports them and how',
  health_and_functioning: 'Only what matters for work, agreed with them',
  convictions_job_impact: 'For example jobs that need a DBS check, and what they want to do about it',
  benefits: 'Which benefits they get now, so work can be planned without surprises',
};

function pageId(request: FastifyRequest): string {
  const id = (request.params as Record<string, unknown>).id;
  if (!isRecordId(id)) throw new NotFoundError('Participant not found');
  return id;
}

type FormValues = Record<string, unknown>;

/** A profile as the strings and lists the form shows. */
function formValuesOf(data: ProfileData): FormValues {
  const n = (v: number | null) => (v === null ? '' : String(v));
  return {
    ...Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? v : v === null ? '' : v])),
    occupations: data.occupations.join('\n'),
    places: data.places.join('\n'),
    hours_per_week_min: n(data.hours_per_week_min),
    hours_per_week_max: n(data.hours_per_week_max),
    max_travel_minutes: n(data.max_travel_minutes),
    home_latitude: n(data.home_latitude),
    home_longitude: n(data.home_longitude),
    no_weekends: data.no_weekends ? ['yes'] : [],
    lowest_hourly_pay: data.lowest_hourly_pay_pence === null ? '' : (data.lowest_hourly_pay_pence / 100).toFixed(2),
    weekends_ok: data.weekends_ok === null ? 'unknown' : data.weekends_ok ? 'yes' : 'no',
    disclosure: data.disclosure ?? '',
    health_shared_with_clinical_team: data.health_shared_with_clinical_team ? 'yes' : 'no',
  };
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');
const arr = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);

interface FormField {
  kind: 'textarea' | 'number' | 'checkboxes' | 'radios';
  id: string;
  label: string;
  hint?: string;
  value?: string;
  /** The keyboard a phone shows; decimal has no minus sign, so coordinates ask for text. */
  inputmode?: 'decimal' | 'text';
  prefix?: string;
  suffix?: string;
  items?: { value: string; text: string; checked: boolean }[];
}

/** One field of the form as the template renders it, filled from `values`. */
function formField(field: ProfileField, values: FormValues): FormField {
  const id = formName(field);
  const base = { id, label: FIELD_LABELS[field], hint: HINTS[field] };
  const checks = (options: readonly string[], labels: Record<string, string>) => ({
    ...base,
    kind: 'checkboxes' as const,
    items: options.map((o) => ({ value: o, text: labels[o] ?? o, checked: arr(values[id]).includes(o) })),
  });
  const radios = (options: { value: string; text: string }[]) => ({
    ...base,
    kind: 'radios' as const,
    items: options.map((o) => ({ ...o, checked: str(values[id]) === o.value })),
  });
  switch (field) {
    case 'days':
      return checks(DAYS, DAY_LABELS);
    case 'times':
      return checks(TIMES, TIME_LABELS);
    case 'never_times':
      return checks(TIMES, TIME_LABELS);
    case 'travel_modes':
      return checks(TRAVEL_MODES, TRAVEL_MODE_LABELS);
    case 'no_weekends':
      return { ...checks(['yes'], { yes: FIELD_LABELS.no_weekends }), label: 'Weekends as a hard limit' };
    case 'weekends_ok':
      return radios([
        { value: 'yes', text: 'Happy to work weekends' },
        { value: 'no', text: 'Would rather not work weekends' },
        { value: 'unknown', text: 'Not decided yet' },
      ]);
    case 'disclosure':
      return radios(DISCLOSURES.map((d) => ({ value: d, text: DISCLOSURE_LABELS[d] })));
    case 'health_shared_with_clinical_team':
      return {
        ...radios([
          { value: 'yes', text: 'Yes, they agreed it can be shared' },
          { value: 'no', text: 'No' },
        ]),
        label: 'Can the referring clinical team see this section?',
      };
    case 'hours_per_week_min':
    case 'hours_per_week_max':
      return { ...base, kind: 'number', value: str(values[id]), suffix: 'hours' };
    case 'max_travel_minutes':
      return { ...base, kind: 'number', value: str(values[id]), suffix: 'minutes' };
    case 'home_latitude':
    case 'home_longitude':
      return { ...base, kind: 'number', value: str(values[id]), inputmode: 'text' };
    case 'lowest_hourly_pay_pence':
      return { ...base, kind: 'number', value: str(values[id]), prefix: '£' };
    default:
      return { ...base, kind: 'textarea', value: str(values[id]) };
  }
}

/** The sections a form shows: one when `sectionKey` names it, otherwise all of them. */
function formSections(sectionKey: string | undefined, access: SectionAccess, values: FormValues) {
  const chosen = sectionKey ? PROFILE_SECTIONS.filter((s) => s.key === sectionKey) : PROFILE_SECTIONS;
  return chosen.map((s) => ({
    key: s.key,
    title: s.title,
    sensitive: Boolean(s.sensitive),
    hidden: s.sensitive ? !access[s.sensitive] : false,
    fields: s.sensitive && !access[s.sensitive] ? [] : s.fields.map((f) => formField(f, values)),
  }));
}

/** The fields a posted form may change: those of its section (or all), minus hidden sections. */
function editableFields(section: ProfileSection | undefined, access: SectionAccess): ProfileField[] {
  const fields = section ? section.fields : PROFILE_SECTIONS.flatMap((s) => s.fields);
  return fields.filter((f) => fieldVisible(f, access));
}

function sectionOf(key: unknown): ProfileSection | undefined {
  return typeof key === 'string' && key !== '' ? sectionByKey(key) : undefined;
}

/** A change as the conflict box and history page show it. */
function changeRow(c: ProfileChange) {
  return {
    label: c.label,
    hidden: c.hidden,
    before: c.hidden ? null : (displayValue(c.field, c.before) ?? 'Not recorded'),
    after: c.hidden ? null : (displayValue(c.field, c.after) ?? 'Not recorded'),
  };
}

/** Profile pages, the one-page PDF and the `participants/{id}/profile` API. */
export async function profileRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const viewer = (request: FastifyRequest) => viewerOf(request.actor!);

  /** Everything the edit page needs, with the form filled from `values` (or the saved profile). */
  const editContext = async (request: FastifyRequest, values?: FormValues, page = 'edit') => {
    const id = pageId(request);
    const view = await profiles.viewProfile(db, deps, auditContext(request), viewer(request), id, page);
    if (!view.canEdit) throw new ForbiddenError('You can read this profile but not change it');
    const posted = request.body as Record<string, unknown> | undefined;
    const sectionKey = sectionOf((request.query as Record<string, unknown>).section ?? posted?.section)?.key;
    const filled = values ?? formValuesOf(view.current.data);
    return {
      title: sectionKey ? `Change ${sectionByKey(sectionKey)!.title.toLowerCase()}` : 'Change vocational profile',
      caption: profiles.displayName(view.participant),
      backHref: `/participants/${id}/profile`,
      participantId: id,
      sectionKey: sectionKey ?? '',
      sections: formSections(sectionKey, view.access, filled),
      hiddenText: HIDDEN_TEXT,
      version: values && typeof values.version === 'string' ? values.version : String(view.current.version),
      view,
    };
  };

  // ---- Pages ---------------------------------------------------------------------------------

  app.get('/participants/:id/profile', async (request, reply) => {
    const id = pageId(request);
    const view = await profiles.viewProfile(db, deps, auditContext(request), viewer(request), id);
    const sections = PROFILE_SECTIONS.map((s) => ({
      key: s.key,
      title: s.title,
      hidden: s.sensitive ? !view.access[s.sensitive] : false,
      changeHref:
        view.canEdit && (!s.sensitive || view.access[s.sensitive]) ? `/participants/${id}/profile/edit?section=${s.key}` : null,
      // Only the redacted data reaches the page: a hidden section has no values to leak.
      rows: s.fields.map((f) => ({ label: FIELD_LABELS[f], value: displayValue(f, view.visible[f]) })),
    }));
    const saved = (request.query as Record<string, unknown>).saved === '1';
    return reply.render(PROFILE, {
      title: 'Vocational profile',
      caption: profiles.displayName(view.participant),
      backHref: `/participants/${id}`,
      participantId: id,
      view: {
        canEdit: view.canEdit,
        current: { version: view.current.version, savedByName: view.current.savedByName, createdAt: view.current.createdAt },
      },
      sections,
      hiddenText: HIDDEN_TEXT,
      flash: saved ? 'Profile saved' : undefined,
    });
  });

  app.get('/participants/:id/profile/edit', async (request, reply) => reply.render(EDIT, await editContext(request)));

  app.post(
    '/participants/:id/profile',
    { config: { form: { template: EDIT, context: (r) => editContext(r, r.body as FormValues, 'edit-error') } } },
    async (request, reply) => {
      const id = pageId(request);
      const input = parseInput(ProfileFormSchema, request.body);
      const v = viewer(request);
      const section = sectionOf(input.section);
      try {
        await db.transaction().execute(async (trx) => {
          // What the viewer may change is decided against the profile as it is now.
          const access = await profiles.accessFor(trx, v, id);
          const all = formChanges(input);
          const picked = Object.fromEntries(editableFields(section, access).map((f) => [f, all[f]]));
          let changes: Partial<ProfileData>;
          try {
            changes = parseInput(ProfileChangesSchema, picked);
          } catch (err) {
            if (err instanceof ValidationError) {
              throw new ValidationError(
                Object.fromEntries(Object.entries(err.fields).map(([k, m]) => [formName(k as ProfileField), m])),
              );
            }
            throw err;
          }
          await profiles.saveProfile(trx, deps, auditContext(request), v, id, input.version, changes);
        });
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Keep everything they typed, show what the other person changed since the version they
        // started from, and carry the current version so a second save is deliberate.
        const changes = await profiles.changesSince(db, v, id, input.version);
        const context = await editContext(request, request.body as FormValues, 'edit-conflict');
        return reply.status(409).render(EDIT, {
          ...context,
          version: String(context.view.current.version),
          conflict: {
            savedBy: context.view.current.savedByName ?? 'Someone else',
            savedAt: context.view.current.createdAt,
            changes: changes.map(changeRow),
          },
          errors: { conflict: err.message },
        });
      }
      return reply.redirect(`/participants/${id}/profile?saved=1${section ? `#${section.key}` : ''}`);
    },
  );

  app.get('/participants/:id/profile/history', async (request, reply) => {
    const id = pageId(request);
    const { participant, items } = await profiles.history(db, deps, auditContext(request), viewer(request), id);
    return reply.render(HISTORY, {
      title: 'Profile history',
      caption: profiles.displayName(participant),
      backHref: `/participants/${id}/profile`,
      participantId: id,
      hiddenText: HIDDEN_TEXT,
      versions: items.map((e) => ({ ...e, changes: e.changes.map(changeRow) })),
    });
  });

  app.get('/participants/:id/profile.pdf', async (request, reply) => {
    const id = pageId(request);
    const { profile } = await profiles.employerProfileFor(db, deps, auditContext(request), viewer(request), id);
    const now = deps.clock.now();
    const pdf = await renderProfilePdf(profile, formatDate(now.toISOString()));
    const fileName = profileFileName(profile.name, now.toISOString().slice(0, 10));
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${fileName}"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });

  // ---- JSON API ------------------------------------------------------------------------------

  const readDoc = {
    summary:
      'The current vocational profile. `id` is the participant’s id; `version` is 0 before the first save. Health, convictions and benefits are absent unless you may see them. The read is audited',
    tag: 'profiles',
    response: ProfileJsonSchema,
  };
  app.get('/api/v1/participants/:id/profile', { config: { api: readDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    return profiles.profileJson(await profiles.viewProfile(db, deps, auditContext(request), viewer(request), id, 'api'));
  });

  const updateDoc = {
    summary:
      'Save a new version of the profile: send the `version` you read (0 for the first save) and only the fields to change; the rest are kept. A stale version is a 409',
    tag: 'profiles',
    body: ProfileUpdateSchema,
    response: ProfileJsonSchema,
  };
  app.patch('/api/v1/participants/:id/profile', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const { version, ...changes } = parseInput(ProfileUpdateSchema, request.body);
    const ctx = auditContext(request);
    return db.transaction().execute(async (trx) => {
      await profiles.saveProfile(trx, deps, ctx, viewer(request), id, version, changes);
      return profiles.profileJson(await profiles.viewProfile(trx, deps, ctx, viewer(request), id, 'api'));
    });
  });

  const versionsDoc = {
    summary:
      'Every saved version, newest first, with who saved it and what changed (hidden sensitive values say only that they changed)',
    tag: 'profiles',
    query: ProfileVersionsQuerySchema,
    response: ProfileVersionListJsonSchema,
  };
  app.get('/api/v1/participants/:id/profile/versions', { config: { api: versionsDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(ProfileVersionsQuerySchema, request.query);
    const cursor = decodeCursor(query.cursor);
    const before = cursor === undefined ? undefined : Number(cursor);
    if (before !== undefined && !(Number.isInteger(before) && before > 0))
      throw new ValidationError({ cursor: 'Cursor is not valid' });
    const page = await profiles.history(db, deps, auditContext(request), viewer(request), id, {
      limit: query.limit,
      ...(before !== undefined ? { beforeVersion: before } : {}),
    });
    return listBody(
      page.items.map(profiles.historyEntryJson),
      page.nextBeforeVersion === null ? null : String(page.nextBeforeVersion),
    );
  });
}
