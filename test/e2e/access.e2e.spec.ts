import { ROLES, Role } from '../../src/auth/roles';
import { dbSnapshot, expectError } from '../support/api-assertions';
import { createCustomer, createService, declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;
type Method = 'get' | 'post' | 'patch' | 'delete';

/** Authentication (401), the role matrix (403) and confidentiality of security breaches (404). */
describe('access', () => {
  let t: TestApp;
  let n = 0;
  const unique = () => `${++n}`;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const call = (method: Method, path: string, auth: string | undefined, body?: object) => {
    const req = t.http[method](path);
    if (auth !== undefined) req.set('Authorization', auth);
    return body === undefined ? req : req.send(body);
  };

  const issue = async (staffMemberId: string, extra: object = {}) =>
    (
      await t.http
        .post('/api/v1/tokens')
        .set('Authorization', t.admin)
        .send({ staffMemberId, name: 'access test', roles: ['commander'], ...extra })
        .expect(201)
    ).body as { id: string; token: string };

  describe('authentication', () => {
    let owner: Staff;

    beforeAll(async () => {
      owner = await staffWithToken(t, ['commander'], 'auth-owner');
    });

    it.each([
      ['no Authorization header', undefined],
      ['an empty Authorization header', ''],
      ['a garbage bearer token', 'Bearer tcs_not-a-real-token-000000000000000000'],
      ['a Basic credential', 'Basic YWRtaW46YWRtaW4='],
      ['the admin secret without the Bearer scheme', 'tcs_test-admin-token-0123456789abcdef'],
      ['a bearer token with trailing garbage', 'Bearer tcs_test-admin-token-0123456789abcdef extra'],
    ])('answers 401 unauthenticated to %s, on reads and writes, storing nothing', async (_name, auth) => {
      const before = await dbSnapshot(t.db);
      for (const [method, path, body] of [
        ['get', '/api/v1/incidents', undefined],
        ['get', '/api/v1/services', undefined],
        ['get', '/api/v1/tokens', undefined],
        ['post', '/api/v1/incidents', { title: 'x', kind: 'service_disruption', severity: 2 }],
        ['post', '/api/v1/staff', { name: 'Intruder', email: 'intruder@example.com' }],
        ['delete', `/api/v1/tokens/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`, undefined],
      ] as [Method, string, object | undefined][]) {
        expectError(await call(method, path, auth, body), 401, 'unauthenticated');
      }
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('accepts the scheme in any case', async () => {
      await call('get', '/api/v1/services', owner.auth.replace('Bearer', 'bearer')).expect(200);
    });

    it('serves /health without a token', async () => {
      const res = await t.http.get('/health').expect(200);
      expect(res.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    });

    it('refuses a revoked token from the moment it is revoked', async () => {
      const token = await issue(owner.staffId);
      const auth = `Bearer ${token.token}`;
      await call('get', '/api/v1/incidents', auth).expect(200);
      await call('delete', `/api/v1/tokens/${token.id}`, t.admin).expect(204);
      expectError(await call('get', '/api/v1/incidents', auth), 401, 'unauthenticated');
      // The owner's other tokens keep working.
      await call('get', '/api/v1/incidents', owner.auth).expect(200);
    });

    it('refuses a token once the clock passes its expiry', async () => {
      const expiresAt = new Date(t.clock.now().getTime() + 60 * 60_000);
      const token = await issue(owner.staffId, { expiresAt: expiresAt.toISOString() });
      const auth = `Bearer ${token.token}`;
      t.clock.advanceMinutes(59);
      await call('get', '/api/v1/incidents', auth).expect(200);
      t.clock.set(expiresAt);
      expectError(await call('get', '/api/v1/incidents', auth), 401, 'unauthenticated');
      t.clock.advanceMinutes(1);
      expectError(
        await call('post', '/api/v1/incidents', auth, {
          title: 'x',
          kind: 'service_disruption',
          severity: 2,
        }),
        401,
        'unauthenticated',
      );
      const listed = (await call('get', '/api/v1/tokens?limit=200', t.admin)).body.items.find(
        (x: { id: string }) => x.id === token.id,
      );
      expect(listed).toMatchObject({ expiresAt: expiresAt.toISOString(), revokedAt: null });
    });

    it("stops a deactivated staff member's tokens, and restores them on reactivation", async () => {
      const member = await staffWithToken(t, ['commander'], 'seasonal');
      await call('get', '/api/v1/incidents', member.auth).expect(200);
      await call('patch', `/api/v1/staff/${member.staffId}`, t.admin, { active: false }).expect(200);
      expectError(await call('get', '/api/v1/incidents', member.auth), 401, 'unauthenticated');
      await call('patch', `/api/v1/staff/${member.staffId}`, t.admin, { active: true }).expect(200);
      await call('get', '/api/v1/incidents', member.auth).expect(200);
    });
  });

  describe('roles', () => {
    const tokens = {} as Record<Role, Staff>;

    beforeAll(async () => {
      for (const role of ROLES) tokens[role] = await staffWithToken(t, [role], `only-${role}`);
    });

    const staff = async () =>
      (
        await t.http
          .post('/api/v1/staff')
          .set('Authorization', t.admin)
          .send({ name: `Target staff ${unique()}`, email: `target.${unique()}@example.com` })
          .expect(201)
      ).body.id as string;
    const incident = async () =>
      (await declareIncident(t, t.admin, { title: `Matrix incident ${unique()}` })).id;

    /**
     * Every write endpoint, the roles besides admin allowed to call it (the @Roles decorators,
     * matching the README's table), and how to build a call that succeeds for an allowed role.
     */
    const WRITES: {
      call: string;
      allowed: Role[];
      ok: number;
      prepare: () => Promise<{ path: string; body?: object }>;
    }[] = [
      {
        call: 'POST /api/v1/services',
        allowed: ['commander'],
        ok: 201,
        prepare: async () => ({
          path: '/api/v1/services',
          body: { key: `svc-${unique()}`, name: 'Fax relay' },
        }),
      },
      {
        call: 'PATCH /api/v1/services/{id}',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => ({
          path: `/api/v1/services/${(await createService(t)).id}`,
          body: { name: 'Renamed' },
        }),
      },
      {
        call: 'POST /api/v1/customers',
        allowed: ['commander'],
        ok: 201,
        prepare: async () => ({
          path: '/api/v1/customers',
          body: { name: `Matrix Customer ${unique()}`, language: 'en' },
        }),
      },
      {
        call: 'PATCH /api/v1/customers/{id}',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => ({
          path: `/api/v1/customers/${(await createCustomer(t, [])).id}`,
          body: { language: 'de' },
        }),
      },
      {
        call: 'POST /api/v1/customers/{id}/contacts',
        allowed: ['commander'],
        ok: 201,
        prepare: async () => ({
          path: `/api/v1/customers/${(await createCustomer(t, [])).id}/contacts`,
          body: { name: 'Service desk', email: `desk.${unique()}@customer.example.net` },
        }),
      },
      {
        call: 'PATCH /api/v1/customers/{id}/contacts/{contactId}',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => {
          const customer = await createCustomer(t, []);
          return {
            path: `/api/v1/customers/${customer.id}/contacts/${customer.contacts[0].id}`,
            body: { receivesNotices: false },
          };
        },
      },
      {
        call: 'POST /api/v1/staff',
        allowed: [],
        ok: 201,
        prepare: async () => ({
          path: '/api/v1/staff',
          body: { name: 'On-call engineer', email: `on-call.${unique()}@example.com` },
        }),
      },
      {
        call: 'PATCH /api/v1/staff/{id}',
        allowed: [],
        ok: 200,
        prepare: async () => ({
          path: `/api/v1/staff/${await staff()}`,
          body: { phone: '+33 1 00 00 00 07' },
        }),
      },
      {
        call: 'POST /api/v1/tokens',
        allowed: [],
        ok: 201,
        prepare: async () => ({
          path: '/api/v1/tokens',
          body: { staffMemberId: await staff(), name: 'escalation', roles: ['admin'] },
        }),
      },
      {
        call: 'DELETE /api/v1/tokens/{id}',
        allowed: [],
        ok: 204,
        prepare: async () => ({ path: `/api/v1/tokens/${(await issue(await staff())).id}` }),
      },
      {
        call: 'POST /api/v1/incidents',
        allowed: ['commander'],
        ok: 201,
        prepare: async () => ({
          path: '/api/v1/incidents',
          body: { title: 'Matrix declaration', kind: 'service_disruption', severity: 3 },
        }),
      },
      {
        call: 'PATCH /api/v1/incidents/{id}',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => ({
          path: `/api/v1/incidents/${await incident()}`,
          body: { status: 'investigating' },
        }),
      },
      {
        call: 'POST /api/v1/incidents/{id}/resolve',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => ({
          path: `/api/v1/incidents/${await incident()}/resolve`,
          body: { summary: 'Fixed' },
        }),
      },
      {
        call: 'POST /api/v1/incidents/{id}/close',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => {
          const id = await incident();
          await call('post', `/api/v1/incidents/${id}/resolve`, t.admin, { summary: 'Fixed' }).expect(200);
          await t.db.query('UPDATE incidents SET postmortem_approved_at = updated_at WHERE id = $1', [id]);
          return { path: `/api/v1/incidents/${id}/close`, body: {} };
        },
      },
      {
        call: 'POST /api/v1/incidents/{id}/participants',
        allowed: ['commander'],
        ok: 201,
        prepare: async () => ({
          path: `/api/v1/incidents/${await incident()}/participants`,
          body: { staffMemberId: await staff(), role: 'sme', domain: 'SMTP' },
        }),
      },
      {
        call: 'DELETE /api/v1/incidents/{id}/participants/{participantId}',
        allowed: ['commander'],
        ok: 200,
        prepare: async () => {
          const id = await incident();
          const joined = await call('post', `/api/v1/incidents/${id}/participants`, t.admin, {
            staffMemberId: await staff(),
            role: 'communications_lead',
          }).expect(201);
          return { path: `/api/v1/incidents/${id}/participants/${joined.body.id}` };
        },
      },
    ];

    const MATRIX = WRITES.flatMap((endpoint) =>
      ROLES.map((role) => {
        const allowed = role === 'admin' || endpoint.allowed.includes(role);
        return [endpoint.call, role, allowed ? 'allowed' : 'forbidden', endpoint] as const;
      }),
    );

    it.each(MATRIX)('%s as %s: %s', async (call_, role, verdict, endpoint) => {
      const { path, body } = await endpoint.prepare();
      const method = call_.split(' ')[0].toLowerCase() as Method;
      if (verdict === 'allowed') {
        const res = await call(method, path, tokens[role].auth, body);
        expect({ status: res.status, body: res.body }).toEqual({
          status: endpoint.ok,
          body: expect.anything(),
        });
        return;
      }
      const before = await dbSnapshot(t.db);
      const res = await call(method, path, tokens[role].auth, body);
      expectError(res, 403, 'forbidden');
      expect(res.body.message).toContain(['admin', ...endpoint.allowed].join(', '));
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('gives a token holding several roles the union of their rights', async () => {
      const both = await staffWithToken(t, ['support', 'commander'], 'support-and-commander');
      await declareIncident(t, both.auth, {});
      const many = await staffWithToken(
        t,
        ['notifier', 'investigator', 'postmortem', 'support'],
        'all-but-commander',
      );
      expectError(
        await call('post', '/api/v1/incidents', many.auth, {
          title: 'x',
          kind: 'service_disruption',
          severity: 2,
        }),
        403,
        'forbidden',
      );
    });

    describe('reads', () => {
      let ids: { service: string; customer: string; staff: string; incident: string };

      beforeAll(async () => {
        const customer = await createCustomer(t, [(await createService(t)).id]);
        ids = {
          service: (await createService(t)).id,
          customer: customer.id,
          staff: tokens.support.staffId,
          incident: await incident(),
        };
      });

      it.each(ROLES)('%s reads the catalogue, staff and non-confidential incidents', async (role) => {
        const auth = tokens[role].auth;
        for (const path of [
          '/api/v1/services',
          `/api/v1/services/${ids.service}`,
          '/api/v1/customers',
          `/api/v1/customers/${ids.customer}`,
          `/api/v1/customers/${ids.customer}/contacts`,
          '/api/v1/staff',
          `/api/v1/staff/${ids.staff}`,
          '/api/v1/incidents',
          `/api/v1/incidents/${ids.incident}`,
          `/api/v1/incidents/${ids.incident}/timeline`,
          `/api/v1/incidents/${ids.incident}/participants`,
        ]) {
          const res = await call('get', path, auth);
          expect({ path, status: res.status }).toEqual({ path, status: 200 });
        }
        const list = await call('get', '/api/v1/incidents?limit=200', auth);
        expect(list.body.items.map((i: { id: string }) => i.id)).toContain(ids.incident);
      });

      it.each(ROLES)('%s may list tokens only as admin', async (role) => {
        const res = await call('get', '/api/v1/tokens', tokens[role].auth);
        if (role === 'admin') expect(res.status).toBe(200);
        else expectError(res, 403, 'forbidden');
      });
    });
  });

  describe('confidential incidents (security breaches)', () => {
    let lead: Staff; // commands the breach
    let outsider: Staff; // a commander who is not on it
    let breach: { id: string; reference: string };
    let others: Record<Exclude<Role, 'admin' | 'commander'>, Staff>;

    beforeAll(async () => {
      lead = await staffWithToken(t, ['commander'], 'breach-lead');
      outsider = await staffWithToken(t, ['commander'], 'outsider');
      others = {
        notifier: await staffWithToken(t, ['notifier'], 'breach-notifier'),
        investigator: await staffWithToken(t, ['investigator'], 'breach-investigator'),
        postmortem: await staffWithToken(t, ['postmortem'], 'breach-postmortem'),
        support: await staffWithToken(t, ['support'], 'breach-support'),
      };
      breach = await declareIncident(t, t.admin, {
        title: 'Confidential: leaked partner credentials',
        kind: 'security_breach',
        severity: 1,
        commanderId: lead.staffId,
      });
    });

    const sees = async (auth: string) => {
      const one = await call('get', `/api/v1/incidents/${breach.id}`, auth);
      const byReference = await call('get', `/api/v1/incidents/${breach.reference}`, auth);
      const list = await call('get', '/api/v1/incidents?limit=200', auth);
      const search = await call('get', `/api/v1/incidents?q=${breach.reference}`, auth);
      const listed = list.body.items.some((i: { id: string }) => i.id === breach.id);
      if (one.status === 200) {
        expect(one.body).toMatchObject({ id: breach.id, confidential: true });
        expect(byReference.status).toBe(200);
        expect(listed).toBe(true);
        expect(search.body).toMatchObject({ total: 1 });
        return true;
      }
      // Not "forbidden": for them it does not exist.
      expectError(one, 404, 'incident.not_found');
      expectError(byReference, 404, 'incident.not_found');
      expect(listed).toBe(false);
      expect(list.body.total).toBe(list.body.items.length);
      expect(search.body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
      return false;
    };

    it('is visible to admins and to its participants', async () => {
      expect(await sees(t.admin)).toBe(true);
      expect(await sees(lead.auth)).toBe(true);
    });

    it('does not exist for staff who are not on it, whatever their role', async () => {
      expect(await sees(outsider.auth)).toBe(false);
      for (const member of Object.values(others)) expect(await sees(member.auth)).toBe(false);
    });

    it('cannot be changed or read in parts by a commander who is not on it', async () => {
      const before = await dbSnapshot(t.db);
      for (const [method, suffix, body] of [
        ['get', '/timeline', undefined],
        ['get', '/participants', undefined],
        ['patch', '', { title: 'Nothing to see' }],
        ['post', '/participants', { staffMemberId: outsider.staffId, role: 'sme' }],
        ['post', '/resolve', { summary: 'Closed it myself' }],
        ['post', '/close', { reason: 'Closed it myself' }],
      ] as [Method, string, object | undefined][]) {
        expectError(
          await call(method, `/api/v1/incidents/${breach.id}${suffix}`, outsider.auth, body),
          404,
          'incident.not_found',
        );
      }
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('becomes visible when someone joins it, and invisible again when they leave', async () => {
      const joined = await call('post', `/api/v1/incidents/${breach.id}/participants`, lead.auth, {
        staffMemberId: others.investigator.staffId,
        role: 'sme',
        domain: 'PKI',
      }).expect(201);
      expect(await sees(others.investigator.auth)).toBe(true);
      await call('get', `/api/v1/incidents/${breach.id}/timeline`, others.investigator.auth).expect(200);
      expect(await sees(others.support.auth)).toBe(false);

      await call('delete', `/api/v1/incidents/${breach.id}/participants/${joined.body.id}`, lead.auth).expect(
        200,
      );
      expect(await sees(others.investigator.auth)).toBe(false);
    });

    it('lets a commander who joins act on it, and hides it from the old commander after a hand-over', async () => {
      const joined = await call('post', `/api/v1/incidents/${breach.id}/participants`, lead.auth, {
        staffMemberId: outsider.staffId,
        role: 'investigation_lead',
      }).expect(201);
      expect(await sees(outsider.auth)).toBe(true);
      await call('patch', `/api/v1/incidents/${breach.id}`, outsider.auth, {
        status: 'investigating',
      }).expect(200);

      await call('patch', `/api/v1/incidents/${breach.id}`, lead.auth, {
        commanderId: outsider.staffId,
      }).expect(200);
      expect(await sees(lead.auth)).toBe(false);
      expect(await sees(outsider.auth)).toBe(true);

      // Leaving one role keeps the incident visible while another one is held.
      await call(
        'delete',
        `/api/v1/incidents/${breach.id}/participants/${joined.body.id}`,
        outsider.auth,
      ).expect(200);
      expect(await sees(outsider.auth)).toBe(true);
    });

    it('is shown once to a declarer who names someone else as commander, then hidden from them', async () => {
      const declared = await declareIncident(t, outsider.auth, {
        title: 'Confidential: suspicious logins on the portal',
        kind: 'security_breach',
        commanderId: lead.staffId,
      });
      expect(declared).toMatchObject({ confidential: true, commander: { id: lead.staffId } });
      expectError(
        await call('get', `/api/v1/incidents/${declared.id}`, outsider.auth),
        404,
        'incident.not_found',
      );
      await call('get', `/api/v1/incidents/${declared.id}`, lead.auth).expect(200);
    });
  });
});
