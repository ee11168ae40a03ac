// Workplace issues: who raised them, what they are about, and who owns them. The employer owns
// normal line management so the employer–employee relationship stays normal; the coach owns
// what needs their expertise (skills, adjustments, health) and stays on call for the rest.

export const RAISED_BY = ['line_manager', 'hr', 'participant', 'coach'] as const;
export type RaisedBy = (typeof RAISED_BY)[number];
export const RAISED_BY_LABELS: Record<RaisedBy, string> = {
  line_manager: 'Line manager',
  hr: 'HR',
  participant: 'The person themselves',
  coach: 'Job coach',
};

export const CATEGORIES = ['attendance', 'performance', 'conduct', 'skills', 'health', 'personal', 'relationships'] as const;
export type IssueCategory = (typeof CATEGORIES)[number];
export const CATEGORY_LABELS: Record<IssueCategory, string> = {
  attendance: 'Attendance or timekeeping',
  performance: 'Performance',
  conduct: 'Conduct',
  skills: 'Skills for the job',
  health: 'Health',
  personal: 'Personal life affecting work',
  relationships: 'Relationships at work',
};

export const OWNERS = ['employer', 'coach'] as const;
export type IssueOwner = (typeof OWNERS)[number];
export const OWNER_LABELS: Record<IssueOwner, string> = {
  employer: 'The employer (line manager or HR)',
  coach: 'The job coach',
};

export const ISSUE_STATUSES = ['open', 'closed'] as const;
export type IssueStatus = (typeof ISSUE_STATUSES)[number];
export const STATUS_LABELS: Record<IssueStatus, string> = { open: 'Open', closed: 'Closed' };

export interface OwnerSuggestion {
  owner: IssueOwner;
  reason: string;
}

const LINE_MANAGEMENT = 'Normal line management: the line manager leads, the coach stays on call';

const SUGGESTIONS: Record<IssueCategory, OwnerSuggestion> = {
  attendance: { owner: 'employer', reason: LINE_MANAGEMENT },
  performance: { owner: 'employer', reason: LINE_MANAGEMENT },
  conduct: { owner: 'employer', reason: LINE_MANAGEMENT },
  skills: { owner: 'coach', reason: 'A skills gap: the coach teaches or refreshes the task on the job' },
  health: {
    owner: 'coach',
    reason: 'Health and adjustments: the coach supports the person and agrees adjustments with the employer',
  },
  personal: {
    owner: 'coach',
    reason: 'Personal life affecting work: the coach supports the person, unless the employer is better placed',
  },
  relationships: {
    owner: 'coach',
    reason: 'Relationships at work: the coach helps first, unless it is a matter for normal line management',
  },
};

/** Who usually owns an issue of this category, and why in words; the practitioner still chooses. */
export function suggestedOwner(category: IssueCategory): OwnerSuggestion {
  return SUGGESTIONS[category];
}

/** An issue as far as the counts need it. */
export interface IssueFacts {
  category: IssueCategory;
  owner: IssueOwner;
  status: IssueStatus;
}

/** True when the employer dealt with the issue itself: it owned it and it is closed. */
export function handledByEmployer(issue: Pick<IssueFacts, 'owner' | 'status'>): boolean {
  return issue.owner === 'employer' && issue.status === 'closed';
}

export interface EmployerShare {
  handled: number;
  total: number;
  /** Whole per cent, or null when there are no issues. */
  percent: number | null;
}

/** How many of these issues the employer handled itself, out of all of them. */
export function employerHandledShare(issues: readonly Pick<IssueFacts, 'owner' | 'status'>[]): EmployerShare {
  const handled = issues.filter(handledByEmployer).length;
  const total = issues.length;
  return { handled, total, percent: total === 0 ? null : Math.round((handled / total) * 100) };
}

/** The share in words, for people who do not read tables: "3 of 4 issues (75%)". */
export function shareInWords(share: EmployerShare): string {
  if (share.total === 0) return 'No issues were raised';
  const noun = share.total === 1 ? 'issue' : 'issues';
  return `${share.handled} of ${share.total} ${noun} (${share.percent}%)`;
}

export interface CategoryCount {
  category: IssueCategory;
  label: string;
  total: number;
  employerOwned: number;
  coachOwned: number;
  employerHandled: number;
}

export interface IssueSummary {
  total: number;
  open: number;
  employerOwned: number;
  coachOwned: number;
  share: EmployerShare;
  /** Every category, in the usual order, including those with none. */
  byCategory: CategoryCount[];
}

/** Counts issues by category and owner, with the share the employer handled itself. */
export function summariseIssues(issues: readonly IssueFacts[]): IssueSummary {
  const byCategory = CATEGORIES.map((category) => {
    const mine = issues.filter((i) => i.category === category);
    return {
      category,
      label: CATEGORY_LABELS[category],
      total: mine.length,
      employerOwned: mine.filter((i) => i.owner === 'employer').length,
      coachOwned: mine.filter((i) => i.owner === 'coach').length,
      employerHandled: mine.filter(handledByEmployer).length,
    };
  });
  return {
    total: issues.length,
    open: issues.filter((i) => i.status === 'open').length,
    employerOwned: issues.filter((i) => i.owner === 'employer').length,
    coachOwned: issues.filter((i) => i.owner === 'coach').length,
    share: employerHandledShare(issues),
    byCategory,
  };
}

/** Open issues first, then closed; newest raised first within each (ties by id, for a stable order). */
export function orderIssues<T extends { status: IssueStatus; raisedOn: string; id: string }>(issues: readonly T[]): T[] {
  return [...issues].sort(
    (a, b) =>
      (a.status === 'open' ? 0 : 1) - (b.status === 'open' ? 0 : 1) ||
      b.raisedOn.localeCompare(a.raisedOn) ||
      a.id.localeCompare(b.id),
  );
}

/** What stops an issue closing as asked (the field and why), or null when it can. Dates are `YYYY-MM-DD`. */
export function closeProblem(input: {
  outcome: string | null;
  closedOn: string;
  raisedOn: string;
  today: string;
}): { field: 'outcome' | 'closed_on'; message: string } | null {
  if (!input.outcome?.trim()) return { field: 'outcome', message: 'Enter the outcome before closing the issue' };
  if (input.closedOn < input.raisedOn)
    return { field: 'closed_on', message: 'Date closed must be on or after the date the issue was raised' };
  if (input.closedOn > input.today) return { field: 'closed_on', message: 'Date closed must be today or in the past' };
  return null;
}

/** The same day `months` months before `today` (the last day of a shorter month), as `YYYY-MM-DD`. */
export function monthsBefore(today: string, months: number): string {
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 - months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 - months, Math.min(d, lastDay))).toISOString().slice(0, 10);
}
