import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import { createEmployer } from '../../src/employers/service.ts';
import { JobHubPage, JobsPage, StartJobPage } from '../pages/placements.page.ts';
import { InstructionPage, ProgressPage, SessionPage, TaskAnalysisFormPage } from '../pages/task-analyses.page.ts';
import {
  CloseIssuePage,
  WorkplaceIssueFormPage,
  WorkplaceIssuePage,
  WorkplaceIssuesPage,
} from '../pages/workplace-issues.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay, moveStatus, referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

const HUB = 'Ward host at Leeds General Infirmary';
const STEPS = ['Collect the trolley', 'Fill the urn', 'Stack the cups', 'Offer drinks to each bay'];

describe('in-work support', () => {
  test(
    'on a 360 px phone, a job coach starts a job, records two instruction sessions, and raises and closes a workplace issue the employer owns',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await moveStatus(server, ada, personId, 'engaged');
      const viewer = { userId: ada.id, role: ada.role, teamId: ada.teamId };
      await createEmployer(server.db, server.deps, SYSTEM_CONTEXT, viewer, { name: 'Leeds General Infirmary', type: 'host' });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      // Start the job.
      await page.goto(`${server.url}/participants/${personId}/placements`);
      await (await new JobsPage(page).verifyOnPage()).startJob();
      const start = await new StartJobPage(page).verifyOnPage();
      await start.fill({
        employer: 'Leeds General Infirmary',
        title: 'Ward host',
        startDate: londonDay(server, -14),
        hours: '16',
        pay: '12.80',
      });
      await start.save();
      const hub = await new JobHubPage(page, HUB).verifyOnPage();
      expect(await hub.banner()).toContain('Their status is now employed');

      // Two instruction sessions on a new task analysis: a baseline, then more independence.
      await hub.open('Task analysis and instruction');
      await (await new InstructionPage(page).verifyOnPage()).createTaskAnalysis();
      await (await new TaskAnalysisFormPage(page).verifyOnPage()).create('Tea trolley', STEPS);
      const first = await new SessionPage(page).verifyOnPage();
      await page.getByLabel('Date of the session').fill(londonDay(server, -7));
      await first.record(['Independent', 'Verbal prompt', 'Physical help', 'Physical help']);
      const afterFirst = await new ProgressPage(page, 'Tea trolley').verifyOnPage();
      expect(await afterFirst.chartPoints()).toBe(1);
      await afterFirst.recordSession();
      await (await new SessionPage(page).verifyOnPage()).record(['Independent', 'Independent', 'Verbal prompt', 'Gesture']);
      const progress = await new ProgressPage(page, 'Tea trolley').verifyOnPage();
      expect(await progress.chartPoints()).toBe(2);
      const rows = await progress.independenceRows();
      expect(rows.map((r) => [r[0], r[2], r[3]])).toEqual([
        ['1', '1 of 4', '25%'],
        ['2', '2 of 4', '50%'],
      ]);

      // A workplace issue the employer owns: raised, then closed with its outcome.
      await page.goto(`${server.url}/placements/${/placements\/([^/]+)/.exec(page.url())?.[1] ?? ''}`);
      const back = await new JobHubPage(page, HUB).verifyOnPage();
      await back.open('Workplace issues');
      await (await new WorkplaceIssuesPage(page).verifyOnPage()).recordIssue();
      const form = await new WorkplaceIssueFormPage(page).verifyOnPage();
      await form.fill({
        raisedBy: 'Line manager',
        category: 'Attendance or timekeeping',
        description: 'Late twice this week.',
        actions: 'Line manager to talk about the rota.',
      });
      await form.save();
      const issues = await new WorkplaceIssuesPage(page).verifyOnPage();
      const [heading = ''] = await issues.issueHeadings();
      await issues.openIssue(heading);
      const issue = await new WorkplaceIssuePage(page, 'Workplace issue: Attendance or timekeeping').verifyOnPage();
      expect(await issue.fact('Who owns it')).toContain('The employer (line manager or HR)');
      await issue.close();
      await (await new CloseIssuePage(page).verifyOnPage()).closeWith('On time since the rota changed.');
      const closed = await new WorkplaceIssuePage(page, 'Workplace issue: Attendance or timekeeping').verifyOnPage();
      expect(await closed.fact('Status')).toMatch(/^Closed/);
    },
  );
});
