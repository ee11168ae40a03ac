import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pagePathId as pathId, typedValues } from '../http/route-helpers.ts';
import { ConflictError, NotFoundError, RuleError } from '../errors.ts';
import { decodeCursor, listBody, recordIdParam } from '../http/api.ts';
import { auditContext } from '../http/audit-context.ts';
import { parseInput } from '../http/validate.ts';
import { PROGRAMMES, PROGRAMME_LABELS, formatNhsNumber } from '../participants/rules.ts';
import * as participants from '../participants/service.ts';
import * as settings from '../settings/service.ts';
import * as teams from '../teams/service.ts';
import {
  ATTEMPT_METHODS,
  ATTEMPT_METHOD_LABELS,
  CLOSE_REASONS,
  CLOSE_REASON_LABELS,
  NO_CONTACT_RULE_TEXT,
  REFERRAL_SOURCES,
  REFERRAL_SOURCE_LABELS,
  REFERRAL_SOURCE_SHORT_LABELS,
  REFERRAL_STATUS_LABELS,
  closeProblem,
  dayText,
  londonDate,
  londonInstant,
  londonTime,
} from './rules.ts';
import {
  CloseFormSchema,
  ContactAttemptCreateSchema,
  ContactAttemptFormSchema,
  FirstContactFormSchema,
  IntakeFormSchema,
  type IntakeFormInput,
  ReferralCreateSchema,
  ReferralFormSchema,
  type ReferralFormInput,
  ReferralJsonSchema,
  ReferralListJsonSchema,
  ReferralListQuerySchema,
  ReferralUpdateSchema,
} from './schema.ts';
import * as referrals from './service.ts';

const INTAKE = 'referrals/views/new.njk';
const LIST = 'referrals/views/list.njk';
const ADD = 'referrals/views/add.njk';
const CLOSE = 'referrals/views/close.njk';
const CONFIRM_CLOSE = 'referrals/views/confirm-close.njk';

const DONE_MESSAGES: Record<string, string> = {
  created: 'Referral saved. They are on the caseload from the date received',
  added: 'Referral added to their record. Their personal details were not changed',
  're-referred': 'Re-referral saved. A new episode has started; the earlier ones are kept below',
  attempt: 'Contact attempt recorded',
  'first-contact': 'Date of first contact saved',
  closed: 'Referral closed and the person discharged. They can be re-referred at any time',
};

const sourceItems = REFERRAL_SOURCES.map((s) => ({ value: s, text: REFERRAL_SOURCE_LABELS[s] }));
const programmeItems = PROGRAMMES.map((p) => ({ value: p, text: PROGRAMME_LABELS[p] }));
const methodItems = ATTEMPT_METHODS.map((m) => ({ value: m, text: ATTEMPT_METHOD_LABELS[m] }));
const reasonItems = CLOSE_REASONS.map((r) => ({
  value: r,
  text: CLOSE_REASON_LABELS[r],
  hint: { text: r === 'person_choice' ? 'They have told you they do not want support now' : NO_CONTACT_RULE_TEXT },
}));

/** The form values of an NHS.UK date input showing `YYYY-MM-DD`. */
function dateValues(name: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return { [`${name}[day]`]: String(Number(day)), [`${name}[month]`]: String(Number(month)), [`${name}[year]`]: year };
}

/** What a form posted, less what is never sent back into a page. */
function viewer(request: FastifyRequest) {
  return participants.viewerOf(request.actor!);
}

function displayName(p: { givenName: string; familyName: string }): string {
  return `${p.givenName} ${p.familyName}`;
}

function referrerText(r: referrals.Referral): string {
  return [r.referrerName, r.referrerOrganisation].filter(Boolean).join(', ');
}

type ReferralFields = Pick<
  IntakeFormInput,
  | 'source'
  | 'referrer_name'
  | 'referrer_organisation'
  | 'referrer_contact'
  | 'clinical_team_id'
  | 'care_coordinator'
  | 'received_date'
  | 'what_they_want'
  | 'in_work_at_referral'
  | 'notes'
>;

function referralInputOf(input: ReferralFields): referrals.ReferralInput {
  return {
    source: input.source,
    referrerName: input.referrer_name,
    referrerOrganisation: input.referrer_organisation,
    referrerContact: input.referrer_contact,
    clinicalTeamId: input.clinical_team_id,
    careCoordinator: input.care_coordinator,
    receivedDate: input.received_date,
    whatTheyWant: input.what_they_want,
    inWorkAtReferral: input.in_work_at_referral,
    notes: input.notes,
  };
}

