import { formatDate } from '../http/views.ts';
import {
  COMMUNICATION_NEED_LABELS,
  CONTACT_METHOD_LABELS,
  PROGRAMME_LABELS,
  type CommunicationNeed,
  type Programme,
  formatNhsNumber,
} from '../participants/rules.ts';

// Rectification keeps the earlier value (issue 12, point 6): the pure part. Which participant
// fields are kept when corrected, what they are called on the page, which of them are special
// category (docs/data-classification.md), and how a kept value reads.

/** The participant's fields a correction can overwrite, by stored column, with their label. */
export const PARTICIPANT_FIELD_LABELS: Readonly<Record<string, string>> = {
  given_name: 'Given name',
  family_name: 'Family name',
  preferred_name: 'Preferred name',
  pronouns: 'Pronouns',
  date_of_birth: 'Date of birth',
  nhs_number: 'NHS number',
  phone: 'Phone',
  email: 'Email',
  address: 'Address',
  preferred_contact_method: 'Preferred contact',
  communication_needs: 'Communication needs',
  communication_notes: 'About communication',
  programme: 'Programme',
};

/**
 * Fields classified special category: their earlier values are shown only to those who may see
 * the person's sensitive details (the assigned practitioner and the team's managers).
 */
export const SENSITIVE_FIELDS: ReadonlySet<string> = new Set(['communication_needs', 'communication_notes', 'programme']);

/** Whether a viewer may see the earlier values of this field. */
export function fieldVisible(field: string, canSeeSensitive: boolean): boolean {
  return canSeeSensitive || !SENSITIVE_FIELDS.has(field);
}

/** The label of a stored field, or the column name when it has none. */
export function fieldLabel(field: string): string {
  return PARTICIPANT_FIELD_LABELS[field] ?? field;
}

/** A kept value (as stored: JSON) in words, as the record page shows the current one. */
export function valueText(field: string, stored: string | null): string {
  let value: unknown = null;
  if (stored !== null) {
    try {
      value = JSON.parse(stored);
    } catch {
      value = stored;
    }
  }
  if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) return 'Empty';
  if (field === 'communication_needs' && Array.isArray(value)) {
    return value.map((n) => COMMUNICATION_NEED_LABELS[n as CommunicationNeed] ?? String(n)).join(', ');
  }
  if (typeof value !== 'string') return JSON.stringify(value);
  switch (field) {
    case 'date_of_birth':
      return formatDate(value) || value;
    case 'nhs_number':
      return formatNhsNumber(value) || value;
    case 'programme':
      return PROGRAMME_LABELS[value as Programme] ?? value;
    case 'preferred_contact_method':
      return CONTACT_METHOD_LABELS[value as keyof typeof CONTACT_METHOD_LABELS] ?? value;
    default:
      return value;
  }
}
