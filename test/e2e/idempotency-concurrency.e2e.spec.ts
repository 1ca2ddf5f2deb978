import { countRows, dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { createService, declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;

const declaration = (title: string) => ({ title, kind: 'service_disruption', severity: 2 });

/** Idempotency-Key on POST, and what many simultaneous requests leave behind. */
describe('idempotency and concurrency', () => {
  let t: TestApp;
  let commander: Staff;

  beforeAll(async () => {
    t = await startTestApp();
    commander = await staffWithToken(t, ['commander'], 'concurrent-commander');
  });
  afterAll(() => t.close());

  const declare = (body: object, key?: string, auth = commander.auth) => {
    const req = t.http.post('/api/v1/incidents').set('Authorization', auth);
    if (key !== undefined) req.set('Idempotency-Key', key);
    return req.send(body);
  };
  const timelineOf = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}/timeline`).set('Authorization', t.admin).expect(200)).body
      .items as {
      type: string;
    }[];

  // First in the file, so the database has never numbered an incident.
  describe('concurrency', () => {
    it('gives 20 parallel declarations 20 distinct, consecutive references', async () => {
      const responses = await Promise.all(
        Array.from({ length: 20 }, (_, i) => declare(declaration(`Parallel declaration ${i + 1}`))),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
      const references = responses.map((r) => r.body.reference as string).sort();
      expect(references).toEqual(
        Array.from({ length: 20 }, (_, i) => `INC-2026-${String(i + 1).padStart(5, '0')}`),
      );
      expect(new Set(responses.map((r) => r.body.id)).size).toBe(20);
      expect(await countRows(t.db, 'incidents')).toBe(20);
      const [counter] = await t.db.query('SELECT year, last_sequence FROM incident_reference_counters');
      expect(counter).toEqual({ year: 2026, last_sequence: 20 });
      // Each declaration wrote its own timeline entry and commander participant.
      expect(await countRows(t.db, 'incident_timeline')).toBe(20);
      expect(await countRows(t.db, 'incident_participants')).toBe(20);

      const next = await declareIncident(t, commander.auth, {});
      expect(next.reference).toBe('INC-2026-00021');
    });

    it('serialises parallel edits of one incident: each sees the previous one', async () => {
      const incident = await declareIncident(t, commander.auth, { title: 'Edit race v0' });
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          t.http
            .patch(`/api/v1/incidents/${incident.id}`)
            .set('Authorization', commander.auth)
            .send({ title: `Edit race v${i + 1}` }),
        ),
      );
      expect(responses.map((r) => r.status)).toEqual(Array(10).fill(200));
      const stored = await t.http.get(`/api/v1/incidents/${incident.id}`).set('Authorization', t.admin);
      expect(stored.body.version).toBe(11);

      const updates = (await timelineOf(incident.id)).filter(
        (e) => e.type === 'incident.updated',
      ) as unknown as {
        data: { changes: { title: { from: string; to: string } } };
      }[];
      expect(updates).toHaveLength(10);
      // A chain v0 → … → final with no lost update: every change starts where the previous ended.
      let current = 'Edit race v0';
      for (const { data } of updates) {
        expect(data.changes.title.from).toBe(current);
        current = data.changes.title.to;
      }
      expect(stored.body.title).toBe(current);
    });

    it('lets exactly one of several parallel requests claim a service key', async () => {
      const responses = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t.http
            .post('/api/v1/services')
            .set('Authorization', commander.auth)
            .send({ key: 'contested-key', name: `Contender ${i}` }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const res of responses.filter((r) => r.status !== 201)) expectError(res, 409, 'service.key_taken');
      const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM services WHERE key = 'contested-key'`);
      expect(n).toBe(1);
    });

    it('lets exactly one of several parallel requests claim a staff e-mail, whatever its case', async () => {
      const responses = await Promise.all(
        [
          'duty.manager@example.com',
          'Duty.Manager@example.com',
          'DUTY.MANAGER@EXAMPLE.COM',
          'duty.manager@Example.com',
        ].map((email) =>
          t.http.post('/api/v1/staff').set('Authorization', t.admin).send({ name: 'Duty manager', email }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const res of responses.filter((r) => r.status !== 201))
        expectError(res, 409, 'staff_member.email_taken');
    });

    it('adds a participant once when the same addition arrives several times at once', async () => {
      const incident = await declareIncident(t, commander.auth, {});
      const expert = await staffWithToken(t, ['investigator'], 'racing-expert');
      const responses = await Promise.all(
        Array.from({ length: 5 }, () =>
          t.http
            .post(`/api/v1/incidents/${incident.id}/participants`)
            .set('Authorization', commander.auth)
            .send({ staffMemberId: expert.staffId, role: 'sme' }),
        ),
      );
      expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
      for (const res of responses.filter((r) => r.status !== 201))
        expectError(res, 409, 'participant.already_active');
      const joined = (await timelineOf(incident.id)).filter((e) => e.type === 'participant.joined');
      expect(joined).toHaveLength(1);
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated POST with the first response, acting once', async () => {
      const body = { ...declaration('Replayed declaration'), serviceIds: [(await createService(t)).id] };
      const first = await declare(body, 'declare-replayed-1').expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const incidentsAfterFirst = await countRows(t.db, 'incidents');

      t.clock.advanceMinutes(3);
      const second = await declare(body, 'declare-replayed-1').expect(201);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await countRows(t.db, 'incidents')).toBe(incidentsAfterFirst);
      expect(await timelineOf(first.body.id)).toHaveLength(1);

      const third = await declare(body, 'declare-replayed-1').expect(201);
      expect(third.body).toEqual(first.body);

      // The replay consumed no reference number.
      const next = await declareIncident(t, commander.auth, {});
      const number = (ref: string) => Number(ref.split('-')[2]);
      expect(number(next.reference)).toBe(number(first.body.reference) + 1);
    });

    it('refuses the same key with another body, or on another endpoint, with 422 idempotency.key_reused', async () => {
      await declare(declaration('Original body'), 'declare-reused-1').expect(201);
      const before = await dbSnapshot(t.db);
      expectError(
        await declare(declaration('Another body'), 'declare-reused-1'),
        422,
        'idempotency.key_reused',
      );
      expectError(
        await declare({ ...declaration('Original body'), severity: 1 }, 'declare-reused-1'),
        422,
        'idempotency.key_reused',
      );
      expectError(
        await t.http
          .post('/api/v1/services')
          .set('Authorization', commander.auth)
          .set('Idempotency-Key', 'declare-reused-1')
          .send({ key: 'reused-key-service', name: 'Reused' }),
        422,
        'idempotency.key_reused',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('does not burn a key on a failed request', async () => {
      const before = await dbSnapshot(t.db);
      expectViolation(
        await declare({ ...declaration('Broken'), severity: 0 }, 'declare-after-failure'),
        'severity',
        'min',
      );
      expectViolation(
        await declare(
          { ...declaration('Broken'), commanderId: '00000000-0000-4000-8000-000000000000' },
          'declare-after-failure',
        ),
        'commanderId',
        'exists',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);

      const ok = await declare(declaration('Fixed and retried'), 'declare-after-failure').expect(201);
      expect(ok.headers['idempotent-replayed']).toBeUndefined();
      const replay = await declare(declaration('Fixed and retried'), 'declare-after-failure').expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.id).toBe(ok.body.id);
    });

    it('frees the key after a conflict too', async () => {
      await createService(t, 'taken-service-key');
      const send = (key: string) =>
        t.http
          .post('/api/v1/services')
          .set('Authorization', commander.auth)
          .set('Idempotency-Key', 'service-after-conflict')
          .send({ key, name: 'Retried service' });
      expectError(await send('taken-service-key'), 409, 'service.key_taken');
      const ok = await send('free-service-key').expect(201);
      expect(ok.body.key).toBe('free-service-key');
    });

    it('keeps keys per token', async () => {
      const colleague = await staffWithToken(t, ['commander'], 'colleague');
      const mine = await declare(declaration('Same key, two callers'), 'shared-key').expect(201);
      const theirs = await declare(declaration('Same key, two callers'), 'shared-key', colleague.auth).expect(
        201,
      );
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect(theirs.body.id).not.toBe(mine.body.id);
      expect(theirs.body.commander.id).toBe(colleague.staffId);
    });

    it('replays an action answered with 200 with its status, without acting again', async () => {
      const incident = await declareIncident(t, commander.auth, {});
      const resolve = () =>
        t.http
          .post(`/api/v1/incidents/${incident.id}/resolve`)
          .set('Authorization', commander.auth)
          .set('Idempotency-Key', `resolve-${incident.id}`)
          .send({ summary: 'Gateway restarted' });
      const first = await resolve().expect(200);
      t.clock.advanceMinutes(1);
      const again = await resolve().expect(200);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect((await timelineOf(incident.id)).filter((e) => e.type === 'incident.resolved')).toHaveLength(1);
      // Without the key the same request is a second, refused, resolution.
      expectError(
        await t.http
          .post(`/api/v1/incidents/${incident.id}/resolve`)
          .set('Authorization', commander.auth)
          .send({ summary: 'Gateway restarted' }),
        409,
        'incident.illegal_transition',
      );
    });

    it('acts once when the same keyed request arrives several times at once', async () => {
      const incidentsBefore = await countRows(t.db, 'incidents');
      const responses = await Promise.all(
        Array.from({ length: 6 }, () => declare(declaration('Double-clicked declaration'), 'double-click')),
      );
      expect(await countRows(t.db, 'incidents')).toBe(incidentsBefore + 1);
      const created = responses.filter((r) => r.status === 201);
      expect(created.length).toBeGreaterThanOrEqual(1);
      expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
      // The others either got the stored response or were told the first is still running.
      for (const res of responses.filter((r) => r.status !== 201))
        expectError(res, 409, 'idempotency.in_progress');
      const settled = await declare(declaration('Double-clicked declaration'), 'double-click').expect(201);
      expect(settled.body.id).toBe(created[0].body.id);
    });

    it('refuses a key longer than 200 characters, storing nothing', async () => {
      const before = await dbSnapshot(t.db);
      expectViolation(await declare(declaration('Long key'), 'k'.repeat(201)), 'Idempotency-Key', 'length');
      expect(await dbSnapshot(t.db)).toEqual(before);
      await declare(declaration('Longest key'), 'k'.repeat(200)).expect(201);
    });

    it('ignores the header on PATCH: only POSTs are keyed', async () => {
      const incident = await declareIncident(t, commander.auth, {});
      for (const title of ['First title', 'Second title']) {
        const res = await t.http
          .patch(`/api/v1/incidents/${incident.id}`)
          .set('Authorization', commander.auth)
          .set('Idempotency-Key', 'patch-key')
          .send({ title })
          .expect(200);
        expect(res.body.title).toBe(title);
        expect(res.headers['idempotent-replayed']).toBeUndefined();
      }
    });
  });
});
