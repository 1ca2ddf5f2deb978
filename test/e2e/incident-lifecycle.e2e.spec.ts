import { randomUUID } from 'node:crypto';
import { dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;
type Incident = Awaited<ReturnType<typeof declareIncident>>;
interface Entry {
  id: string;
  type: string;
  occurredAt: string;
  actorId: string | null;
  actorName: string;
  data: Record<string, unknown>;
}
interface Participant {
  id: string;
  staffMember: { id: string; name: string };
  role: string;
  domain: string | null;
  joinedAt: string;
  leftAt: string | null;
}

/** Status moves, command hand-over, participants, resolve, close and the append-only timeline. */
describe('incident lifecycle', () => {
  let t: TestApp;
  let first: Staff;
  let second: Staff;
  let expert: Staff;
  let adminName: string;

  beforeAll(async () => {
    t = await startTestApp();
    first = await staffWithToken(t, ['commander'], 'first-commander');
    second = await staffWithToken(t, ['commander'], 'second-commander');
    expert = await staffWithToken(t, ['investigator'], 'as2-expert');
    const tokens = await t.http.get('/api/v1/tokens').set('Authorization', t.admin);
    adminName = tokens.body.items.find(
      (token: { name: string }) => token.name === 'bootstrap admin',
    ).staffMemberName;
  });
  afterAll(() => t.close());

  const get = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}`).set('Authorization', t.admin).expect(200)).body as Incident;
  const timeline = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}/timeline?limit=200`).set('Authorization', t.admin).expect(200))
      .body.items as Entry[];
  const participants = async (id: string) =>
    (await t.http.get(`/api/v1/incidents/${id}/participants`).set('Authorization', t.admin).expect(200))
      .body as Participant[];
  const patch = (id: string, body: object, auth = first.auth) =>
    t.http.patch(`/api/v1/incidents/${id}`).set('Authorization', auth).send(body);
  const resolve = (id: string, body: object, auth = first.auth) =>
    t.http.post(`/api/v1/incidents/${id}/resolve`).set('Authorization', auth).send(body);
  const close = (id: string, body: object, auth = first.auth) =>
    t.http.post(`/api/v1/incidents/${id}/close`).set('Authorization', auth).send(body);

  describe('working statuses', () => {
    it('moves between the working statuses, back and forth, recording each move', async () => {
      const incident = await declareIncident(t, first.auth, {});
      for (const status of ['investigating', 'identified', 'investigating', 'monitoring', 'identified']) {
        t.clock.advanceMinutes(1);
        const res = await patch(incident.id, { status }).expect(200);
        expect(res.body.status).toBe(status);
      }
      const moves = (await timeline(incident.id))
        .filter((e) => e.type === 'incident.status_changed')
        .map((e) => `${e.data.from}→${e.data.to}`);
      expect(moves).toEqual([
        'declared→investigating',
        'investigating→identified',
        'identified→investigating',
        'investigating→monitoring',
        'monitoring→identified',
      ]);
    });

    it('refuses resolved, closed and declared through PATCH with a 400 naming status, changing nothing', async () => {
      const incident = await declareIncident(t, first.auth, {});
      for (const status of ['resolved', 'closed', 'declared', 'on_hold']) {
        const before = await dbSnapshot(t.db);
        expectViolation(await patch(incident.id, { status, title: 'Changed' }), 'status', 'isIn');
        expect(await dbSnapshot(t.db)).toEqual(before);
      }
      expect(await get(incident.id)).toMatchObject({ status: 'declared', title: incident.title, version: 1 });
    });

    it('refuses a move out of resolved with 409 incident.illegal_transition, changing nothing', async () => {
      const incident = await declareIncident(t, first.auth, {});
      await resolve(incident.id, { summary: 'Restarted the gateway' }).expect(200);
      const before = await dbSnapshot(t.db);
      const res = await patch(incident.id, { status: 'investigating', title: 'Reopened?' });
      expectError(res, 409, 'incident.illegal_transition');
      expect(res.body.details).toEqual({ from: 'resolved', to: 'investigating', allowed: ['closed'] });
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('keeps severity and services of a resolved incident, but its text may still be corrected', async () => {
      const incident = await declareIncident(t, first.auth, { severity: 3 });
      await resolve(incident.id, { summary: 'Queue drained' }).expect(200);
      expectError(await patch(incident.id, { severity: 1 }), 409, 'incident.not_open');
      expectError(await patch(incident.id, { serviceIds: [] }), 409, 'incident.not_open');
      const res = await patch(incident.id, { summary: 'Queue drained after the relay restart' }).expect(200);
      expect(res.body).toMatchObject({
        status: 'resolved',
        severity: 3,
        summary: 'Queue drained after the relay restart',
      });
    });
  });

  describe('command and participants', () => {
    let incident: Incident;

    beforeAll(async () => {
      t.clock.set('2026-03-03T08:00:00Z');
      incident = await declareIncident(t, first.auth, { title: 'AS2 MDNs are not signed' });
    });

    it('hands command over: the old command ends (kept in the history), the new commander joins', async () => {
      t.clock.set('2026-03-03T08:30:00Z');
      const res = await patch(incident.reference, {
        commanderId: second.staffId,
        note: 'shift change',
      }).expect(200);
      expect(res.body.commander).toMatchObject({ id: second.staffId, name: second.name });
      expect(res.body.participants).toEqual([
        expect.objectContaining({
          role: 'commander',
          staffMember: expect.objectContaining({ id: second.staffId }),
          joinedAt: '2026-03-03T08:30:00.000Z',
          leftAt: null,
        }),
      ]);

      const all = await participants(incident.id);
      expect(all.map((p) => [p.staffMember.id, p.role, p.joinedAt, p.leftAt])).toEqual([
        [first.staffId, 'commander', '2026-03-03T08:00:00.000Z', '2026-03-03T08:30:00.000Z'],
        [second.staffId, 'commander', '2026-03-03T08:30:00.000Z', null],
      ]);
      expect((await timeline(incident.id)).at(-1)).toMatchObject({
        type: 'incident.commander_changed',
        actorId: first.staffId,
        actorName: first.name,
        occurredAt: '2026-03-03T08:30:00.000Z',
        data: { from: first.staffId, to: second.staffId, note: 'shift change' },
      });
    });

    it('refuses to hand command to an unknown or inactive staff member', async () => {
      expectViolation(await patch(incident.id, { commanderId: randomUUID() }), 'commanderId', 'exists');
      const leaver = await staffWithToken(t, ['commander'], 'leaver');
      await t.http
        .patch(`/api/v1/staff/${leaver.staffId}`)
        .set('Authorization', t.admin)
        .send({ active: false })
        .expect(200);
      const before = await dbSnapshot(t.db);
      expectViolation(await patch(incident.id, { commanderId: leaver.staffId }), 'commanderId', 'exists');
      expect(await dbSnapshot(t.db)).toEqual(before);
      expect((await get(incident.id)).commander).toMatchObject({ id: second.staffId });
    });

    it('adds, lists and removes participants', async () => {
      t.clock.set('2026-03-03T08:40:00Z');
      const added = await t.http
        .post(`/api/v1/incidents/${incident.id}/participants`)
        .set('Authorization', second.auth)
        .send({ staffMemberId: expert.staffId, role: 'sme', domain: 'AS2 protocol' })
        .expect(201);
      expect(added.body).toEqual({
        id: expect.any(String),
        staffMember: {
          id: expert.staffId,
          name: expert.name,
          email: expect.stringMatching(/@example\.com$/),
        },
        role: 'sme',
        domain: 'AS2 protocol',
        joinedAt: '2026-03-03T08:40:00.000Z',
        leftAt: null,
      });
      expectError(
        await t.http
          .post(`/api/v1/incidents/${incident.id}/participants`)
          .set('Authorization', second.auth)
          .send({ staffMemberId: expert.staffId, role: 'sme' }),
        409,
        'participant.already_active',
      );
      t.clock.set('2026-03-03T08:41:00Z');
      const lead = await t.http
        .post(`/api/v1/incidents/${incident.id}/participants`)
        .set('Authorization', second.auth)
        .send({ staffMemberId: expert.staffId, role: 'investigation_lead' })
        .expect(201);

      const view = await get(incident.id);
      expect(view.participants).toEqual([
        expect.objectContaining({
          role: 'commander',
          staffMember: expect.objectContaining({ id: second.staffId }),
        }),
        expect.objectContaining({ id: added.body.id, role: 'sme' }),
        expect.objectContaining({ id: lead.body.id, role: 'investigation_lead', domain: null }),
      ]);
      expect((await participants(incident.id)).map((p) => p.role)).toEqual([
        'commander',
        'commander',
        'sme',
        'investigation_lead',
      ]);

      t.clock.set('2026-03-03T09:00:00Z');
      const removed = await t.http
        .delete(`/api/v1/incidents/${incident.id}/participants/${added.body.id}`)
        .set('Authorization', second.auth)
        .expect(200);
      expect(removed.body).toEqual({ ...added.body, leftAt: '2026-03-03T09:00:00.000Z' });
      expect(((await get(incident.id)).participants as { id: string }[]).map((p) => p.id)).not.toContain(
        added.body.id,
      );
      expect((await participants(incident.id)).find((p) => p.id === added.body.id)?.leftAt).toBe(
        '2026-03-03T09:00:00.000Z',
      );
      expectError(
        await t.http
          .delete(`/api/v1/incidents/${incident.id}/participants/${added.body.id}`)
          .set('Authorization', second.auth),
        409,
        'participant.already_left',
      );
      expectError(
        await t.http
          .delete(`/api/v1/incidents/${incident.id}/participants/${randomUUID()}`)
          .set('Authorization', second.auth),
        404,
        'participant.not_found',
      );

      const entries = (await timeline(incident.id)).filter((e) => e.type.startsWith('participant.'));
      expect(entries).toEqual([
        expect.objectContaining({
          type: 'participant.joined',
          actorId: second.staffId,
          data: {
            participantId: added.body.id,
            staffMemberId: expert.staffId,
            name: expert.name,
            role: 'sme',
            domain: 'AS2 protocol',
          },
        }),
        expect.objectContaining({
          type: 'participant.joined',
          data: expect.objectContaining({ role: 'investigation_lead' }),
        }),
        expect.objectContaining({
          type: 'participant.left',
          occurredAt: '2026-03-03T09:00:00.000Z',
          data: { participantId: added.body.id, staffMemberId: expert.staffId, role: 'sme' },
        }),
      ]);
    });

    it('refuses to remove the commander (409 participant.is_commander)', async () => {
      const commanderRow = (await participants(incident.id)).find(
        (p) => p.role === 'commander' && !p.leftAt,
      )!;
      const before = await dbSnapshot(t.db);
      expectError(
        await t.http
          .delete(`/api/v1/incidents/${incident.id}/participants/${commanderRow.id}`)
          .set('Authorization', second.auth),
        409,
        'participant.is_commander',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('refuses commander as a participant role (command changes through PATCH)', async () => {
      expectViolation(
        await t.http
          .post(`/api/v1/incidents/${incident.id}/participants`)
          .set('Authorization', second.auth)
          .send({ staffMemberId: expert.staffId, role: 'commander' }),
        'role',
        'isIn',
      );
    });
  });

  describe('resolve and close', () => {
    let incident: Incident;

    beforeAll(async () => {
      t.clock.set('2026-03-04T10:00:00Z');
      incident = await declareIncident(t, first.auth, { severity: 1 });
    });

    it('refuses to close an incident that is not resolved', async () => {
      const res = await close(incident.id, { reason: 'duplicate' }, t.admin);
      expectError(res, 409, 'incident.illegal_transition');
      expect(res.body.details).toMatchObject({ from: 'declared', to: 'closed' });
    });

    it('requires a summary to resolve', async () => {
      const before = await dbSnapshot(t.db);
      expectViolation(await resolve(incident.id, {}), 'summary', 'required');
      expectViolation(await resolve(incident.id, { summary: '' }), 'summary', 'isLength');
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('resolves with a summary at the clock time, noting whether the target was missed', async () => {
      t.clock.set('2026-03-04T12:30:00Z'); // 30 minutes after the S1 resolution target
      const res = await resolve(incident.reference, { summary: 'Certificate chain restored' }).expect(200);
      expect(res.body).toMatchObject({
        status: 'resolved',
        resolvedAt: '2026-03-04T12:30:00.000Z',
        resolutionSummary: 'Certificate chain restored',
        closedAt: null,
      });
      // The resolution also opens the post-mortem analysis (entry `postmortem.opened` after it).
      expect((await timeline(incident.id)).find((e) => e.type === 'incident.resolved')).toMatchObject({
        type: 'incident.resolved',
        actorName: first.name,
        occurredAt: '2026-03-04T12:30:00.000Z',
        data: {
          from: 'declared',
          summary: 'Certificate chain restored',
          resolutionDueAt: '2026-03-04T12:00:00.000Z',
          late: true,
        },
      });
      const again = await resolve(incident.id, { summary: 'twice' });
      expectError(again, 409, 'incident.illegal_transition');
      expect(again.body.details).toEqual({ from: 'resolved', to: 'resolved', allowed: ['closed'] });
    });

    it('lets a commander close only after the post-mortem is approved', async () => {
      const before = await dbSnapshot(t.db);
      expectError(await close(incident.id, {}), 409, 'incident.postmortem_not_approved');
      expectError(
        await close(incident.id, { reason: 'customers informed' }),
        409,
        'incident.postmortem_not_approved',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('lets an admin close without a post-mortem only with a reason', async () => {
      const before = await dbSnapshot(t.db);
      expectViolation(await close(incident.id, {}, t.admin), 'reason', 'required');
      expect(await dbSnapshot(t.db)).toEqual(before);

      t.clock.set('2026-03-05T09:00:00Z');
      const res = await close(
        incident.id,
        { reason: 'Known vendor defect, analysed upstream' },
        t.admin,
      ).expect(200);
      expect(res.body).toMatchObject({
        status: 'closed',
        closedAt: '2026-03-05T09:00:00.000Z',
        closeReason: 'Known vendor defect, analysed upstream',
        postmortemApprovedAt: null,
      });
      expect((await timeline(incident.id)).at(-1)).toMatchObject({
        type: 'incident.closed',
        actorName: adminName,
        data: { reason: 'Known vendor defect, analysed upstream', withoutPostmortem: true },
      });
    });

    it('freezes a closed incident', async () => {
      const before = await dbSnapshot(t.db);
      expectError(await patch(incident.id, { title: 'Renamed' }), 409, 'incident.closed');
      expectError(await close(incident.id, { reason: 'again' }, t.admin), 409, 'incident.illegal_transition');
      expectError(await resolve(incident.id, { summary: 'again' }), 409, 'incident.illegal_transition');
      expectError(
        await t.http
          .post(`/api/v1/incidents/${incident.id}/participants`)
          .set('Authorization', first.auth)
          .send({ staffMemberId: expert.staffId, role: 'sme' }),
        409,
        'incident.closed',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('lets the commander close once the post-mortem is approved, without a reason', async () => {
      const other = await declareIncident(t, first.auth, {});
      await resolve(other.id, { summary: 'Fixed' }).expect(200);
      // The post-mortem module sets this column when the analysis is approved.
      await t.db.query('UPDATE incidents SET postmortem_approved_at = $2 WHERE id = $1', [
        other.id,
        '2026-03-05T10:00:00Z',
      ]);
      const res = await close(other.id, {}).expect(200);
      expect(res.body).toMatchObject({
        status: 'closed',
        closeReason: null,
        postmortemApprovedAt: '2026-03-05T10:00:00.000Z',
      });
      expect((await timeline(other.id)).at(-1)).toMatchObject({
        type: 'incident.closed',
        data: { reason: null, withoutPostmortem: false },
      });
    });
  });

  describe('timeline', () => {
    it('records every change with its actor and time, oldest first', async () => {
      const at = (minute: number) => `2026-03-09T10:${String(minute).padStart(2, '0')}:00.000Z`;
      t.clock.set(at(0));
      const incident = await declareIncident(t, first.auth, { title: 'Fax relay outage' });
      t.clock.set(at(5));
      await patch(incident.id, { status: 'investigating' }).expect(200);
      t.clock.set(at(10));
      await patch(incident.id, { severity: 1, title: 'Fax relay outage, all regions' }, t.admin).expect(200);
      t.clock.set(at(15));
      const sme = await t.http
        .post(`/api/v1/incidents/${incident.id}/participants`)
        .set('Authorization', first.auth)
        .send({ staffMemberId: expert.staffId, role: 'sme', domain: 'T.38' })
        .expect(201);
      t.clock.set(at(20));
      await patch(incident.id, { commanderId: second.staffId }).expect(200);
      t.clock.set(at(25));
      await t.http
        .delete(`/api/v1/incidents/${incident.id}/participants/${sme.body.id}`)
        .set('Authorization', second.auth)
        .expect(200);
      t.clock.set(at(30));
      await resolve(incident.id, { summary: 'Relay failed over' }, second.auth).expect(200);
      t.clock.set(at(35));
      await close(incident.id, { reason: 'No analysis needed' }, t.admin).expect(200);

      const entries = await timeline(incident.reference);
      expect(entries.map((e) => [e.type, e.actorId, e.actorName, e.occurredAt])).toEqual([
        ['incident.declared', first.staffId, first.name, at(0)],
        ['incident.status_changed', first.staffId, first.name, at(5)],
        ['incident.updated', expect.any(String), adminName, at(10)],
        ['incident.severity_changed', expect.any(String), adminName, at(10)],
        ['participant.joined', first.staffId, first.name, at(15)],
        ['incident.commander_changed', first.staffId, first.name, at(20)],
        ['participant.left', second.staffId, second.name, at(25)],
        ['incident.resolved', second.staffId, second.name, at(30)],
        ['postmortem.opened', null, 'Tocsin', at(30)],
        ['incident.closed', expect.any(String), adminName, at(35)],
      ]);
      const ids = entries.map((e) => BigInt(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : 1)));

      const page = await t.http
        .get(`/api/v1/incidents/${incident.id}/timeline?limit=3&offset=3`)
        .set('Authorization', first.auth)
        .expect(200);
      expect(page.body).toMatchObject({ total: 10, limit: 3, offset: 3 });
      expect(page.body.items).toEqual(entries.slice(3, 6));
    });

    it('is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
      const incident = await declareIncident(t, first.auth, {});
      const before = await timeline(incident.id);
      await expect(
        t.db.query(`UPDATE incident_timeline SET actor_name = 'someone else' WHERE incident_id = $1`, [
          incident.id,
        ]),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.db.query('DELETE FROM incident_timeline WHERE incident_id = $1', [incident.id]),
      ).rejects.toThrow(/append-only/);
      await expect(t.db.query('DELETE FROM incident_timeline')).rejects.toThrow(/append-only/);
      await expect(t.db.query('TRUNCATE incident_timeline CASCADE')).rejects.toThrow(/append-only/);
      expect(await timeline(incident.id)).toEqual(before);
      // Appending still works.
      await patch(incident.id, { status: 'investigating' }).expect(200);
      expect(await timeline(incident.id)).toHaveLength(before.length + 1);
    });
  });
});
