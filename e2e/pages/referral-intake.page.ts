import type { Page } from 'playwright-core';
import { AbstractPage } from './abstract.page.ts';

/** What the intake form holds, as a person types it. Dates are day, month and year boxes. */
export interface IntakeDetails {
  /** The label of the "Who made the referral?" choice, e.g. "Clinical team (for example …)". */
  source: string;
  referrerName: string;
  organisation: string;
  referrerContact: string;
  /** The name of the clinical team, as the list shows it. */
  clinicalTeam: string;
  careCoordinator: string;
  whatTheyWant: string;
  inPaidWork: 'Yes' | 'No';
  notes: string;
  givenName: string;
  familyName: string;
  preferredName: string;
  dateOfBirth: { day: string; month: string; year: string };
  nhsNumber: string;
  phone: string;
  /** The label of the programme choice, e.g. "Individual Placement and Support (IPS)". */
  programme: string;
}

/** "New referral": the intake that creates the person's record and their first referral. */
export class ReferralIntakePage extends AbstractPage {
  constructor(page: Page) {
    super(page, 'New referral');
  }

  private group(legend: string) {
    return this.page.getByRole('group', { name: legend });
  }

  private dateBox(legend: string, part: 'Day' | 'Month' | 'Year') {
    return this.group(legend).getByLabel(part, { exact: true });
  }

  /** Fills in the fields given; the others are left as they are. */
  async fill(d: Partial<IntakeDetails>): Promise<void> {
    const p = this.page;
    if (d.source !== undefined) await this.group('Who made the referral?').getByLabel(d.source, { exact: true }).check();
    if (d.referrerName !== undefined) await p.getByLabel('Referrer’s name (optional)').fill(d.referrerName);
    if (d.organisation !== undefined) await p.getByLabel('Organisation (optional)').fill(d.organisation);
    if (d.referrerContact !== undefined)
      await p.getByLabel('Referrer’s phone number or email (optional)').fill(d.referrerContact);
    if (d.clinicalTeam !== undefined) await p.getByLabel('Clinical team (optional)').selectOption({ label: d.clinicalTeam });
    if (d.careCoordinator !== undefined) await p.getByLabel('Care coordinator (optional)').fill(d.careCoordinator);
    if (d.whatTheyWant !== undefined) await p.getByLabel('What do they want? (optional)').fill(d.whatTheyWant);
    if (d.inPaidWork !== undefined)
      await this.group('Are they already in paid work?').getByLabel(d.inPaidWork, { exact: true }).check();
    if (d.notes !== undefined) await p.getByLabel('Notes (optional)').fill(d.notes);
    if (d.givenName !== undefined) await p.getByLabel('Given name', { exact: true }).fill(d.givenName);
    if (d.familyName !== undefined) await p.getByLabel('Family name', { exact: true }).fill(d.familyName);
    if (d.preferredName !== undefined) await p.getByLabel('Preferred name (optional)').fill(d.preferredName);
    if (d.dateOfBirth !== undefined) {
      await this.dateBox('Date of birth (optional)', 'Day').fill(d.dateOfBirth.day);
      await this.dateBox('Date of birth (optional)', 'Month').fill(d.dateOfBirth.month);
      await this.dateBox('Date of birth (optional)', 'Year').fill(d.dateOfBirth.year);
    }
    if (d.nhsNumber !== undefined) await this.setNhsNumber(d.nhsNumber);
    if (d.phone !== undefined) await p.getByLabel('Phone number (optional)').fill(d.phone);
    if (d.programme !== undefined) await this.group('Programme').getByLabel(d.programme, { exact: true }).check();
  }

  async setNhsNumber(nhsNumber: string): Promise<void> {
    await this.page.getByLabel('NHS number (optional)').fill(nhsNumber);
  }

  /** Sends the form; the caller verifies whichever page comes next. */
  async submit(): Promise<void> {
    await this.clickAndWait(this.page.getByRole('button', { name: 'Save referral' }));
  }

  /** The date received as the form shows it (today, unless changed). */
  async receivedDate(): Promise<{ day: string; month: string; year: string }> {
    return {
      day: await this.dateBox('Date received', 'Day').inputValue(),
      month: await this.dateBox('Date received', 'Month').inputValue(),
      year: await this.dateBox('Date received', 'Year').inputValue(),
    };
  }

  /** Everything the form holds now, in the shape it was filled from. */
  async typedValues(): Promise<IntakeDetails> {
    const p = this.page;
    const checkedLabel = async (legend: string) => {
      const checked = this.group(legend).locator('input:checked');
      if ((await checked.count()) === 0) return '';
      const id = await checked.getAttribute('id');
      return (await p.locator(`label[for="${id}"]`).innerText()).trim();
    };
    const selected = p.getByLabel('Clinical team (optional)').locator('option:checked');
    return {
      source: await checkedLabel('Who made the referral?'),
      referrerName: await p.getByLabel('Referrer’s name (optional)').inputValue(),
      organisation: await p.getByLabel('Organisation (optional)').inputValue(),
      referrerContact: await p.getByLabel('Referrer’s phone number or email (optional)').inputValue(),
      clinicalTeam: (await selected.innerText()).trim(),
      careCoordinator: await p.getByLabel('Care coordinator (optional)').inputValue(),
      whatTheyWant: await p.getByLabel('What do they want? (optional)').inputValue(),
      inPaidWork: (await checkedLabel('Are they already in paid work?')) as IntakeDetails['inPaidWork'],
      notes: await p.getByLabel('Notes (optional)').inputValue(),
      givenName: await p.getByLabel('Given name', { exact: true }).inputValue(),
      familyName: await p.getByLabel('Family name', { exact: true }).inputValue(),
      preferredName: await p.getByLabel('Preferred name (optional)').inputValue(),
      dateOfBirth: {
        day: await this.dateBox('Date of birth (optional)', 'Day').inputValue(),
        month: await this.dateBox('Date of birth (optional)', 'Month').inputValue(),
        year: await this.dateBox('Date of birth (optional)', 'Year').inputValue(),
      },
      nhsNumber: await p.getByLabel('NHS number (optional)').inputValue(),
      phone: await p.getByLabel('Phone number (optional)').inputValue(),
      programme: await checkedLabel('Programme'),
    };
  }
}
