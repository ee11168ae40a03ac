import { ParticipantPage } from '../pages/participant.page.ts';
import { ParticipantsPage } from '../pages/participants.page.ts';
import { ProfileEditPage } from '../pages/profile-edit.page.ts';
import { ProfileHistoryPage } from '../pages/profile-history.page.ts';
import { ProfilePage } from '../pages/profile.page.ts';
import { ReferralIntakePage } from '../pages/referral-intake.page.ts';
import { ReferralsPage } from '../pages/referrals.page.ts';
import { openAnotherBrowser } from '../support/another-browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { signInWithCookie } from '../support/session.ts';
import { createTeamMember } from '../support/users.ts';

describe('two practitioners editing the same profile', () => {
  test(
    'the second save is stopped, shows the other change, keeps their typing, and goes through when sent again',
    JOURNEY,
    async ({ page, browser, server }) => {
      const team = await server.createTeam('Leeds employment team');
      const ada = await createTeamMember(server, team.id, 'Ada Lovelace');
      const mary = await createTeamMember(server, team.id, 'Mary Seacole');
      const adaPage = page;
      const maryPage = await openAnotherBrowser(browser, 'mary');
      await signInWithCookie(adaPage, server, ada);
      await signInWithCookie(maryPage, server, mary);

      // Ada refers Sam, so Sam is on her caseload and in her team.
      await adaPage.goto(`${server.url}/referrals/new`);
      const intake = await new ReferralIntakePage(adaPage).verifyOnPage();
      await intake.fill({
        source: 'Self-referral',
        inPaidWork: 'No',
        givenName: 'Sam',
        familyName: 'Okafor',
        programme: 'IPS (mental health)',
      });
      await intake.submit();
      const referrals = await new ReferralsPage(adaPage, 'Sam Okafor').verifyOnPage();

      // Mary, in the same team, finds Sam and opens the profile form.
      await maryPage.goto(`${server.url}/participants`);
      const list = await new ParticipantsPage(maryPage).verifyOnPage();
      await list.searchByName('okaf');
      await list.verifyOnPage();
      expect(await list.names()).toEqual(['Sam Okafor']);
      await list.open('Sam Okafor');
      await (await new ParticipantPage(maryPage, 'Sam Okafor').verifyOnPage()).openProfile();
      await (await new ProfilePage(maryPage).verifyOnPage()).changeWholeProfile();
      const maryForm = await new ProfileEditPage(maryPage).verifyOnPage();

      // Ada opens the same form.
      await referrals.openPersonRecord();
      await (await new ParticipantPage(adaPage, 'Sam Okafor').verifyOnPage()).openProfile();
      const adaProfile = await new ProfilePage(adaPage).verifyOnPage();
      await adaProfile.changeWholeProfile();
      const adaForm = await new ProfileEditPage(adaPage).verifyOnPage();

      // Mary types, but has not saved yet; Ada changes the skills and saves first.
      const marySkills = 'Forklift licence; good at keeping stock in order';
      const maryInterests = 'Football on Saturdays, cooking for friends';
      await maryForm.fill('Interests', maryInterests);
      await maryForm.fill('Skills', marySkills);
      await maryForm.choose('Times they can work', 'Mornings');
      await maryForm.fill('Most hours a week', '20');

      const adaSkills = 'Customer service and till work';
      await adaForm.fill('Skills', adaSkills);
      await adaForm.save();
      await adaProfile.verifyOnPage();
      expect(await adaProfile.lastSaved()).toMatch(/^Last saved by Ada Lovelace on .+ \(version 1\)\.$/);

      // Mary saves: refused, with Ada's change shown and everything Mary typed still in the form.
      await maryForm.save();
      await maryForm.verifyOnPage();
      expect(await maryForm.errorMessages()).toEqual(['Someone else saved this profile after you opened it']);
      expect(await maryForm.conflictHeading()).toBe('Someone else changed this profile');
      expect(await maryForm.conflictText()).toMatch(/Ada Lovelace saved this profile on .+, while you were making your changes/);
      expect(await maryForm.conflictChanges()).toEqual([`Skills: Not recorded → ${adaSkills}`]);
      expect(await maryForm.typedValue('Skills')).toBe(marySkills);
      expect(await maryForm.typedValue('Interests')).toBe(maryInterests);
      expect(await maryForm.typedValue('Most hours a week')).toBe('20');
      expect(await maryForm.chosen('Times they can work')).toEqual(['Mornings']);

      // Having seen Ada's change, Mary saves again and it goes through.
      await maryForm.save();
      const maryProfile = await new ProfilePage(maryPage).verifyOnPage();
      expect(await maryProfile.banner()).toContain('Profile saved');
      expect(await maryProfile.lastSaved()).toMatch(/^Last saved by Mary Seacole on .+ \(version 2\)\.$/);
      expect(await maryProfile.value('skills', 'Skills')).toBe(marySkills);
      expect(await maryProfile.value('interests', 'Interests')).toBe(maryInterests);
      expect(await maryProfile.value('job_preferences', 'Times they can work')).toBe('Mornings');

      // The history shows both versions, by both people.
      await maryProfile.openHistory();
      const history = await new ProfileHistoryPage(maryPage).verifyOnPage();
      const versions = await history.versions();
      expect(versions.map((v) => v.heading)).toEqual(['Version 2', 'Version 1']);
      expect(versions[0]?.savedBy).toMatch(/^Saved by Mary Seacole on /);
      expect(versions[1]?.savedBy).toMatch(/^Saved by Ada Lovelace on /);
      expect(versions[1]?.changes).toEqual([{ label: 'Skills', text: `Before: Not recorded After: ${adaSkills}` }]);
      expect(versions[0]?.changes).toEqual([
        { label: 'Skills', text: `Before: ${adaSkills} After: ${marySkills}` },
        { label: 'Interests', text: `Before: Not recorded After: ${maryInterests}` },
        { label: 'Most hours a week', text: 'Before: Not recorded After: 20 hours' },
        { label: 'Times they can work', text: 'Before: Not recorded After: Mornings' },
      ]);
    },
  );
});
