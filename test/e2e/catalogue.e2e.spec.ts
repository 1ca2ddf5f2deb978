import { randomUUID } from 'node:crypto';
import { expectError } from '../support/api-assertions';
import { createService, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

/** Happy paths of the catalogue (services, customers, contacts), staff and tokens. */
describe('catalogue, staff and tokens', () => {
  let t: TestApp;
  let commander: Awaited<ReturnType<typeof staffWithToken>>;

  beforeAll(async () => {
    t = await startTestApp();
    commander = await staffWithToken(t, ['commander']);
  });
  afterAll(() => t.close());

  describe('services', () => {
    it('creates, reads, lists and renames a service', async () => {
      const created = await t.http
        .post('/api/v1/services')
        .set('Authorization', commander.auth)
        .send({ key: 'as2-gateway', name: 'AS2 gateway', description: 'Inbound and outbound AS2' })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        key: 'as2-gateway',
        name: 'AS2 gateway',
        description: 'Inbound and outbound AS2',
      });

      const one = await t.http
        .get(`/api/v1/services/${created.body.id}`)
        .set('Authorization', commander.auth)
        .expect(200);
      expect(one.body).toEqual(created.body);

      const renamed = await t.http
        .patch(`/api/v1/services/${created.body.id}`)
        .set('Authorization', commander.auth)
        .send({ name: 'AS2 gateway (EU)' })
        .expect(200);
      // A partial PATCH answers with the whole record, untouched fields included.
      expect(renamed.body).toEqual({ ...created.body, name: 'AS2 gateway (EU)' });
      const after = await t.http.get(`/api/v1/services/${created.body.id}`).set('Authorization', t.admin);
      expect(after.body).toEqual(renamed.body);

      const described = await t.http
        .patch(`/api/v1/services/${created.body.id}`)
        .set('Authorization', commander.auth)
        .send({ description: '' })
        .expect(200);
      expect(described.body).toEqual({ ...renamed.body, description: '' });
    });

    it('lists services by name with pagination', async () => {
      for (const [key, name] of [
        ['sftp', 'SFTP'],
        ['fax', 'Fax relay'],
        ['mail-gw', 'E-mail gateway'],
      ]) {
        await createService(t, key, name);
      }
      const all = await t.http.get('/api/v1/services').set('Authorization', commander.auth).expect(200);
      expect(all.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(all.body.items.map((s: { name: string }) => s.name)).toEqual([
        'AS2 gateway (EU)',
        'E-mail gateway',
        'Fax relay',
        'SFTP',
      ]);

      const page = await t.http
        .get('/api/v1/services?limit=2&offset=1')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(page.body.items.map((s: { key: string }) => s.key)).toEqual(['mail-gw', 'fax']);

      const past = await t.http
        .get('/api/v1/services?offset=10')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(past.body).toEqual({ items: [], total: 4, limit: 50, offset: 10 });
    });
  });

  describe('customers and contacts', () => {
    let edi: { id: string };
    let fax: { id: string };
    let portal: { id: string };
    let customerId: string;

    beforeAll(async () => {
      edi = await createService(t, 'edi-van', 'EDI VAN');
      fax = await createService(t, 'fax-out', 'Outbound fax');
      portal = await createService(t, 'web-portal', 'Web portal');
    });

    it('creates a customer with contacts and subscriptions', async () => {
      const res = await t.http
        .post('/api/v1/customers')
        .set('Authorization', commander.auth)
        .send({
          name: 'Northwind Freight SA',
          language: 'fr',
          serviceIds: [fax.id, edi.id],
          contacts: [
            {
              name: 'Head of IT operations',
              email: 'it-ops@northwind.example.net',
              phone: '+33 1 00 00 00 02',
            },
          ],
        })
        .expect(201);
      customerId = res.body.id;
      expect(res.body).toEqual({
        id: expect.any(String),
        name: 'Northwind Freight SA',
        language: 'fr',
        contacts: [
          {
            id: expect.any(String),
            customerId,
            name: 'Head of IT operations',
            email: 'it-ops@northwind.example.net',
            phone: '+33 1 00 00 00 02',
            language: 'fr',
            receivesNotices: true,
          },
        ],
        services: [
          { id: edi.id, key: 'edi-van', name: 'EDI VAN', description: null },
          { id: fax.id, key: 'fax-out', name: 'Outbound fax', description: null },
        ],
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const one = await t.http.get(`/api/v1/customers/${customerId}`).set('Authorization', commander.auth);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(res.body);
    });

    it('lists customers filtered by name and by subscribed service, with pagination', async () => {
      for (const [name, services] of [
        ['Contoso Logistics', [edi.id]],
        ['Fabrikam Retail', [portal.id]],
        ['Northwind Pharma', []],
      ] as const) {
        await t.http
          .post('/api/v1/customers')
          .set('Authorization', commander.auth)
          .send({ name, language: 'en', serviceIds: services })
          .expect(201);
      }
      const names = (res: { body: { items: { name: string }[] } }) => res.body.items.map((c) => c.name);

      const all = await t.http.get('/api/v1/customers').set('Authorization', commander.auth).expect(200);
      expect(all.body).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(names(all)).toEqual([
        'Contoso Logistics',
        'Fabrikam Retail',
        'Northwind Freight SA',
        'Northwind Pharma',
      ]);

      const byName = await t.http
        .get('/api/v1/customers?q=NORTHWIND')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(byName.body.total).toBe(2);
      expect(names(byName)).toEqual(['Northwind Freight SA', 'Northwind Pharma']);

      // LIKE wildcards in q are literal characters.
      const wildcard = await t.http
        .get('/api/v1/customers?q=%25')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(wildcard.body.total).toBe(0);

      const byService = await t.http
        .get(`/api/v1/customers?serviceId=${edi.id}`)
        .set('Authorization', commander.auth)
        .expect(200);
      expect(names(byService)).toEqual(['Contoso Logistics', 'Northwind Freight SA']);

      const both = await t.http
        .get(`/api/v1/customers?serviceId=${edi.id}&q=north`)
        .set('Authorization', commander.auth)
        .expect(200);
      expect(names(both)).toEqual(['Northwind Freight SA']);

      const page = await t.http
        .get('/api/v1/customers?limit=2&offset=2')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 4, limit: 2, offset: 2 });
      expect(names(page)).toEqual(['Northwind Freight SA', 'Northwind Pharma']);
      // List items carry their contacts and services like the single read.
      expect(page.body.items[0].contacts).toHaveLength(1);
      expect(page.body.items[0].services).toHaveLength(2);
    });

    it('edits a customer and replaces its subscriptions', async () => {
      const res = await t.http
        .patch(`/api/v1/customers/${customerId}`)
        .set('Authorization', commander.auth)
        .send({ name: 'Northwind Freight SAS', language: 'en', serviceIds: [portal.id] })
        .expect(200);
      expect(res.body).toMatchObject({ id: customerId, name: 'Northwind Freight SAS', language: 'en' });
      expect(res.body.services.map((s: { id: string }) => s.id)).toEqual([portal.id]);
      // Contacts without their own language follow the customer's.
      expect(res.body.contacts[0]).toMatchObject({ email: 'it-ops@northwind.example.net', language: 'en' });

      const oldService = await t.http
        .get(`/api/v1/customers?serviceId=${edi.id}`)
        .set('Authorization', commander.auth);
      expect(oldService.body.items.map((c: { id: string }) => c.id)).not.toContain(customerId);
      const newService = await t.http
        .get(`/api/v1/customers?serviceId=${portal.id}`)
        .set('Authorization', commander.auth);
      expect(newService.body.items.map((c: { id: string }) => c.id)).toContain(customerId);

      // Without serviceIds the subscriptions stay; an empty list removes them all.
      const renamed = await t.http
        .patch(`/api/v1/customers/${customerId}`)
        .set('Authorization', commander.auth)
        .send({ name: 'Northwind Freight' })
        .expect(200);
      expect(renamed.body.services.map((s: { id: string }) => s.id)).toEqual([portal.id]);
      const emptied = await t.http
        .patch(`/api/v1/customers/${customerId}`)
        .set('Authorization', commander.auth)
        .send({ serviceIds: [] })
        .expect(200);
      expect(emptied.body.services).toEqual([]);
      expect(emptied.body.name).toBe('Northwind Freight');
      const rows = await t.db.query(
        'SELECT count(*)::int AS n FROM customer_subscriptions WHERE customer_id = $1',
        [customerId],
      );
      expect(rows[0].n).toBe(0);
    });

    it('adds, lists and edits contacts', async () => {
      const added = await t.http
        .post(`/api/v1/customers/${customerId}/contacts`)
        .set('Authorization', commander.auth)
        .send({
          name: 'Service desk',
          email: 'desk@northwind.example.net',
          language: 'de',
          receivesNotices: false,
        })
        .expect(201);
      expect(added.body).toEqual({
        id: expect.any(String),
        customerId,
        name: 'Service desk',
        email: 'desk@northwind.example.net',
        phone: null,
        language: 'de',
        receivesNotices: false,
      });

      const list = await t.http
        .get(`/api/v1/customers/${customerId}/contacts`)
        .set('Authorization', commander.auth)
        .expect(200);
      expect(list.body).toHaveLength(2);
      expect(list.body).toContainEqual(added.body);

      const edited = await t.http
        .patch(`/api/v1/customers/${customerId}/contacts/${added.body.id}`)
        .set('Authorization', commander.auth)
        .send({ receivesNotices: true, phone: '+49 30 000000' })
        .expect(200);
      // A partial PATCH answers with the whole contact, untouched fields included.
      expect(edited.body).toEqual({ ...added.body, receivesNotices: true, phone: '+49 30 000000' });

      const backToCustomerLanguage = await t.http
        .patch(`/api/v1/customers/${customerId}/contacts/${added.body.id}`)
        .set('Authorization', commander.auth)
        .send({ language: null, email: 'service-desk@northwind.example.net' })
        .expect(200);
      expect(backToCustomerLanguage.body).toEqual({
        ...edited.body,
        language: 'en',
        email: 'service-desk@northwind.example.net',
      });

      const customer = await t.http
        .get(`/api/v1/customers/${customerId}`)
        .set('Authorization', commander.auth);
      expect(customer.body.contacts).toContainEqual(backToCustomerLanguage.body);
    });

    it('refuses a second contact with the same e-mail (any case) on one customer', async () => {
      const res = await t.http
        .post(`/api/v1/customers/${customerId}/contacts`)
        .set('Authorization', commander.auth)
        .send({ name: 'Duplicate', email: 'IT-OPS@northwind.example.net' });
      expectError(res, 409, 'contact.email_taken');
    });

    it('answers 404 for an unknown customer or contact', async () => {
      expectError(
        await t.http.get(`/api/v1/customers/${randomUUID()}`).set('Authorization', commander.auth),
        404,
        'customer.not_found',
      );
      expectError(
        await t.http
          .patch(`/api/v1/customers/${customerId}/contacts/${randomUUID()}`)
          .set('Authorization', commander.auth)
          .send({ name: 'Nobody' }),
        404,
        'contact.not_found',
      );
      expectError(
        await t.http.get(`/api/v1/services/${randomUUID()}`).set('Authorization', commander.auth),
        404,
        'service.not_found',
      );
    });
  });

  describe('staff', () => {
    it('adds, reads, lists and edits staff members', async () => {
      const created = await t.http
        .post('/api/v1/staff')
        .set('Authorization', t.admin)
        .send({
          name: 'Night-shift incident commander',
          email: 'night.commander@example.com',
          phone: '+33 1 00 00 00 09',
        })
        .expect(201);
      expect(created.body).toEqual({
        id: expect.any(String),
        name: 'Night-shift incident commander',
        email: 'night.commander@example.com',
        phone: '+33 1 00 00 00 09',
        active: true,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const one = await t.http.get(`/api/v1/staff/${created.body.id}`).set('Authorization', commander.auth);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(created.body);

      const list = await t.http
        .get('/api/v1/staff?limit=200')
        .set('Authorization', commander.auth)
        .expect(200);
      expect(list.body.items).toContainEqual(created.body);
      // The bootstrap admin, the commander of this file and the new member.
      expect(list.body).toMatchObject({ total: 3, limit: 200, offset: 0 });

      const deactivated = await t.http
        .patch(`/api/v1/staff/${created.body.id}`)
        .set('Authorization', t.admin)
        .send({ active: false })
        .expect(200);
      // A partial PATCH answers with the whole record, untouched fields included.
      expect(deactivated.body).toEqual({ ...created.body, active: false, updatedAt: expect.any(String) });

      const edited = await t.http
        .patch(`/api/v1/staff/${created.body.id}`)
        .set('Authorization', t.admin)
        .send({ name: 'Day-shift incident commander', phone: null, active: true })
        .expect(200);
      expect(edited.body).toEqual({
        ...created.body,
        name: 'Day-shift incident commander',
        phone: null,
        updatedAt: expect.any(String),
      });
      const reread = await t.http.get(`/api/v1/staff/${created.body.id}`).set('Authorization', t.admin);
      expect(reread.body).toEqual(edited.body);
    });

    it('answers 404 for an unknown staff member', async () => {
      expectError(
        await t.http.get(`/api/v1/staff/${randomUUID()}`).set('Authorization', t.admin),
        404,
        'staff_member.not_found',
      );
    });
  });

  describe('tokens', () => {
    it('lists tokens a page at a time, oldest first, revoked ones included', async () => {
      const list = (query: string) => t.http.get(`/api/v1/tokens${query}`).set('Authorization', t.admin);
      await staffWithToken(t, ['notifier'], 'paged-notifier');
      const revoked = await staffWithToken(t, ['support'], 'paged-support');
      const all = await list('?limit=200').expect(200);
      const tokens = all.body.items as {
        id: string;
        name: string;
        createdAt: string;
        revokedAt: string | null;
      }[];
      expect(all.body).toMatchObject({ total: tokens.length, limit: 200, offset: 0 });
      expect(tokens.length).toBeGreaterThanOrEqual(4);
      expect(tokens[0].name).toBe('bootstrap admin');
      const created = tokens.map((token) => token.createdAt);
      expect(created).toEqual([...created].sort());

      const byDefault = await list('').expect(200);
      expect(byDefault.body).toMatchObject({ total: tokens.length, limit: 50, offset: 0 });
      const page = await list('?limit=2&offset=1').expect(200);
      expect(page.body).toEqual({ items: tokens.slice(1, 3), total: tokens.length, limit: 2, offset: 1 });
      const past = await list(`?offset=${tokens.length}`).expect(200);
      expect(past.body).toEqual({ items: [], total: tokens.length, limit: 50, offset: tokens.length });

      const victim = tokens.find((token) => token.name === 'paged-support token')!;
      await t.http.delete(`/api/v1/tokens/${victim.id}`).set('Authorization', t.admin).expect(204);
      expectError(
        await t.http.get('/api/v1/services').set('Authorization', revoked.auth),
        401,
        'unauthenticated',
      );
      const after = await list('?limit=200').expect(200);
      expect(after.body.total).toBe(tokens.length);
      expect(
        after.body.items.find((token: { id: string }) => token.id === victim.id).revokedAt,
      ).not.toBeNull();

      for (const [query, field] of [
        ['?limit=0', 'limit'],
        ['?limit=201', 'limit'],
        ['?offset=-1', 'offset'],
        ['?limit=ten', 'limit'],
      ]) {
        const res = await list(query);
        expectError(res, 400, 'validation_failed');
        expect({
          query,
          fields: [...new Set(res.body.details.map((d: { field: string }) => d.field))],
        }).toEqual({
          query,
          fields: [field],
        });
      }
    });

    it('shows the secret once, lists tokens without secrets, and a revoked token stops working', async () => {
      const staff = await t.http
        .post('/api/v1/staff')
        .set('Authorization', t.admin)
        .send({ name: 'Communications lead', email: 'comms.lead@example.com' })
        .expect(201);
      const issued = await t.http
        .post('/api/v1/tokens')
        .set('Authorization', t.admin)
        .send({
          staffMemberId: staff.body.id,
          name: 'comms laptop',
          roles: ['notifier', 'commander', 'notifier'],
        })
        .expect(201);
      const secret: string = issued.body.token;
      expect(secret).toMatch(/^tcs_[A-Za-z0-9_-]{40,}$/);
      expect(issued.body).toEqual({
        id: expect.any(String),
        staffMemberId: staff.body.id,
        staffMemberName: 'Communications lead',
        name: 'comms laptop',
        prefix: secret.slice(0, 10),
        roles: ['notifier', 'commander'],
        createdAt: expect.any(String),
        expiresAt: null,
        lastUsedAt: null,
        revokedAt: null,
        token: secret,
      });
      const auth = `Bearer ${secret}`;

      await t.http.get('/api/v1/services').set('Authorization', auth).expect(200);

      const list = await t.http.get('/api/v1/tokens?limit=200').set('Authorization', t.admin).expect(200);
      const raw = JSON.stringify(list.body);
      expect(raw).not.toContain(secret);
      for (const token of list.body.items) {
        expect(Object.keys(token).sort()).toEqual(
          [
            'createdAt',
            'expiresAt',
            'id',
            'lastUsedAt',
            'name',
            'prefix',
            'revokedAt',
            'roles',
            'staffMemberId',
            'staffMemberName',
          ].sort(),
        );
      }
      const listed = list.body.items.find((token: { id: string }) => token.id === issued.body.id);
      expect(listed).toMatchObject({ name: 'comms laptop', prefix: secret.slice(0, 10), revokedAt: null });
      expect(listed.lastUsedAt).toBe(t.clock.now().toISOString());
      // The database keeps only a hash of the secret.
      const stored = await t.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [issued.body.id]);
      expect(stored[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(stored[0].token_hash).not.toContain(secret);

      await t.http.delete(`/api/v1/tokens/${issued.body.id}`).set('Authorization', t.admin).expect(204);
      expectError(await t.http.get('/api/v1/services').set('Authorization', auth), 401, 'unauthenticated');

      const after = await t.http.get('/api/v1/tokens?limit=200').set('Authorization', t.admin).expect(200);
      expect(after.body.items.find((token: { id: string }) => token.id === issued.body.id).revokedAt).toBe(
        t.clock.now().toISOString(),
      );
      // Revoking again is harmless; an unknown token is 404.
      await t.http.delete(`/api/v1/tokens/${issued.body.id}`).set('Authorization', t.admin).expect(204);
      expectError(
        await t.http.delete(`/api/v1/tokens/${randomUUID()}`).set('Authorization', t.admin),
        404,
        'token.not_found',
      );
    });
  });
});
