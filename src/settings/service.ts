import type { Clock } from '../clock.ts';
import type { DbOrTrx } from '../db/types.ts';
import * as audit from '../audit/service.ts';
import * as repo from './repo.ts';

/** Service-wide settings an administrator changes in the app. */
export interface ServiceSettings {
  requireSecondFactor: boolean;
}

export async function getSettings(db: DbOrTrx): Promise<ServiceSettings> {
  return { requireSecondFactor: (await repo.get(db, 'require_second_factor')) === 'true' };
}

export async function updateSettings(
  db: DbOrTrx,
  deps: { clock: Clock; auditKey: Buffer },
  ctx: audit.AuditContext,
  next: ServiceSettings,
): Promise<ServiceSettings> {
  const current = await getSettings(db);
  if (current.requireSecondFactor !== next.requireSecondFactor) {
    await repo.put(db, 'require_second_factor', String(next.requireSecondFactor), deps.clock.now().toISOString());
    await audit.record(db, deps, ctx, {
      action: 'settings.updated',
      entityType: 'settings',
      details: { require_second_factor: next.requireSecondFactor },
    });
  }
  return next;
}
