import { SYSTEM_CONTEXT } from '../../src/audit/service.ts';
import * as employers from '../../src/employers/service.ts';
import {
  ImportReportPage,
  VacanciesPage,
  VacancyFormPage,
  VacancyImportPage,
  VacancyPage,
  VacancyStatusPage,
} from '../pages/vacancies.page.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('vacancies', () => {
  test(
    'a practitioner adds a vacancy paying below the minimum wage, corrects it, marks it filled and imports a CSV file',
    JOURNEY,
    async ({ page, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      await employers.createEmployer(
        server.db,
        server.deps,
        SYSTEM_CONTEXT,
        { userId: ada.id, role: 'practitioner', teamId: team.id },
        {
          name: 'Leeds Teaching Hospitals',
          type: 'host',
        },
      );
      await signInWithCookie(page, server, ada);

      await page.goto(`${server.url}/vacancies`);
      const list = await new VacanciesPage(page).verifyOnPage();
      expect(await list.titles()).toEqual([]);

      await list.addVacancy();
      const form = await new VacancyFormPage(page).verifyOnPage();
      // A mistake first: the form comes back with the messages and what was typed.
      await form.fill({ employer: 'Leeds Teaching Hospitals', hourlyPay: 'ten pounds' });
      await form.save();
      await form.verifyOnPage();
      expect(await form.errorMessages()).toEqual(['Enter the job title', 'Hourly pay must be an amount in pounds, like 12.71']);

      await form.fill({
        title: 'Domestic assistant',
        hoursPerWeek: '22.5',
        days: ['Monday', 'Saturday'],
        hourlyPay: '£10.00',
        startDate: '2026-05-01',
      });
      await form.save();
      const vacancy = await new VacancyPage(page, 'Domestic assistant').verifyOnPage();
      expect(await vacancy.tags()).toContain('Pay below the minimum wage');

      await vacancy.change();
      const edit = await new VacancyFormPage(page, 'Change a vacancy').verifyOnPage();
      await edit.fill({ hourlyPay: '12.71' });
      await edit.save();
      await vacancy.verifyOnPage();
      expect(await vacancy.payVerdict()).toContain('Pay meets the minimum wage for someone aged 21 or over on 1 May 2026');

      await vacancy.statusLink('Mark as filled');
      const confirm = await new VacancyStatusPage(page, 'Mark this vacancy as filled').verifyOnPage();
      await confirm.confirm('Mark as filled');
      await vacancy.verifyOnPage();
      expect(await vacancy.tags()).toContain('Filled');

      await page.goto(`${server.url}/vacancies/import`);
      const importPage = await new VacancyImportPage(page).verifyOnPage();
      await importPage.upload(
        'jobs.csv',
        [
          'reference,employer,title,hourly_pay,closing_date,description',
          'R1,Leeds Teaching Hospitals,Porter,12.80,2099-01-31,"Days, some weekends"',
          'R2,Corner Café,Kitchen porter,12.71,2099-01-31,',
          'R3,Corner Café,Barista,abc,2099-01-31,',
        ].join('\n'),
      );
      const report = await new ImportReportPage(page).verifyOnPage();
      expect(await report.summary()).toEqual([
        'Rows in the file: 3',
        'Added: 2 vacancies added',
        'Already imported: 0 already imported',
        'New employers: 1 new employer added',
        'Not imported: 1 row not imported',
      ]);
      expect(await report.problems()).toEqual(['4: hourly_pay “abc” must be an amount in pounds, like 12.71.']);

      await page.goto(`${server.url}/vacancies`);
      await list.verifyOnPage();
      expect(await list.titles()).toEqual(['Kitchen porter', 'Porter']);
    },
  );
});
