import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import { getTaskAnalysis, recordSession } from '../../src/task-analyses/service.ts';
import { InstructionPage, ProgressPage, SessionPage, TaskAnalysisFormPage } from '../pages/task-analyses.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay, referSomeone, startJobFor } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

const STEPS = [
  'Collect the trolley from the store',
  'Check the trolley is clean',
  'Fill the urn with water',
  'Switch on the urn',
  'Stack twenty cups',
  'Fill the milk jug',
  'Fill the sugar bowl',
  'Add teaspoons',
  'Add biscuits',
  'Wheel the trolley to the ward',
  'Offer drinks to each bay',
  'Return the trolley to the store',
];

describe('task analysis and instruction', () => {
  test(
    'on a 360 px phone, a job coach breaks a task into 12 steps, records sessions, and reads the fading chart and its table',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      const viewer = { userId: ada.id, role: ada.role, teamId: ada.teamId };
      const jobId = await startJobFor(server, ada, personId, {
        employer: 'Leeds General Infirmary',
        employerType: 'external',
        title: 'Ward host',
        daysAgo: 60,
      });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/placements/${jobId}/instruction`);
      const empty = await new InstructionPage(page).verifyOnPage();
      await empty.createTaskAnalysis();
      await new TaskAnalysisFormPage(page).verifyOnPage();
      await new TaskAnalysisFormPage(page).create('Tea trolley', STEPS);

      // Straight to the first session: the baseline.
      const first = await new SessionPage(page).verifyOnPage();
      await page.getByLabel('Date of the session').fill(londonDay(server, -20));
      await first.record(STEPS.map((_, i) => (i < 2 ? 'Independent' : 'Physical help')));
      const afterFirst = await new ProgressPage(page, 'Tea trolley').verifyOnPage();
      expect(await afterFirst.chartPoints()).toBe(1);

      // Six more sessions, then today's through the grid again.
      const taskId = /instruction\/([^/?]+)/.exec(page.url())?.[1] ?? '';
      const analysis = await getTaskAnalysis(server.db, viewer, taskId);
      for (let s = 1; s <= 6; s += 1) {
        await recordSession(server.db, server.deps, SYSTEM_CONTEXT, viewer, taskId, {
          participantId: personId,
          placementId: jobId,
          sessionDate: londonDay(server, s - 15),
          results: analysis.steps.map((step, i) => ({ stepId: step.id, promptLevel: i < 2 + s ? 'independent' : 'verbal' })),
        });
      }
      await afterFirst.recordSession();
      const last = await new SessionPage(page).verifyOnPage();
      await last.record(STEPS.map(() => 'Independent'));

      const progress = await new ProgressPage(page, 'Tea trolley').verifyOnPage();
      expect(await progress.chartPoints()).toBe(8);
      expect(await progress.chartTitle()).toBe('Steps done independently in each session: Tea trolley');
      const rows = await progress.independenceRows();
      expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual([
        ['1', '2 of 12', '17%'],
        ['2', '3 of 12', '25%'],
        ['3', '4 of 12', '33%'],
        ['4', '5 of 12', '42%'],
        ['5', '6 of 12', '50%'],
        ['6', '7 of 12', '58%'],
        ['7', '8 of 12', '67%'],
        ['8', '12 of 12', '100%'],
      ]);
      expect(await progress.verdict()).toContain('Not mastered yet: 1 of 3 sessions in a row');
    },
  );
});
