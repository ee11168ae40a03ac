import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import { createEmployer } from '../../src/employers/service.ts';
import {
  AbsencePage,
  EndAbsencePage,
  EndJobPage,
  JobHubPage,
  JobsPage,
  RedeploymentPage,
  RedeploymentReportPage,
  StartJobPage,
} from '../pages/placements.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { londonDay, moveStatus, referSomeone } from '../support/records.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('jobs (placements)', () => {
  test(
    'on a 360 px phone, a practitioner starts a job at a supplier, records and ends sick leave, ends the job by redundancy and sees it counted as a supplier redundancy',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const personId = await referSomeone(server, ada, { givenName: 'Sam', familyName: 'Okafor' });
      await moveStatus(server, ada, personId, 'engaged');
      const viewer = { userId: ada.id, role: ada.role, teamId: ada.teamId };
      await createEmployer(server.db, server.deps, SYSTEM_CONTEXT, viewer, { name: 'Hospital Catering', type: 'supplier' });
      await page.setViewportSize(NARROW);
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/participants/${personId}/placements`);
      const jobs = await new JobsPage(page).verifyOnPage();
      expect(await jobs.mainText()).toContain('No jobs are recorded');
      await jobs.startJob();

      const form = await new StartJobPage(page).verifyOnPage();
      await form.fill({
        employer: 'Hospital Catering',
        title: 'Kitchen assistant',
        startDate: londonDay(server, -20),
        hours: '16',
        pay: '13.00',
      });
      await form.save();

      const hub = await new JobHubPage(page, 'Kitchen assistant at Hospital Catering').verifyOnPage();
      expect(await hub.banner()).toContain('Their status is now employed');
      expect(await hub.mainText()).toContain('Yes, this is a competitive job');
      await hub.recordAbsence();

      await (await new AbsencePage(page).verifyOnPage()).recordSickLeave(londonDay(server, -2));
      const off = await new JobHubPage(page, 'Kitchen assistant at Hospital Catering').verifyOnPage();
      expect(await off.mainText()).toContain('Off sick since');
      await off.endAbsence();

      await (await new EndAbsencePage(page).verifyOnPage()).backOn(londonDay(server));
      const back = await new JobHubPage(page, 'Kitchen assistant at Hospital Catering').verifyOnPage();
      expect(await back.mainText()).not.toContain('Off sick since');
      await back.endJob();

      await (await new EndJobPage(page).verifyOnPage()).endWith('Made redundant', londonDay(server));
      const redeployment = await new RedeploymentPage(page).verifyOnPage();
      expect(await redeployment.banner()).toContain('A redeployment is open');
      expect(await redeployment.fact('Outcome')).toBe('Open: looking for the next job');

      await page.goto(`${server.url}/reports/redeployment`);
      const report = await new RedeploymentReportPage(page).verifyOnPage();
      expect(await report.figure('Supplier to the host', 'Redundancies')).toBe('1');
      expect(await report.figure('Host organisation', 'Redundancies')).toBe('0');
    },
  );
});