/** Referral pages (intake, a person's referrals, contact attempts, closure) and the referrals API. */
export async function referralRoutes(app: FastifyInstance): Promise<void> {
  const { db, deps } = app;
  const today = () => londonDate(deps.clock.now());

  const teamItems = async () => [
    { value: '', text: 'None' },
    ...(await teams.listTeams(db)).map((t) => ({ value: t.id, text: t.name })),
  ];

  const formChoices = async () => ({ sourceItems, programmeItems, teamItems: await teamItems() });

  const intakeContext = async () => ({ title: 'New referral', backHref: '/', ...(await formChoices()) });

  // ---- Intake --------------------------------------------------------------------------------

  app.get('/referrals/new', async (_request, reply) =>
    reply.render(INTAKE, { ...(await intakeContext()), values: dateValues('received_date', today()) }),
  );

  /** Re-shows the intake with the possible duplicates to choose between. */
  const showDuplicates = async (
    reply: FastifyReply,
    request: FastifyRequest,
    duplicates: participants.PossibleDuplicate[],
    message: string,
  ) => {
    const visible = duplicates.filter((d) => d.visible);
    const duplicateItems = [
      ...visible.map((d) => ({
        value: d.id,
        text: `Add this referral to the record of ${d.name ?? ''}`,
        hint: {
          text: `Born ${d.dateOfBirth ? dayText(d.dateOfBirth) : 'on a date not recorded'}, NHS number ${
            formatNhsNumber(d.nhsNumber) || 'not recorded'
          }${d.teamName ? `, ${d.teamName}` : ''}. Their personal details stay as they are.`,
        },
      })),
      { value: 'new', text: 'This is a different person: create a new record' },
    ];
    const hiddenDuplicateTeams = [...new Set(duplicates.filter((d) => !d.visible).map((d) => d.teamName ?? 'another team'))];
    return reply.status(422).render(INTAKE, {
      ...(await intakeContext()),
      duplicates,
      duplicateItems,
      hiddenDuplicateTeams,
      values: typedValues(request.body),
      errors: { duplicate_choice: message },
    });
  };

  app.post('/referrals', { config: { form: { template: INTAKE, context: intakeContext } } }, async (request, reply) => {
    const input = parseInput(IntakeFormSchema, request.body);
    const ctx = auditContext(request);
    const v = viewer(request);
    const person: participants.ParticipantInput = {
      givenName: input.given_name,
      familyName: input.family_name,
      preferredName: input.preferred_name,
      dateOfBirth: input.date_of_birth,
      nhsNumber: input.nhs_number,
      phone: input.phone,
      programme: input.programme,
    };
    const referral = referralInputOf(input);

    if (input.duplicate_choice && input.duplicate_choice !== 'new') {
      // The person is already known: this is a referral (or re-referral) on their record.
      try {
        const result = await referrals.addReferral(db, deps, ctx, v, input.duplicate_choice, referral);
        return reply.redirect(
          `/participants/${result.participant.id}/referrals?done=${result.reReferral ? 're-referred' : 'added'}`,
        );
      } catch (err) {
        if (!(err instanceof RuleError || err instanceof NotFoundError || err instanceof ConflictError)) throw err;
        const duplicates = await participants.possibleDuplicates(db, v, person);
        return showDuplicates(
          reply,
          request,
          duplicates,
          err instanceof NotFoundError ? 'Choose one of the records shown, or create a new record' : err.message,
        );
      }
    }

    try {
      const result = await referrals.createIntake(db, deps, ctx, v, person, referral, {
        allowDuplicates: input.duplicate_choice === 'new',
      });
      return reply.redirect(`/participants/${result.participant.id}/referrals?done=created`);
    } catch (err) {
      if (err instanceof participants.DuplicatesFound) {
        return showDuplicates(
          reply,
          request,
          err.duplicates,
          'This person may already have a record. Choose whether to add the referral to it or create a new record',
        );
      }
      throw err;
    }
  });

  // ---- A person's referrals ------------------------------------------------------------------

  /** Everything a person's referrals page shows. */
  const listContext = async (request: FastifyRequest, audited = false) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    const { participant, referrals: list } = audited
      ? await referrals.viewReferrals(db, deps, auditContext(request), v, id)
      : {
          participant: await participants.loadVisible(db, v, id),
          referrals: await referrals.listReferrals(db, deps, v, id),
        };
    const [teamList, s] = await Promise.all([teams.listTeams(db), settings.getSettings(db)]);
    const teamNames = new Map(teamList.map((t) => [t.id, t.name]));
    const episodes = list.map((r, i) => ({
      ...r,
      episode: list.length - i,
      isOpen: r.status === 'open',
      statusLabel: REFERRAL_STATUS_LABELS[r.status],
      statusClass: r.status === 'open' ? 'nhsuk-tag--blue' : 'nhsuk-tag--grey',
      sourceLabel: REFERRAL_SOURCE_SHORT_LABELS[r.source],
      referrerText: referrerText(r),
      clinicalTeamName: r.clinicalTeamId ? (teamNames.get(r.clinicalTeamId) ?? null) : null,
      closeReasonLabel: r.closeReason ? CLOSE_REASON_LABELS[r.closeReason] : null,
      inWork: r.inWorkAtReferral,
      overdue: r.firstContactOverdue,
      waiting: r.firstContactDate === null,
      daysText: `${r.daysToFirstContact} ${r.daysToFirstContact === 1 ? 'day' : 'days'}${
        r.firstContactDate === null ? (r.status === 'open' ? ' so far, no contact yet' : ', no contact made') : ''
      }`,
      attemptRows: r.contactAttempts.map((a) => [
        { text: `${dayText(londonDate(new Date(a.attemptedAt)))}, ${londonTime(new Date(a.attemptedAt))}` },
        { text: ATTEMPT_METHOD_LABELS[a.method] },
        { text: a.note ?? '' },
      ]),
    }));
    const name = displayName(participant);
    const openEpisode = episodes.find((e) => e.isOpen) ?? null;
    return {
      title: `Referrals for ${name}`,
      backHref: `/participants/${participant.id}`,
      participant,
      name,
      canEdit: participant.canEdit,
      reReferAllowed: participant.status === 'discharged',
      episodes,
      openEpisode,
      targetDays: s.firstContactTargetDays,
      ruleText: NO_CONTACT_RULE_TEXT,
      methodItems,
    };
  };

  /** Default values for the forms on the referrals page: today, and now. */
  const listDefaults = () => ({
    ...dateValues('attempt_date', today()),
    attempt_time: londonTime(deps.clock.now()),
    ...dateValues('first_contact_date', today()),
  });

  app.get('/participants/:id/referrals', async (request, reply) => {
    const context = await listContext(request, true);
    const done = (request.query as Record<string, unknown>).done;
    const first = context.openEpisode?.firstContactDate;
    return reply.render(LIST, {
      ...context,
      flash: typeof done === 'string' ? DONE_MESSAGES[done] : undefined,
      values: { ...listDefaults(), ...(first ? dateValues('first_contact_date', first) : {}) },
    });
  });

  /** Re-shows the referrals page after a refusal, keeping what was typed. */
  const refuseOnList = async (request: FastifyRequest, reply: FastifyReply, status: number, errors: Record<string, string>) =>
    reply.status(status).render(LIST, { ...(await listContext(request)), values: typedValues(request.body), errors });

  const listForm = { template: LIST, context: (r: FastifyRequest) => listContext(r) };

  app.post('/participants/:id/referrals/:referralId/contact-attempts', { config: { form: listForm } }, async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const referralId = pathId(request, 'referralId', 'Referral');
    const input = parseInput(ContactAttemptFormSchema, request.body);
    const [hh = '0', mm = '0'] = input.attempt_time.split(':');
    const attemptedAt = londonInstant(input.attempt_date, `${hh.padStart(2, '0')}:${mm}`);
    try {
      await referrals.recordContactAttempt(db, deps, auditContext(request), viewer(request), id, referralId, input.version, {
        attemptedAt,
        method: input.method,
        note: input.attempt_note,
      });
    } catch (err) {
      if (err instanceof ConflictError || err instanceof RuleError) {
        return refuseOnList(request, reply, err.statusCode, { 'record-attempt': err.message });
      }
      throw err;
    }
    return reply.redirect(`/participants/${id}/referrals?done=attempt`);
  });

  app.post('/participants/:id/referrals/:referralId/first-contact', { config: { form: listForm } }, async (request, reply) => {
    const id = pathId(request, 'id', 'Participant');
    const referralId = pathId(request, 'referralId', 'Referral');
    const input = parseInput(FirstContactFormSchema, request.body);
    try {
      await referrals.recordFirstContact(
        db,
        deps,
        auditContext(request),
        viewer(request),
        id,
        referralId,
        input.version,
        input.first_contact_date,
      );
    } catch (err) {
      if (err instanceof ConflictError || err instanceof RuleError) {
        return refuseOnList(request, reply, err.statusCode, { 'record-first-contact': err.message });
      }
      throw err;
    }
    return reply.redirect(`/participants/${id}/referrals?done=first-contact`);
  });

  // ---- Re-referral ---------------------------------------------------------------------------

  const addContext = async (request: FastifyRequest) => {
    const id = pathId(request, 'id', 'Participant');
    const v = viewer(request);
    const participant = await participants.loadEditable(db, v, id);
    const list = await referrals.listReferrals(db, deps, v, id);
    const open = list.find((r) => r.status === 'open');
    const name = displayName(participant);
    return {
      title: participant.status === 'discharged' ? `Re-refer ${name}` : `Add a referral for ${name}`,
      backHref: `/participants/${id}/referrals`,
      participant,
      name,
      blockedReason:
        participant.status !== 'discharged' && open
          ? `${name} already has an open referral. Record contact on it, or close it before adding another.`
          : null,
      ...(await formChoices()),
    };
  };

  app.get('/participants/:id/referrals/new', async (request, reply) =>
    reply.render(ADD, { ...(await addContext(request)), values: dateValues('received_date', today()) }),
  );

  app.post(
    '/participants/:id/referrals',
    { config: { form: { template: ADD, context: addContext } } },
    async (request, reply) => {
      const id = pathId(request, 'id', 'Participant');
      const input: ReferralFormInput = parseInput(ReferralFormSchema, request.body);
      try {
        const result = await referrals.addReferral(db, deps, auditContext(request), viewer(request), id, referralInputOf(input), {
          participantVersion: input.version,
        });
        return reply.redirect(`/participants/${id}/referrals?done=${result.reReferral ? 're-referred' : 'added'}`);
      } catch (err) {
        if (err instanceof ConflictError || err instanceof RuleError) {
          const context = await addContext(request);
          return reply.status(err.statusCode).render(ADD, {
            ...context,
            blockedReason: null,
            values: typedValues(request.body),
            errors: { referral: err.message },
          });
        }
        throw err;
      }
    },
  );

  // ---- Closing -------------------------------------------------------------------------------

  const closeContext = async (request: FastifyRequest) => {
    const id = pathId(request, 'id', 'Participant');
    const referralId = pathId(request, 'referralId', 'Referral');
    const v = viewer(request);
    const participant = await participants.loadEditable(db, v, id);
    const referral = (await referrals.listReferrals(db, deps, v, id)).find((r) => r.id === referralId);
    if (!referral) throw new NotFoundError('Referral not found');
    const summary = referrals.attemptSummaryOf(referral);
    const name = displayName(participant);
    return {
      title: `Close the referral for ${name}`,
      backHref: `/participants/${id}/referrals`,
      participant,
      referral,
      name,
      referrerText: referrerText(referral),
      reasonItems,
      ruleText: NO_CONTACT_RULE_TEXT,
      attemptText: `${summary.attempts} failed ${summary.attempts === 1 ? 'attempt' : 'attempts'} on ${summary.days} ${
        summary.days === 1 ? 'day' : 'days'
      }`,
      summary,
    };
  };

  app.get('/participants/:id/referrals/:referralId/close', async (request, reply) => {
    const context = await closeContext(request);
    if (context.referral.status !== 'open') return reply.redirect(`/participants/${context.participant.id}/referrals`);
    return reply.render(CLOSE, { ...context, values: {} });
  });

  app.post(
    '/participants/:id/referrals/:referralId/close',
    { config: { form: { template: CLOSE, context: closeContext } } },
    async (request, reply) => {
      const input = parseInput(CloseFormSchema, request.body);
      const context = await closeContext(request);
      const { participant, referral } = context;
      const values = typedValues(request.body);
      if (input.version !== referral.version) {
        return reply.status(409).render(CLOSE, {
          ...context,
          values,
          conflict: 'Someone else changed this referral after you opened it. Check the details and try again.',
        });
      }
      // Say why before asking "are you sure", so nobody confirms something that will be refused.
      const problem = closeProblem(referral, input.close_reason, context.summary);
      if (problem) return reply.status(422).render(CLOSE, { ...context, values, errors: { close_reason: problem } });
      if (input.confirm !== 'yes') {
        return reply.render(CONFIRM_CLOSE, {
          ...context,
          title: 'Are you sure you want to close this referral?',
          reasonLabel: CLOSE_REASON_LABELS[input.close_reason],
          values: { close_reason: input.close_reason, close_note: input.close_note ?? '' },
        });
      }
      try {
        await referrals.closeReferral(
          db,
          deps,
          auditContext(request),
          viewer(request),
          participant.id,
          referral.id,
          input.version,
          input.close_reason,
          input.close_note,
        );
      } catch (err) {
        if (err instanceof ConflictError) {
          return reply.status(409).render(CLOSE, { ...(await closeContext(request)), values, conflict: err.message });
        }
        if (err instanceof RuleError) {
          return reply
            .status(422)
            .render(CLOSE, { ...(await closeContext(request)), values, errors: { close_reason: err.message } });
        }
        throw err;
      }
      return reply.redirect(`/participants/${participant.id}/referrals?done=closed`);
    },
  );

  // ---- JSON API ------------------------------------------------------------------------------

  const listDoc = {
    summary: 'A person’s referrals, newest first, with contact attempts and days to first contact (the read is audited)',
    tag: 'referrals',
    query: ReferralListQuerySchema,
    response: ReferralListJsonSchema,
  };
  app.get('/api/v1/participants/:id/referrals', { config: { api: listDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const query = parseInput(ReferralListQuerySchema, request.query);
    const page = await referrals.pageReferrals(
      db,
      deps,
      auditContext(request),
      viewer(request),
      id,
      query.limit,
      decodeCursor(query.cursor),
    );
    return listBody(page.items.map(referrals.referralJson), page.next);
  });

  const createDoc = {
    summary:
      'Add a referral for someone already known. A discharged person starts a new episode (status back to `referred`); anyone else may have one open referral at a time (422)',
    tag: 'referrals',
    body: ReferralCreateSchema,
    response: ReferralJsonSchema,
    status: 201,
  };
  app.post('/api/v1/participants/:id/referrals', { config: { api: createDoc } }, async (request, reply) => {
    const id = recordIdParam(request.params);
    const input = parseInput(ReferralCreateSchema, request.body);
    const { referral } = await referrals.addReferral(db, deps, auditContext(request), viewer(request), id, {
      source: input.source,
      referrerName: input.referrer_name,
      referrerOrganisation: input.referrer_organisation,
      referrerContact: input.referrer_contact,
      clinicalTeamId: input.clinical_team_id ?? null,
      careCoordinator: input.care_coordinator,
      receivedDate: input.received_date,
      acceptedDate: input.accepted_date ?? null,
      firstContactDate: input.first_contact_date ?? null,
      whatTheyWant: input.what_they_want,
      inWorkAtReferral: input.in_work_at_referral,
      notes: input.notes,
    });
    return reply
      .status(201)
      .header('location', `/api/v1/participants/${id}/referrals/${referral.id}`)
      .send(referrals.referralJson(referral));
  });

  const updateDoc = {
    summary:
      'Change an open referral: send the `version` you read. `close_reason` (`person_choice`, or `no_contact` once enough failed contact attempts are recorded) closes it and discharges the person',
    tag: 'referrals',
    body: ReferralUpdateSchema,
    response: ReferralJsonSchema,
  };
  app.patch('/api/v1/participants/:id/referrals/:referralId', { config: { api: updateDoc } }, async (request) => {
    const id = recordIdParam(request.params);
    const referralId = recordIdParam(request.params, 'referralId');
    const input = parseInput(ReferralUpdateSchema, request.body);
    const changes: referrals.ReferralChanges = {};
    if (input.accepted_date !== undefined) changes.acceptedDate = input.accepted_date;
    if (input.first_contact_date !== undefined) changes.firstContactDate = input.first_contact_date;
    if (input.close_reason !== undefined) changes.close = { reason: input.close_reason, note: input.close_note ?? null };
    const referral = await referrals.changeReferral(
      db,
      deps,
      auditContext(request),
      viewer(request),
      id,
      referralId,
      input.version,
      changes,
    );
    return referrals.referralJson(referral);
  });

  const attemptDoc = {
    summary: 'Record a failed attempt to contact the person (send the referral’s `version`); the referral’s version moves on',
    tag: 'referrals',
    body: ContactAttemptCreateSchema,
    response: ReferralJsonSchema,
    status: 201,
  };
  app.post(
    '/api/v1/participants/:id/referrals/:referralId/contact-attempts',
    { config: { api: attemptDoc } },
    async (request, reply) => {
      const id = recordIdParam(request.params);
      const referralId = recordIdParam(request.params, 'referralId');
      const input = parseInput(ContactAttemptCreateSchema, request.body);
      const referral = await referrals.recordContactAttempt(
        db,
        deps,
        auditContext(request),
        viewer(request),
        id,
        referralId,
        input.version,
        { attemptedAt: new Date(input.attempted_at), method: input.method, note: input.note },
      );
      return reply.status(201).send(referrals.referralJson(referral));
    },
  );
}
