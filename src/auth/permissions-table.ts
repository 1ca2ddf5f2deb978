/** README "Roles and permissions": the table between these markers is written by npm run docs:permissions. */
export const TABLE_START = '<!-- permissions:start (npm run docs:permissions writes this table) -->';
export const TABLE_END = '<!-- permissions:end -->';

export interface RouteAccess {
  /** `PUT /api/v1/incidents/{id}/cadence` */
  call: string;
  public: boolean;
  /** Roles besides admin; undefined: any staff role. */
  roles: readonly string[] | undefined;
}

/** Who may call a route, as the README says it; admin may call every route that takes a token. */
export function whoMay(route: Pick<RouteAccess, 'public' | 'roles'>): string {
  if (route.public) return 'public (no token)';
  if (route.roles === undefined) return 'every role';
  const others = route.roles.filter((r) => r !== 'admin');
  return others.length === 0 ? 'admin only' : [...others, 'admin'].join(', ');
}

/** The markdown table, one row per operation, in the given order. */
export function permissionsTable(routes: RouteAccess[]): string {
  return ['| call | roles |', '| --- | --- |', ...routes.map((r) => `| \`${r.call}\` | ${whoMay(r)} |`)].join(
    '\n',
  );
}

/** The rows of the README's table, call → roles text (for checking it against the routes). */
export function readPermissionsTable(readme: string): Map<string, string> {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error('README has no permissions table markers');
  const rows = new Map<string, string>();
  for (const line of readme.slice(start + TABLE_START.length, end).split('\n')) {
    const match = /^\|\s*`([^`]+)`\s*\|\s*(.*?)\s*\|$/.exec(line.trim());
    if (match) rows.set(match[1], match[2]);
  }
  return rows;
}
