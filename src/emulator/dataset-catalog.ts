/** Vocabulary for the demo dataset: who visits, from where, on what, and which pages. Weights are relative. */

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Sofia',
  'Mateo',
  'Amelia',
  'Lucas',
  'Mia',
  'Ethan',
  'Chloe',
  'Hiro',
  'Yuki',
  'Priya',
  'Arjun',
  'Fatima',
  'Omar',
  'Lena',
  'Jonas',
  'Camille',
  'Louis',
  'Chiara',
  'Marco',
  'Zoe',
  'Isaac',
  'Grace',
  'Daniel',
  'Aisha',
  'Kwame',
  'Nina',
  'Tomás',
  'Lucía',
  'Björn',
  'Freya',
  'Wei',
  'Mei',
  'Diego',
  'Elena',
  'Sam',
  'Ruth',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Garcia',
  'Müller',
  'Rossi',
  'Dubois',
  'Kowalski',
  'Tanaka',
  'Kim',
  'Patel',
  'Singh',
  'Okafor',
  'Mensah',
  'Haddad',
  'Nguyen',
  'Silva',
  'Santos',
  'Larsen',
  'Berg',
  'Novak',
  'Brown',
  'Wilson',
  'Martínez',
  'López',
  'Chen',
  'Wang',
  'Ivanova',
  'Fischer',
  'Moreau',
  'Costa',
] as const;

export const EMAIL_DOMAINS = [
  'gmail.com',
  'outlook.com',
  'yahoo.com',
  'hey.com',
  'proton.me',
  'initech.com',
  'globex.com',
  'umbrella.co',
  'hooli.xyz',
  'piedpiper.com',
  'vandelay.com',
  'acme.com',
] as const;
export const EMAIL_DOMAIN_WEIGHTS = [30, 14, 6, 3, 4, 6, 5, 5, 5, 4, 4, 3];

export const PLANS = ['free', 'pro', 'enterprise'] as const;
export const PLAN_WEIGHTS = [60, 30, 10];
export const PLAN_PRICES: Record<(typeof PLANS)[number], number[]> = {
  free: [9.99, 19],
  pro: [49, 99, 149],
  enterprise: [499, 999],
};

export const LOCATIONS = [
  ['US', 'San Francisco'],
  ['US', 'New York'],
  ['US', 'Austin'],
  ['GB', 'London'],
  ['DE', 'Berlin'],
  ['ES', 'Madrid'],
  ['FR', 'Paris'],
  ['BR', 'São Paulo'],
  ['IN', 'Bengaluru'],
  ['CA', 'Toronto'],
  ['AU', 'Sydney'],
  ['JP', 'Tokyo'],
] as const;
export const LOCATION_WEIGHTS = [14, 12, 6, 10, 8, 5, 5, 5, 6, 5, 3, 3];

export interface Device {
  deviceType: 'Desktop' | 'Mobile' | 'Tablet';
  os: string;
  browser: string;
  versions: readonly number[];
}
export const DEVICES: readonly Device[] = [
  { deviceType: 'Desktop', os: 'Mac OS X', browser: 'Chrome', versions: [129, 130, 131] },
  { deviceType: 'Desktop', os: 'Mac OS X', browser: 'Safari', versions: [17, 18] },
  { deviceType: 'Desktop', os: 'Windows', browser: 'Chrome', versions: [128, 130, 131] },
  { deviceType: 'Desktop', os: 'Windows', browser: 'Microsoft Edge', versions: [129, 130] },
  { deviceType: 'Desktop', os: 'Windows', browser: 'Firefox', versions: [131, 132] },
  { deviceType: 'Desktop', os: 'Linux', browser: 'Firefox', versions: [131, 132] },
  { deviceType: 'Desktop', os: 'Linux', browser: 'Chrome', versions: [130, 131] },
  { deviceType: 'Mobile', os: 'iOS', browser: 'Mobile Safari', versions: [17, 18] },
  { deviceType: 'Mobile', os: 'Android', browser: 'Chrome', versions: [129, 130, 131] },
  { deviceType: 'Mobile', os: 'iOS', browser: 'Chrome iOS', versions: [130] },
  { deviceType: 'Tablet', os: 'iOS', browser: 'Safari', versions: [17, 18] },
];
export const DEVICE_WEIGHTS = [24, 10, 20, 7, 4, 3, 2, 15, 10, 2, 3];

