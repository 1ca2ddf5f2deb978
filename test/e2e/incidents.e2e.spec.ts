import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;
type Incident = Awaited<ReturnType<typeof declareIncident>>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (ms: number) => new Date(ms).toISOString();

/** Declaring, reading, listing and editing incidents (the lifecycle is in incident-lifecycle.e2e.spec.ts). */
describe('incidents', () => {
  let t: TestApp;
  let commander: Staff;
  let sftp: { id: string; key: string; name: string };
  let fax: { id: string; key: string; name: string };

  beforeAll(async () => {
    t = await startTestApp();
    commander = await staffWithToken(t, ['commander'], 'duty-commander');
    sftp = await createService(t, 'sftp', 'SFTP');
    fax = await createService(t, 'fax', 'Fax relay');
  });
  afterAll(() => t.close());

  const timeline = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}/timeline`).set('Authorization', t.admin).expect(200)).body
      .items as { type: string; actorName: string; actorId: string; occurredAt: string; data: never }[];

  describe('declare', () => {
    it('stores the incident with a reference, the caller as commander and severity targets from now', async () => {
      t.clock.set('2026-03-02T09:00:00Z');
      const res = await t.http
        .post('/api/v1/incidents')
        .set('Authorization', commander.auth)
        .send({
          title: 'SFTP uploads time out',
          summary: 'Uploads to the SFTP platform time out since 08:50 UTC.',
          kind: 'service_disruption',
          severity: 2,
          serviceIds: [sftp.id, fax.id],
        })
        .expect(201);
      // Every foundation field (later modules add their own, hence toMatchObject).
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        reference: expect.stringMatching(/^INC-2026-\d{5}$/),
        title: 'SFTP uploads time out',
        summary: 'Uploads to the SFTP platform time out since 08:50 UTC.',
        kind: 'service_disruption',
        confidential: false,
        severity: 2,
        status: 'declared',
        commander: {
          id: commander.staffId,
          name: commander.name,
          email: expect.stringMatching(/@example\.com$/),
        },
        services: [
          { id: fax.id, key: 'fax', name: 'Fax relay', description: null },
          { id: sftp.id, key: 'sftp', name: 'SFTP', description: null },
        ],
        participants: [
          {
            id: expect.any(String),
            staffMember: { id: commander.staffId, name: commander.name, email: expect.any(String) },
            role: 'commander',
            domain: null,
            joinedAt: '2026-03-02T09:00:00.000Z',
            leftAt: null,
          },
        ],
        declaredAt: '2026-03-02T09:00:00.000Z',
        responseDueAt: '2026-03-02T10:00:00.000Z',
        resolutionDueAt: '2026-03-02T12:00:00.000Z',
        resolvedAt: null,
        resolutionSummary: null,
        postmortemApprovedAt: null,
        closedAt: null,
        closeReason: null,
        updatedAt: '2026-03-02T09:00:00.000Z',
        version: 1,
      });
      // A write answers with the same view a read gives, field for field.
      const read = await t.http.get(`/api/v1/incidents/${res.body.id}`).set('Authorization', commander.auth);
      expect(read.body).toEqual(res.body);

      const entries = await timeline(res.body.id);
      expect(entries).toEqual([
        {
          id: expect.any(String),
          type: 'incident.declared',
          occurredAt: '2026-03-02T09:00:00.000Z',
          actorId: commander.staffId,
          actorName: commander.name,
          data: {
            reference: res.body.reference,
            title: 'SFTP uploads time out',
            kind: 'service_disruption',
            severity: 2,
            serviceIds: expect.arrayContaining([sftp.id, fax.id]),
            commanderId: commander.staffId,
            responseDueAt: '2026-03-02T10:00:00.000Z',
            resolutionDueAt: '2026-03-02T12:00:00.000Z',
          },
        },
      ]);
    });

    it.each([
      // Handbook table 1, from a Monday 09:00 UTC (10:00 in Paris).
      [1, '2026-03-02T09:00:00Z', '2026-03-02T09:30:00.000Z', '2026-03-02T11:00:00.000Z'],
      [2, '2026-03-02T09:00:00Z', '2026-03-02T10:00:00.000Z', '2026-03-02T12:00:00.000Z'],
      [3, '2026-03-02T09:00:00Z', '2026-03-02T11:00:00.000Z', '2026-03-02T21:00:00.000Z'],
      [4, '2026-03-02T09:00:00Z', '2026-03-03T09:00:00.000Z', '2026-03-05T09:00:00.000Z'],
      // Friday 15:00 Paris + 3 business days → Wednesday 15:00.
      [4, '2026-03-06T14:00:00Z', '2026-03-07T14:00:00.000Z', '2026-03-11T14:00:00.000Z'],
      // Saturday 10:00 Paris + 3 business days → Wednesday 10:00.
      [4, '2026-03-07T09:00:00Z', '2026-03-08T09:00:00.000Z', '2026-03-11T09:00:00.000Z'],
      // Across the switch to summer time the local time of day is kept: 15:00 CET → 15:00 CEST.
      [4, '2026-03-27T14:00:00Z', '2026-03-28T14:00:00.000Z', '2026-04-01T13:00:00.000Z'],
    ])(
      'severity %i declared at %s: response due %s, resolution due %s',
      async (severity, at, response, resolution) => {
        t.clock.set(at);
        const incident = await declareIncident(t, commander.auth, { severity });
        expect(incident).toMatchObject({
          severity,
          declaredAt: new Date(at).toISOString(),
          responseDueAt: response,
          resolutionDueAt: resolution,
        });
      },
    );

    it('numbers references sequentially per year of declaration', async () => {
      t.clock.set('2026-05-04T10:00:00Z');
      const first = await declareIncident(t, commander.auth, {});
      const second = await declareIncident(t, commander.auth, {});
      const number = (ref: string) => Number(ref.slice('INC-2026-'.length));
      expect(number(second.reference)).toBe(number(first.reference) + 1);

      t.clock.set('2027-01-01T00:00:05Z');
      const newYear = await declareIncident(t, commander.auth, {});
      expect(newYear.reference).toBe('INC-2027-00001');
      const next = await declareIncident(t, commander.auth, {});
      expect(next.reference).toBe('INC-2027-00002');

      t.clock.set('2026-05-04T11:00:00Z');
      const back = await declareIncident(t, commander.auth, {});
      expect(number(back.reference)).toBe(number(second.reference) + 1);
    });

    it('makes the staff member named by commanderId the commander instead of the caller', async () => {
      const other = await staffWithToken(t, ['commander'], 'relief-commander');
      const incident = await declareIncident(t, commander.auth, { commanderId: other.staffId, severity: 3 });
      expect(incident.commander).toMatchObject({ id: other.staffId, name: other.name });
      expect(incident.participants).toEqual([
        expect.objectContaining({
          role: 'commander',
          staffMember: expect.objectContaining({ id: other.staffId }),
        }),
      ]);
      const [declared] = await timeline(incident.id);
      // The declarer is the actor even though someone else commands.
      expect(declared).toMatchObject({ actorId: commander.staffId, actorName: commander.name });
    });
  });

  describe('read one', () => {
    it('gets an incident by id and by reference', async () => {
      const incident = await declareIncident(t, commander.auth, { serviceIds: [sftp.id] });
      const byId = await t.http
        .get(`/api/v1/incidents/${incident.id}`)
        .set('Authorization', commander.auth)
        .expect(200);
      const byReference = await t.http
        .get(`/api/v1/incidents/${incident.reference}`)
        .set('Authorization', commander.auth)
        .expect(200);
      expect(byId.body).toEqual(incident);
      expect(byReference.body).toEqual(incident);
    });
  });

  describe('list', () => {
    const T0 = Date.parse('2025-11-10T08:00:00Z');
    let a: Incident, b: Incident, c: Incident, d: Incident;

    beforeAll(async () => {
      t.clock.set(new Date(T0));
      a = await declareIncident(t, commander.auth, {
        title: 'Listing alpha SFTP outage',
        severity: 1,
        serviceIds: [sftp.id],
      });
      t.clock.set(new Date(T0 + HOUR));
      b = await declareIncident(t, commander.auth, {
        title: 'Listing bravo fax delays',
        severity: 3,
        serviceIds: [fax.id],
      });
      await t.http
        .patch(`/api/v1/incidents/${b.id}`)
        .set('Authorization', commander.auth)
        .send({ status: 'investigating' })
        .expect(200);
      t.clock.set(new Date(T0 + 2 * HOUR));
      c = await declareIncident(t, t.admin, {
        title: 'Listing charlie credential leak',
        severity: 2,
        kind: 'security_breach',
      });
      t.clock.set(new Date(T0 + 3 * HOUR));
      d = await declareIncident(t, commander.auth, {
        title: 'Listing delta relay backlog',
        severity: 4,
        serviceIds: [sftp.id, fax.id],
      });
      await t.http
        .post(`/api/v1/incidents/${d.id}/resolve`)
        .set('Authorization', commander.auth)
        .send({ summary: 'Backlog drained' })
        .expect(200);
    });

    const list = async (query: string, auth = t.admin) => {
      const res = await t.http
        .get(`/api/v1/incidents?q=Listing&${query}`)
        .set('Authorization', auth)
        .expect(200);
      return res.body as { items: Incident[]; total: number; limit: number; offset: number };
    };
    const refs = (page: { items: Incident[] }) => page.items.map((i) => i.reference);

    it('lists newest first with the total and default page', async () => {
      const page = await list('');
      expect(page).toMatchObject({ total: 4, limit: 50, offset: 0 });
      expect(refs(page)).toEqual([d, c, b, a].map((i) => i.reference));
      expect(page.items[0]).toMatchObject({ id: d.id, status: 'resolved', services: expect.any(Array) });
      expect(page.items[0].participants).toHaveLength(1);
    });

    it('paginates with limit and offset', async () => {
      const page = await list('limit=2&offset=1');
      expect(page).toMatchObject({ total: 4, limit: 2, offset: 1 });
      expect(refs(page)).toEqual([c.reference, b.reference]);
      expect(refs(await list('limit=2&offset=4'))).toEqual([]);
    });

    it.each([
      ['status=investigating', () => [b]],
      ['status=declared,resolved', () => [d, c, a]],
      ['open=true', () => [c, b, a]],
      ['open=false', () => [d]],
      ['severity=1,2', () => [c, a]],
      ['severity=4', () => [d]],
      // Arrays as OpenAPI clients send them (style form, explode): the parameter repeated.
      ['severity=1&severity=4', () => [d, a]],
      ['status=declared&status=investigating', () => [c, b, a]],
      ['kind=security_breach', () => [c]],
      ['kind=service_disruption', () => [d, b, a]],
      ['serviceId=SFTP', () => [d, a]],
      ['serviceId=FAX&open=true', () => [b]],
      ['commanderId=ADMIN', () => [c]],
      ['declaredFrom=2025-11-10T09:00:00Z&declaredTo=2025-11-10T11:00:00Z', () => [c, b]],
      ['declaredFrom=2025-11-10T11:00:00.000Z', () => [d]],
      ['declaredTo=2025-11-10T08:00:00Z', () => []],
    ])('filters by %s', async (query, expected) => {
      const admin = (await t.http.get('/api/v1/tokens').set('Authorization', t.admin)).body.items.find(
        (token: { name: string }) => token.name === 'bootstrap admin',
      ).staffMemberId;
      const resolved = query.replace('SFTP', sftp.id).replace('FAX', fax.id).replace('ADMIN', admin);
      const page = await list(resolved);
      expect(refs(page)).toEqual(expected().map((i) => i.reference));
      expect(page.total).toBe(expected().length);
    });

    it('searches title and reference, case-insensitively', async () => {
      const byTitle = await t.http
        .get('/api/v1/incidents?q=BRAVO%20FAX')
        .set('Authorization', t.admin)
        .expect(200);
      expect(refs(byTitle.body)).toEqual([b.reference]);
      const byReference = await t.http
        .get(`/api/v1/incidents?q=${a.reference.toLowerCase()}`)
        .set('Authorization', t.admin)
        .expect(200);
      expect(refs(byReference.body)).toEqual([a.reference]);
      // LIKE wildcards are literal characters.
      const wildcard = await t.http.get('/api/v1/incidents?q=Listing%25delta').set('Authorization', t.admin);
      expect(wildcard.body.total).toBe(0);
    });
  });

  describe('edit', () => {
    let incident: Incident;

    beforeAll(async () => {
      t.clock.set('2026-04-07T12:00:00Z');
      incident = await declareIncident(t, commander.auth, {
        title: 'Fax relay drops pages',
        summary: 'First pages only.',
        severity: 3,
        serviceIds: [fax.id],
      });
    });

    it('changes title and summary, recording both values on the timeline with the note', async () => {
      t.clock.advanceMinutes(5);
      const res = await t.http
        .patch(`/api/v1/incidents/${incident.reference}`)
        .set('Authorization', commander.auth)
        .send({
          title: 'Fax relay drops pages after the first',
          summary: 'All multi-page faxes.',
          note: 'scope widened',
        })
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'Fax relay drops pages after the first',
        summary: 'All multi-page faxes.',
        severity: 3,
        status: 'declared',
        updatedAt: '2026-04-07T12:05:00.000Z',
        version: 2,
      });
      const entries = await timeline(incident.id);
      expect(entries.at(-1)).toMatchObject({
        type: 'incident.updated',
        occurredAt: '2026-04-07T12:05:00.000Z',
        actorId: commander.staffId,
        actorName: commander.name,
        data: {
          changes: {
            title: { from: 'Fax relay drops pages', to: 'Fax relay drops pages after the first' },
            summary: { from: 'First pages only.', to: 'All multi-page faxes.' },
          },
          note: 'scope widened',
        },
      });
    });

    it('writes nothing to the timeline when a PATCH changes nothing', async () => {
      const before = await timeline(incident.id);
      await t.http
        .patch(`/api/v1/incidents/${incident.id}`)
        .set('Authorization', commander.auth)
        .send({ title: 'Fax relay drops pages after the first', severity: 3 })
        .expect(200);
      expect(await timeline(incident.id)).toEqual(before);
    });

    it('recomputes both targets from the declaration time when severity changes', async () => {
      t.clock.advanceMinutes(20);
      const res = await t.http
        .patch(`/api/v1/incidents/${incident.id}`)
        .set('Authorization', commander.auth)
        .send({ severity: 1, note: 'all fax customers affected' })
        .expect(200);
      const declaredAt = Date.parse('2026-04-07T12:00:00Z');
      expect(res.body).toMatchObject({
        severity: 1,
        declaredAt: iso(declaredAt),
        responseDueAt: iso(declaredAt + 30 * MINUTE),
        resolutionDueAt: iso(declaredAt + 2 * HOUR),
      });
      const entry = (await timeline(incident.id)).at(-1);
      expect(entry).toMatchObject({
        type: 'incident.severity_changed',
        occurredAt: '2026-04-07T12:25:00.000Z',
        actorName: commander.name,
        data: {
          from: 3,
          to: 1,
          responseDueAt: { from: iso(declaredAt + 2 * HOUR), to: iso(declaredAt + 30 * MINUTE) },
          resolutionDueAt: { from: iso(declaredAt + 12 * HOUR), to: iso(declaredAt + 2 * HOUR) },
          note: 'all fax customers affected',
        },
      });
      const stored = await t.http.get(`/api/v1/incidents/${incident.id}`).set('Authorization', t.admin);
      expect(stored.body).toMatchObject({ severity: 1, resolutionDueAt: iso(declaredAt + 2 * HOUR) });
    });

    it('replaces the affected services and records what was added and removed', async () => {
      t.clock.advanceMinutes(1);
      const res = await t.http
        .patch(`/api/v1/incidents/${incident.id}`)
        .set('Authorization', commander.auth)
        .send({ serviceIds: [sftp.id] })
        .expect(200);
      expect(res.body.services.map((s: { id: string }) => s.id)).toEqual([sftp.id]);
      expect((await timeline(incident.id)).at(-1)).toMatchObject({
        type: 'incident.services_changed',
        data: { added: [sftp.id], removed: [fax.id] },
      });
      const byService = await t.http
        .get(`/api/v1/incidents?serviceId=${fax.id}&q=${incident.reference}`)
        .set('Authorization', t.admin);
      expect(byService.body.total).toBe(0);

      const cleared = await t.http
        .patch(`/api/v1/incidents/${incident.id}`)
        .set('Authorization', commander.auth)
        .send({ serviceIds: [] })
        .expect(200);
      expect(cleared.body.services).toEqual([]);
      expect((await timeline(incident.id)).at(-1)).toMatchObject({
        type: 'incident.services_changed',
        data: { added: [], removed: [sftp.id] },
      });
    });
  });
});
