// Who manages what (docs/api-org.md, "Who manages what"); the server decides, these
// only shape the menus and forms.

export const ROLES = [
  'administrator',
  'region_coordinator',
  'municipal_coordinator',
  'doo_coordinator',
  'teacher',
  'expert',
];

export const LEVELS = ['region', 'municipality', 'kindergarten', 'group'];

const MANAGES = {
  administrator: ROLES,
  region_coordinator: ['municipal_coordinator', 'doo_coordinator', 'teacher', 'expert'],
  municipal_coordinator: ['doo_coordinator', 'teacher', 'expert'],
  doo_coordinator: ['teacher'],
};

/** The levels a user's scope unit may have for a role. */
const UNIT_LEVELS = {
  administrator: ['region'],
  region_coordinator: ['region'],
  municipal_coordinator: ['municipality'],
  doo_coordinator: ['kindergarten'],
  teacher: ['kindergarten'],
  expert: ['municipality', 'region'],
};

export const isManager = (role) => role in MANAGES;
export const manageableRoles = (role) => MANAGES[role] ?? [];
export const unitLevelsFor = (role) => UNIT_LEVELS[role] ?? [];
/** Expert assignments: administrators, regional and municipal coordinators. */
export const assignsExperts = (role) =>
  role === 'administrator' || role === 'region_coordinator' || role === 'municipal_coordinator';

/** Who has the dashboards in the menu (experts: their assigned kindergartens). */
export const seesDashboards = (role) =>
  ['administrator', 'region_coordinator', 'municipal_coordinator', 'doo_coordinator', 'expert'].includes(role);

export const childLevel = (level) => LEVELS[LEVELS.indexOf(level) + 1] ?? null;
export const parentLevel = (level) => (LEVELS.indexOf(level) > 0 ? LEVELS[LEVELS.indexOf(level) - 1] : null);
