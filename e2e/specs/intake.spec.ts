import { HomePage } from '../pages/home.page.ts';
import { followNavigation } from '../pages/navigation.ts';
import { ParticipantPage } from '../pages/participant.page.ts';
import { ProfileEditPage } from '../pages/profile-edit.page.ts';
import { ProfileHistoryPage } from '../pages/profile-history.page.ts';
import { ProfilePage } from '../pages/profile.page.ts';
import { type IntakeDetails, ReferralIntakePage } from '../pages/referral-intake.page.ts';
import { ReferralsPage } from '../pages/referrals.page.ts';
import { SignInPage } from '../pages/sign-in.page.ts';
import { NARROW } from '../support/browser.ts';
import { describe, expect, JOURNEY, test } from '../support/fixtures.ts';
import { createTeamMember } from '../support/users.ts';

// Zero exclusion: what the referrer wrote is recorded, and changes nothing about the referral.
const REFERRER_NOTES = 'unspent convictions, psychosis diagnosis, on ESA, referrer says not ready for work';

const CLINICAL_TEAM = 'North Leeds Community Mental Health Team';

const REFERRAL: IntakeDetails = {
  source: 'Clinical team (for example a community mental health team)',
  referrerName: 'Dr Priya Shah',
  organisation: 'Leeds and York Partnership NHS Foundation Trust',
  referrerContact: 'priya.shah@example.nhs.uk',
  clinicalTeam: CLINICAL_TEAM,
  careCoordinator: 'Tom Birch',
  whatTheyWant: 'Sam wants a part-time job, ideally in a shop or a warehouse.',
  inPaidWork: 'No',
  notes: REFERRER_NOTES,
  givenName: 'Sam',
  familyName: 'Okafor',
  preferredName: 'Sammy',
  dateOfBirth: { day: '14', month: '2', year: '1988' },
  nhsNumber: '943 476 5918',
  phone: '07700 900123',
  programme: 'IPS (mental health)',
};

