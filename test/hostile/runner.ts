import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import { SEED } from './arbitraries.ts';
import { describe as describeResponse, prototypePolluted } from './world.ts';

/** How many generated requests each test file has sent, for the suite's total, and their statuses. */
export const sent = { count: 0, statuses: new Map<number, number>() };

/**
 * Runs a property over one route: every generated request must be answered below 500, a refused
 * one (4xx) must leave every data table as it was, and nothing may land on Object.prototype.
 */
export async function fuzzRoute<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  numRuns: number,
  fingerprint: () => Promise<string>,
  send: (input: T) => Promise<LightMyRequestResponse>,
): Promise<void> {
  let known: string | null = null;
  const failures: string[] = [];
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const before = known ?? (await fingerprint());
      known = null;
      const res = await send(input);
      sent.count++;
      sent.statuses.set(res.statusCode, (sent.statuses.get(res.statusCode) ?? 0) + 1);
      if (process.env.HOSTILE_DEBUG)
        process.stdout.write(`${name} ${res.statusCode} ${res.body.slice(0, 120).replace(/\s+/g, ' ')}\n`);
      if (res.statusCode >= 500) throw new Error(`${name}: ${describeResponse(res)}`);
      const polluted = prototypePolluted();
      if (polluted) throw new Error(`${name}: ${polluted}`);
      if (res.statusCode >= 400) {
        const after = await fingerprint();
        if (after !== before) {
          failures.push(name);
          throw new Error(`${name}: refused with ${res.statusCode} but the data changed\n${diff(before, after)}`);
        }
        known = after;
      }
    }),
    {
      numRuns,
      seed: SEED,
      // A failure names the seed; the shrunk input follows in the message.
      reporter: (details) => {
        if (details.failed) {
          throw new Error(
            `${fc.defaultReportMessage(details)}\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}\nRe-run with HOSTILE_SEED=${SEED} (seed used for every route of the suite).`,
          );
        }
      },
    },
  );
}

function diff(before: string, after: string): string {
  const a = before.split('|');
  const b = after.split('|');
  return b.filter((x, i) => x !== a[i]).join(', ');
}
