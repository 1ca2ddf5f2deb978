import { ROLES, Role } from '../../src/auth/roles';
import { BOARD_COOKIE } from '../../src/board/board-session';
import { SignedLinks } from '../../src/links/signed-links';
import { expectError, fullDbSnapshot } from '../support/api-assertions';
import { staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';
import {
  buildWorld,
  declaredAccess,
  Method,
  Operation,
  operationsFromOpenApi,
  realPath,
  World,
} from './api-surface';

/** Routes that need no staff token (DESIGN.md, "Security"): anything else public is a leak. */
const PUBLIC_PATHS = [/^\/health$/, /^\/metrics$/, /^\/status(\/|$)/, /^\/portal(\/|$)/];

const GUARD_MESSAGE = /^This action needs one of the roles: admin/;

/**
 * The authorisation matrix, generated: every operation of the served OpenAPI document, every
 * staff role, and the credentials customers hold (a portal link, an RCA link). Expected roles come
 * from the route decorators (@Roles, @Public), which the README's permission table documents; the
 * document and the decorators must agree on what is public. A customer's link is a credential for
 * /portal and /rca only: presented to the API in any way a client could, it is no staff token.
 * Which customer's data a link reaches is test/hostile/portal-isolation.e2e.spec.ts.
 */
describe('authorisation matrix from the OpenAPI document', () => {
  let t: TestApp;
  let world: World;
  let operations: Operation[];
  const tokens = {} as Record<Role, string>;
  /** Genuine customer credentials, signed as the delivery worker and the portal sign them. */
  let customerTokens: { name: string; token: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    operations = await operationsFromOpenApi(t);
    for (const role of ROLES) tokens[role] = (await staffWithToken(t, [role], `matrix-${role}`)).auth;
    const links = t.app.get(SignedLinks);
    const portal = links.portalUrl(world.customerId, world.contactId).split('/portal/')[1];
    const rca = links.sign(
      {
        purpose: 'rca',
        customerId: world.customerId,
        contactId: world.contactId,
        incidentId: world.incidentId,
        version: 1,
        language: 'en',
      },
      t.config.links.rcaTtlDays,
    );
    customerTokens = [
      { name: 'portal link token', token: portal },
      { name: 'RCA link token', token: rca },
    ];
  });
  afterAll(() => t.close());

  const call = (method: Method, path: string, auth: string | undefined) => {
    const req = t.http[method](path);
    if (auth !== undefined) req.set('Authorization', auth);
    return method === 'get' || method === 'delete' ? req : req.send({});
  };

  /** A path whose ids name nothing: an allowed caller gets past the guard and stops at 400/404, changing nothing. */
  const missingPath = (path: string) =>
    path.replace(/\{(\w+)\}/g, (_m, name: string) =>
      name === 'ref' ? 'SR-1999-000001' : '00000000-0000-4000-8000-000000000001',
    );

  it('covers a known, non-trivial API whose public operations are exactly the decorated public routes', () => {
    const access = declaredAccess(t);
    expect(operations.length).toBeGreaterThan(60);
    for (const op of operations) {
      const declared = access.get(`${op.method.toUpperCase()} ${op.path}`);
      expect({ call: op.call, found: declared !== undefined }).toEqual({ call: op.call, found: true });
      expect({ call: op.call, public: declared!.public }).toEqual({ call: op.call, public: op.public });
      if (op.public)
        expect({ call: op.call, allowedPublic: PUBLIC_PATHS.some((p) => p.test(op.path)) }).toEqual({
          call: op.call,
          allowedPublic: true,
        });
      for (const role of declared!.roles ?? []) expect(ROLES).toContain(role);
    }
  });

  it('answers 401 to every non-public operation without a token or with a bogus one, changing nothing', async () => {
    const before = await fullDbSnapshot(t.db);
    const checked: string[] = [];
    for (const op of operations.filter((o) => !o.public)) {
      for (const auth of [undefined, 'Bearer tcs_forged-0000000000000000000000000000']) {
        const res = await call(op.method, realPath(op.path, world), auth);
        if (res.status !== 401) throw new Error(`${op.call} without a valid token → ${res.status}`);
        expectError(res, 401, 'unauthenticated');
      }
      checked.push(op.call);
    }
    expect(checked.length).toBe(operations.filter((o) => !o.public).length);
    expect(await fullDbSnapshot(t.db)).toEqual(before);
  });

  it('answers 403 to every role the decorators do not allow, before touching anything', async () => {
    const access = declaredAccess(t);
    const before = await fullDbSnapshot(t.db);
    let refusals = 0;
    for (const op of operations.filter((o) => !o.public)) {
      const allowed = access.get(`${op.method.toUpperCase()} ${op.path}`)!.roles;
      if (!allowed) continue;
      for (const role of ROLES.filter((r) => r !== 'admin' && !allowed.includes(r))) {
        const res = await call(op.method, realPath(op.path, world), tokens[role]);
        if (res.status !== 403)
          throw new Error(`${op.call} as ${role} → ${res.status} (allowed: ${allowed})`);
        expectError(res, 403, 'forbidden');
        expect(res.body.message).toMatch(GUARD_MESSAGE);
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(100);
    expect(await fullDbSnapshot(t.db)).toEqual(before);
  });

  it('answers 401 to every non-public operation for a customer’s portal or RCA link, however presented, changing nothing', async () => {
    // The tokens are genuine: the portal opens with the link and the RCA link verifies.
    const [portal, rca] = customerTokens;
    const home = await t.http.get(`/portal/${portal.token}`);
    expect(home.status).toBe(200);
    expect(t.app.get(SignedLinks).verify(rca.token, 'rca')).toMatchObject({ customerId: world.customerId });
    // The portal sets no cookie (README, "Customer portal"); the only cookie session is the
    // board's, so a link is tried there too, alone and next to a bearer header.
    expect(home.headers['set-cookie']).toBeUndefined();
    const presentations = customerTokens.flatMap(({ name, token }) => [
      { name: `${name} as bearer`, headers: { Authorization: `Bearer ${token}` } },
      { name: `${name} as bearer, lowercase scheme`, headers: { Authorization: `bearer ${token}` } },
      { name: `${name} as raw Authorization`, headers: { Authorization: token } },
      { name: `${name} as the board cookie`, headers: { Cookie: `${BOARD_COOKIE}=${token}` } },
      {
        name: `${name} as bearer and board cookie`,
        headers: { Authorization: `Bearer ${token}`, Cookie: `${BOARD_COOKIE}=${token}` },
      },
      { name: `${name} as a full portal URL`, headers: { Authorization: `Bearer /portal/${token}` } },
    ]);
    const before = await fullDbSnapshot(t.db);
    let refusals = 0;
    for (const op of operations.filter((o) => !o.public)) {
      for (const { name, headers } of presentations) {
        const req = t.http[op.method](realPath(op.path, world)).set(headers);
        const res = await (op.method === 'get' || op.method === 'delete' ? req : req.send({}));
        if (res.status !== 401) throw new Error(`${op.call} with a ${name} → ${res.status}`);
        expectError(res, 401, 'unauthenticated');
        refusals++;
      }
    }
    expect(refusals).toBe(operations.filter((o) => !o.public).length * presentations.length);
    // The board, outside the document, is where a cookie session lives: a link opens none of it.
    for (const { token } of customerTokens) {
      const cookie = `${BOARD_COOKIE}=${token}`;
      const page = await t.http.get('/board').set('Cookie', cookie).expect(303);
      expect(page.headers.location).toBe('/board/login');
      expectError(await t.http.get('/board/events').set('Cookie', cookie), 401, 'unauthenticated');
      const login = await t.http.post('/board/login').type('form').send({ token }).expect(401);
      expect(login.headers['set-cookie']).toBeUndefined();
    }
    expect(await fullDbSnapshot(t.db)).toEqual(before);
  });

  it('lets every allowed role, and admin, past the guard on every operation', async () => {
    const access = declaredAccess(t);
    for (const op of operations.filter((o) => !o.public)) {
      const allowed = access.get(`${op.method.toUpperCase()} ${op.path}`)!.roles ?? ROLES;
      for (const role of new Set<Role>(['admin', ...allowed])) {
        const res = await call(op.method, missingPath(op.path), tokens[role]);
        const refused = res.status === 401 || (res.status === 403 && GUARD_MESSAGE.test(res.body.message));
        if (refused || res.status >= 500)
          throw new Error(`${op.call} as ${role} → ${res.status} ${JSON.stringify(res.body)}`);
      }
    }
  });

  it('keeps every write operation behind named roles, except escalating by hand (README, "Escalation")', () => {
    const access = declaredAccess(t);
    const open = operations
      .filter((o) => !o.public && o.method !== 'get')
      .filter((o) => access.get(`${o.method.toUpperCase()} ${o.path}`)!.roles === undefined)
      .map((o) => o.call);
    expect(open.sort()).toEqual([
      'POST /api/v1/incidents/{id}/escalations',
      'POST /api/v1/support-requests/{ref}/escalations',
    ]);
  });
});