/** Today in the UK as the date boxes show it. */
function todayParts(): { day: string; month: string; year: string } {
  const [year = '', month = '', day = ''] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' })
    .format(new Date())
    .split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

describe('referral to vocational profile on a phone', () => {
  test(
    'a practitioner refers someone, checks the NHS number, and starts their profile at 360 px',
    JOURNEY,
    async ({ page, server }) => {
      const employmentTeam = await server.createTeam('Leeds employment team');
      await server.createTeam(CLINICAL_TEAM);
      const ada = await createTeamMember(server, employmentTeam.id, 'Ada Lovelace');
      await page.setViewportSize(NARROW);

      // Sign in and open the intake from the navigation.
      const signIn = await SignInPage.visit(page, server.url);
      await signIn.signIn(ada.email, ada.password);
      await new HomePage(page, 'Ada Lovelace').verifyOnPage();
      await followNavigation(page, 'New referral');
      const intake = await new ReferralIntakePage(page).verifyOnPage();
      expect(await intake.receivedDate()).toEqual(todayParts());

      // A mistyped NHS number is refused on the field, and nothing else typed is lost.
      await intake.fill(REFERRAL);
      await intake.submit();
      await intake.verifyOnPage();
      const nhsError = 'Enter a valid NHS number: 10 digits, like 943 476 5919';
      expect(await intake.errorMessages()).toEqual([nhsError]);
      expect(await intake.fieldError('nhs_number')).toBe(nhsError);
      expect(await intake.typedValues()).toEqual(REFERRAL);
      expect(await intake.receivedDate()).toEqual(todayParts());

      // The right number goes through: the referral is accepted like any other.
      await intake.setNhsNumber('943 476 5919');
      await intake.submit();
      const referrals = await new ReferralsPage(page, 'Sam Okafor').verifyOnPage();
      expect(await referrals.successBanner.innerText()).toContain('Referral saved');
      expect(await referrals.episodeHeadings()).toHaveLength(1);
      expect(await referrals.latestStatus()).toBe('Open');
      expect(await referrals.warnings.count()).toBe(0);
      expect(await referrals.detail('Referred by')).toBe('Clinical team');
      expect(await referrals.detail('Clinical team')).toBe(CLINICAL_TEAM);
      expect(await referrals.detail('Notes')).toBe(REFERRER_NOTES);
      expect(await referrals.detail('Days to first contact')).toBe('0 days so far, no contact yet');

      // Their record.
      await referrals.openPersonRecord();
      const person = await new ParticipantPage(page, 'Sam Okafor').verifyOnPage();
      expect(await person.status()).toBe('Referred');
      expect(await person.detail('NHS number')).toBe('943 476 5919');
      expect(await person.detail('Preferred name')).toBe('Sammy');

      // The vocational profile: skills and job preferences in one go.
      await person.openProfile();
      const profile = await new ProfilePage(page).verifyOnPage();
      expect(await profile.lastSaved()).toBe('Nothing has been saved in this profile yet.');
      await profile.changeWholeProfile();
      const edit = await new ProfileEditPage(page).verifyOnPage();
      await edit.fill('Skills', 'Good with people; kept the stock room tidy at the charity shop');
      await edit.fill('Jobs or sectors they want', 'Retail\nWarehouse work');
      await edit.fill('Fewest hours a week', '16');
      await edit.fill('Most hours a week', '24');
      await edit.choose('Times they can work', 'Afternoons');
      await edit.choose('Times they can work', 'Evenings');
      await edit.choose('Weekend work', 'Happy to work weekends');
      await edit.fill('Lowest hourly pay', '12.21');
      await edit.save();

      await profile.verifyOnPage();
      expect(await profile.banner()).toContain('Profile saved');
      expect(await profile.lastSaved()).toMatch(/^Last saved by Ada Lovelace on .+ \(version 1\)\.$/);
      expect(await profile.value('skills', 'Skills')).toBe('Good with people; kept the stock room tidy at the charity shop');
      expect(await profile.value('job_preferences', 'Jobs or sectors they want')).toBe('Retail, Warehouse work');
      expect(await profile.value('job_preferences', 'Fewest hours a week')).toBe('16 hours');
      expect(await profile.value('job_preferences', 'Most hours a week')).toBe('24 hours');
      expect(await profile.value('job_preferences', 'Times they can work')).toBe('Afternoons, Evenings');
      expect(await profile.value('job_preferences', 'Weekend work')).toBe('Happy to work weekends');
      expect(await profile.value('job_preferences', 'Lowest hourly pay')).toBe('£12.21 an hour');

      // Disclosure through that section's own form.
      await profile.changeField('Telling employers');
      const disclosure = await new ProfileEditPage(page, 'Change telling employers (disclosure)').verifyOnPage();
      await disclosure.choose('Telling employers', 'Partly: only what the notes say');
      await disclosure.fill('What the employer may be told', 'I sometimes need a quiet break in the afternoon.');
      await disclosure.save();

      await profile.verifyOnPage();
      expect(await profile.lastSaved()).toMatch(/^Last saved by Ada Lovelace on .+ \(version 2\)\.$/);
      expect(await profile.value('disclosure', 'Telling employers')).toBe('Partly: only what the notes say');
      expect(await profile.value('disclosure', 'What the employer may be told')).toBe(
        'I sometimes need a quiet break in the afternoon.',
      );
      expect(await profile.value('skills', 'Skills')).toBe('Good with people; kept the stock room tidy at the charity shop');

      // The history keeps both versions, newest first.
      await profile.openHistory();
      const history = await new ProfileHistoryPage(page).verifyOnPage();
      const versions = await history.versions();
      expect(versions.map((v) => v.heading)).toEqual(['Version 2', 'Version 1']);
      expect(versions.map((v) => v.savedBy)).toEqual([
        expect.stringMatching(/^Saved by Ada Lovelace on /),
        expect.stringMatching(/^Saved by Ada Lovelace on /),
      ]);
      expect(versions[0]?.changes.map((c) => c.label)).toEqual(['Telling employers', 'What the employer may be told']);
      expect(versions[1]?.changes).toContainEqual({
        label: 'Skills',
        text: 'Before: Not recorded After: Good with people; kept the stock room tidy at the charity shop',
      });
      expect(versions[1]?.changes).toContainEqual({
        label: 'Lowest hourly pay',
        text: 'Before: Not recorded After: £12.21 an hour',
      });
    },
  );
});
