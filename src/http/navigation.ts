import type { Role } from '../users/roles.ts';

interface NavItem {
  text: string;
  href: string;
  roles: readonly Role[];
}

// Each domain adds its entry here as it lands; the access rules still guard every route.
const ITEMS: readonly NavItem[] = [
  { text: 'Home', href: '/', roles: ['admin', 'manager', 'practitioner', 'clinician', 'commissioner'] },
  { text: 'My caseload', href: '/caseload', roles: ['practitioner', 'manager'] },
  { text: 'Team dashboard', href: '/team-dashboard', roles: ['manager', 'practitioner'] },
  { text: 'My week', href: '/appointments', roles: ['practitioner', 'manager'] },
  { text: 'Match board', href: '/matches', roles: ['practitioner', 'manager'] },
  { text: 'Participants', href: '/participants', roles: ['manager', 'practitioner', 'clinician'] },
  { text: 'Employers', href: '/employers', roles: ['practitioner', 'manager'] },
  { text: 'Vacancies', href: '/vacancies', roles: ['practitioner', 'manager'] },
  { text: 'Internships', href: '/cohorts', roles: ['practitioner', 'manager'] },
  { text: 'New referral', href: '/referrals/new', roles: ['practitioner', 'manager'] },
  { text: 'Coach capacity', href: '/access-to-work/capacity', roles: ['manager'] },
  { text: 'Retention review', href: '/retention', roles: ['manager'] },
  { text: 'Reports', href: '/reports', roles: ['manager', 'practitioner', 'commissioner', 'admin'] },
  { text: 'Users', href: '/admin/users', roles: ['admin'] },
  { text: 'Teams', href: '/admin/teams', roles: ['admin'] },
  { text: 'Sites', href: '/admin/sites', roles: ['admin'] },
  { text: 'Audit trail', href: '/admin/audit', roles: ['admin'] },
  { text: 'Settings', href: '/admin/settings', roles: ['admin'] },
  { text: 'Record retention', href: '/admin/retention', roles: ['admin'] },
];

/** The header navigation a role sees, with the current section marked. */
export function navigationFor(role: Role, url: string): { text: string; href: string; current?: boolean; active?: boolean }[] {
  const pathname = url.split('?')[0] ?? '/';
  return ITEMS.filter((i) => i.roles.includes(role)).map((i) => ({
    text: i.text,
    href: i.href,
    current: pathname === i.href,
    active: i.href !== '/' && pathname.startsWith(`${i.href}/`),
  }));
}
