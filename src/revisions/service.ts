import { randomUUID } from 'node:crypto';
import * as audit from '../audit/service.ts';
import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import * as repo from './repo.ts';
import { PARTICIPANT_FIELD_LABELS, fieldLabel, fieldVisible, valueText } from './rules.ts';

// Rectification keeps the earlier value: a service that overwrites a person's data in place calls
// `keepEarlierValues` with the values it is about to replace, in the same transaction, so the
// correction and the record of what it replaced commit together or not at all.

/** What a correction changed: the record and each field's value before the change. */
export interface Correction {
  participantId: string;
  entityType: 'participant';
  entityId: string;
  /** Stored column name to the value it held before the change. */
  earlier: Readonly<Record<string, unknown>>;
}

/** Keeps the values a correction replaces, one row per field, with who changed them and when. */
export async function keepEarlierValues(
  db: DbOrTrx,
  deps: { clock: Clock },
  changedByUserId: string | null,
  correction: Correction,
): Promise<void> {
  const changedAt = deps.clock.now().toISOString();
  await repo.insertMany(
    db,
    Object.entries(correction.earlier).map(([field, value]) => ({
      id: randomUUID(),
      participant_id: correction.participantId,
      entity_type: correction.entityType,
      entity_id: correction.entityId,
      field,
      earlier_value: value === null || value === undefined ? null : JSON.stringify(value),
      changed_by_user_id: changedByUserId,
      changed_at: changedAt,
    })),
  );
}

/** One earlier value as a viewer sees it. */
export interface EarlierValue {
  field: string;
  label: string;
  text: string;
  changedAt: string;
  changedByName: string | null;
}

/**
 * A page of a person's earlier values, newest first, for a viewer who may see the person (the
 * caller has checked that). Special-category fields are left out unless `canSeeSensitive`. The
 * read is audited with the fields shown, never their values.
 */
export async function earlierValues(
  db: DbOrTrx,
  deps: Deps,
  ctx: audit.AuditContext,
  participant: { id: string; canSeeSensitive: boolean },
  page: { limit: number; offset: number },
): Promise<{ items: EarlierValue[]; total: number }> {
  const fields = Object.keys(PARTICIPANT_FIELD_LABELS).filter((f) => fieldVisible(f, participant.canSeeSensitive));
  const { rows, total } = await repo.forParticipant(db, participant.id, fields, page);
  await audit.record(db, deps, ctx, {
    action: 'participant.earlier_values_viewed',
    entityType: 'participant',
    entityId: participant.id,
    details: { fields: [...new Set(rows.map((r) => r.field))].sort(), offset: page.offset },
  });
  return {
    items: rows.map((r) => ({
      field: r.field,
      label: fieldLabel(r.field),
      text: valueText(r.field, r.earlier_value),
      changedAt: r.changed_at,
      changedByName: r.changed_by_name,
    })),
    total,
  };
}
