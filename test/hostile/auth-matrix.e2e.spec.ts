import { ROLES, Role } from '../../src/auth/roles';
import { BOARD_COOKIE } from '../../src/board/board-session';
import { SignedLinks } from '../../src/links/signed-links';
import { countRows, expectError, fullDbSnapshot } from '../support/api-assertions';
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

/** Routes that need no staff token (README, "Roles and permissions"): anything else public is a leak. */
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

  describe('state-changing page routes (README, "Design notes": cross-site posts)', () => {
    /** What another site can make a browser send: the fetch metadata, or on older browsers only Origin. */
    const CROSS_SITE: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { Origin: 'https://evil.example' },
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
    ];

    /** Every non-GET/HEAD/OPTIONS route outside /api/, from the route metadata (OpenAPI leaves pages out). */
    const pageWrites = () =>
      [...declaredAccess(t).keys()]
        .filter((key) => !/^(GET|HEAD|OPTIONS) /.test(key) && !key.split(' ')[1].startsWith('/api/'))
        .sort();

    /**
     * A request each known route would act on from our own pages (a valid token, a rendered form
     * with its nonce), so a refusal is the check's doing. A route added later without a recipe is
     * still posted to, with its parameters filled in and an empty form.
     */
    const recipes: Record<string, () => Promise<{ path: string; form: Record<string, string> }>> = {
      'POST /board/login': async () => ({
        path: '/board/login',
        form: { token: tokens.commander.replace(/^Bearer /, '') },
      }),
      'POST /board/logout': async () => ({ path: '/board/logout', form: {} }),
      'POST /portal/*': async () => {
        const supportPath = `/portal/${customerTokens[0].token}/support`;
        const html = (await t.http.get(supportPath).expect(200)).text;
        const nonce = /name="_form" value="([^"]+)"/.exec(html)![1];
        return {
          path: supportPath,
          form: {
            _form: nonce,
            contactName: 'EDI operations manager',
            contactEmail: 'edi-ops@logistics.example.com',
            description: 'Our invoices are not reaching the partner',
          },
        };
      },
    };
    const requestFor = (key: string) =>
      recipes[key]?.() ??
      Promise.resolve({
        path: missingPath(key.split(' ')[1]).replace(/\*/g, 'page'),
        form: {} as Record<string, string>,
      });
    const post = (
      key: string,
      path: string,
      form: Record<string, string>,
      headers: Record<string, string>,
    ) => {
      const method = key.split(' ')[0].toLowerCase() as Method;
      return t.http[method](path).type('form').set(headers).send(form);
    };

    it('lists the board’s sign-in and sign-out and the portal’s forms', () => {
      const routes = pageWrites();
      expect(routes.length).toBeGreaterThan(0);
      expect(routes).toEqual(
        expect.arrayContaining(['POST /board/login', 'POST /board/logout', 'POST /portal/*']),
      );
    });

    it('refuses every one posted from another site with 403, no cookie, nothing changed', async () => {
      const before = await fullDbSnapshot(t.db);
      let refusals = 0;
      for (const key of pageWrites()) {
        const { path, form } = await requestFor(key);
        for (const headers of CROSS_SITE) {
          const res = await post(key, path, form, headers);
          if (res.status !== 403) throw new Error(`${key} with ${JSON.stringify(headers)} → ${res.status}`);
          expectError(res, 403, 'cross_site_request');
          expect({ key, cookie: res.headers['set-cookie'] }).toEqual({ key, cookie: undefined });
          refusals++;
        }
      }
      expect(refusals).toBe(pageWrites().length * CROSS_SITE.length);
      expect(await fullDbSnapshot(t.db)).toEqual(before);
    });

    it('still takes the same requests from our own pages and from clients that send neither header', async () => {
      const login = await requestFor('POST /board/login');
      const ownPages: Record<string, string>[] = [
        { 'Sec-Fetch-Site': 'same-origin' },
        // A request the user started (typed URL, bookmark): no other site's doing.
        { 'Sec-Fetch-Site': 'none' },
        // Our no-referrer policy makes older browsers send "null" from our own pages.
        { Origin: 'null' },
        { Origin: t.config.publicBaseUrl },
        {},
      ];
      for (const headers of ownPages) {
        const res = await post('POST /board/login', login.path, login.form, headers).expect(303);
        expect(res.headers['set-cookie']?.[0]).toMatch(new RegExp(`^${BOARD_COOKIE}=`));
      }
      const logout = await post(
        'POST /board/logout',
        '/board/logout',
        {},
        { 'Sec-Fetch-Site': 'same-origin' },
      );
      expect(logout.status).toBe(303);
      expect(logout.headers['set-cookie']?.[0]).toMatch(new RegExp(`^${BOARD_COOKIE}=;`));
      const portal = await requestFor('POST /portal/*');
      const requests = await countRows(t.db, 'support_requests');
      await post('POST /portal/*', portal.path, portal.form, { 'Sec-Fetch-Site': 'same-origin' }).expect(303);
      expect(await countRows(t.db, 'support_requests')).toBe(requests + 1);
      // The API is for bearer tokens, which a browser never adds to another site's request.
      await t.http
        .post('/api/v1/services')
        .set({ Authorization: t.admin, 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' })
        .send({ key: 'cross-site-api', name: 'Called with a token' })
        .expect(201);
    });
  });
});
