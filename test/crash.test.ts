// Runs the crash test (test/crash/crash-test.ts) in `npm test`: the real server killed with SIGKILL
// 20 times during bursts of writes, on the database this Vitest project uses.
import { describe, expect, it } from 'vitest';
import { runCrashTest } from './crash/crash-test.ts';
import { TEST_DIALECT } from './test-db.ts';

// A different seed replays other kill moments: STEPWISE_CRASH_SEED=7 npx vitest run test/crash.test.ts
const seed = Number(process.env.STEPWISE_CRASH_SEED ?? 12);

describe(`crash test on ${TEST_DIALECT}`, () => {
  it(
    'keeps every acknowledged write exactly once through 20 SIGKILLs, and the audit chain verifies',
    { timeout: 600_000 },
    async () => {
      const report = await runCrashTest({
        kills: 20,
        seed,
        postgresUrl: TEST_DIALECT === 'postgres' ? process.env.TEST_DATABASE_URL : undefined,
      });
      const { problems, ...summary } = report;
      process.stdout.write(`crash test (${TEST_DIALECT}, seed ${seed}): ${JSON.stringify(summary)}\n`);
      expect(problems).toEqual([]);
      expect(report.kills).toBe(20);
      // The run must have proved something: writes answered, cut off and retried, and repeats replayed.
      expect(report.contactsAcknowledged).toBeGreaterThan(100);
      expect(report.profileEditsAcknowledged).toBeGreaterThan(10);
      expect(report.retried).toBeGreaterThan(0);
      expect(report.replaysChecked).toBeGreaterThan(0);
      expect(report.auditEventsChecked).toBeGreaterThan(report.contactsAcknowledged);
    },
  );
});
