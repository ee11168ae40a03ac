import {
  CloseIssuePage,
  WorkplaceIssueFormPage,
  WorkplaceIssuePage,
  WorkplaceIssuesPage,
  WorkplaceIssuesReportPage,
} from '../pages/workplace-issues.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { referSomeone, startJobFor } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('workplace issues', () => {
  test(
    'on a 360 px phone, a practitioner records an attendance issue the employer owns, closes it, and sees it counted as handled by the employer',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      const jobId = await startJobFor(server, ada, personId, {
        employer: 'Leeds General Infirmary',
        employerType: 'external',
        title: 'Porter',
        daysAgo: 30,
      });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/placements/${jobId}/issues`);
      const list = await new WorkplaceIssuesPage(page).verifyOnPage();
      expect(await list.issueHeadings()).toEqual([]);
      await list.recordIssue();

      const form = await new WorkplaceIssueFormPage(page).verifyOnPage();
      expect(await form.chosenOwner()).toBe('The usual owner for the category');
      await form.fill({
        raisedBy: 'Line manager',
        category: 'Attendance or timekeeping',
        description: 'Late three times this month.',
        actions: 'Line manager to talk about the rota.',
      });
      await form.save();

      const withIssue = await new WorkplaceIssuesPage(page).verifyOnPage();
      expect(await withIssue.banner()).toContain('Workplace issue recorded');
      const [heading = ''] = await withIssue.issueHeadings();
      expect(heading).toMatch(/^Attendance or timekeeping, raised /);
      await withIssue.openIssue(heading);

      const issue = await new WorkplaceIssuePage(page, 'Workplace issue: Attendance or timekeeping').verifyOnPage();
      expect(await issue.fact('Who owns it')).toContain('The employer (line manager or HR)');
      expect(await issue.fact('Status')).toBe('Open');
      await issue.close();

      const confirm = await new CloseIssuePage(page).verifyOnPage();
      await confirm.closeWith('On time for four weeks after the rota changed.');

      const closed = await new WorkplaceIssuePage(page, 'Workplace issue: Attendance or timekeeping').verifyOnPage();
      expect(await closed.fact('Status')).toMatch(/^Closed, closed /);
      expect(await page.locator('main').innerText()).toContain('The employer handled this issue itself');

      await page.goto(`${server.url}/reports/workplace-issues`);
      const report = await new WorkplaceIssuesReportPage(page).verifyOnPage();
      expect(await report.headline()).toBe('The employer handled 1 of 1 issue (100%) itself.');
    },
  );
});