export const UTM_SOURCES = ['google', 'newsletter', 'twitter', 'linkedin', 'producthunt'] as const;
export const UTM_WEIGHTS = [40, 20, 15, 15, 10];

export const REFERRERS = [
  '$direct',
  'https://www.google.com/',
  'https://news.ycombinator.com/',
  'https://twitter.com/',
  'https://www.linkedin.com/',
] as const;
export const REFERRER_WEIGHTS = [40, 35, 8, 9, 8];

/** Marketing pages (visitors who are not logged in). */
export const PUBLIC_PAGES = [
  '/',
  '/pricing',
  '/features',
  '/blog',
  '/blog/launch-week',
  '/blog/how-we-ship',
  '/docs',
  '/docs/getting-started',
  '/about',
  '/careers',
  '/signup',
  '/login',
] as const;
export const PUBLIC_PAGE_WEIGHTS = [30, 14, 10, 6, 4, 3, 8, 6, 3, 2, 8, 6];

/** The product (logged-in users). */
export const APP_PAGES = [
  '/app',
  '/app/dashboard',
  '/app/insights',
  '/app/reports',
  '/app/settings',
  '/app/billing',
  '/app/team',
  '/checkout',
] as const;
export const APP_PAGE_WEIGHTS = [20, 18, 12, 8, 5, 4, 4, 3];

export const INSIGHT_TYPES = ['TRENDS', 'FUNNELS', 'RETENTION', 'PATHS', 'STICKINESS'] as const;
export const INSIGHT_TYPE_WEIGHTS = [50, 25, 12, 8, 5];

/** Clicked elements in PostHog's `elements_chain` format (innermost element first). */
export const CLICK_TARGETS = [
  {
    text: 'Get started',
    chain:
      'a.btn.btn-primary:attr__class="btn btn-primary"attr__href="/signup"href="/signup"nth-child="1"nth-of-type="1"text="Get started";div.hero:attr__class="hero"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'Pricing',
    chain:
      'a.nav-link:attr__class="nav-link"attr__href="/pricing"href="/pricing"nth-child="3"nth-of-type="3"text="Pricing";nav.navbar:attr__class="navbar"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'Sign up',
    chain:
      'button.btn.cta:attr__class="btn cta"attr__type="submit"nth-child="4"nth-of-type="1"text="Sign up";form.signup-form:attr__class="signup-form"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'Read more',
    chain:
      'a.card-link:attr__class="card-link"attr__href="/blog/launch-week"href="/blog/launch-week"nth-child="2"nth-of-type="1"text="Read more";article.card:attr__class="card"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'New insight',
    chain:
      'button.LemonButton:attr__class="LemonButton"attr__data-attr="new-insight"nth-child="1"nth-of-type="1"text="New insight";div.toolbar:attr__class="toolbar"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'Save',
    chain:
      'button.LemonButton.primary:attr__class="LemonButton primary"nth-child="2"nth-of-type="2"text="Save";div.modal-footer:attr__class="modal-footer"nth-child="3"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
  {
    text: 'Upgrade',
    chain:
      'a.upgrade-link:attr__class="upgrade-link"attr__href="/checkout"href="/checkout"nth-child="1"nth-of-type="1"text="Upgrade";div.billing-banner:attr__class="billing-banner"nth-child="1"nth-of-type="1";body:nth-child="2"nth-of-type="1"',
  },
] as const;

/** UTC hour-of-day activity (a US + Europe audience), Sunday-first day-of-week activity. */
export const HOUR_WEIGHTS = [
  0.35, 0.25, 0.18, 0.14, 0.12, 0.12, 0.15, 0.22, 0.35, 0.5, 0.62, 0.72, 0.8, 0.88, 0.95, 1.0, 1.0, 0.97, 0.92, 0.88, 0.82, 0.7, 0.55, 0.45,
];
export const DAY_OF_WEEK_WEIGHTS = [0.55, 1.0, 1.05, 1.05, 1.0, 0.9, 0.5];
