import type { Response } from 'supertest';
import { countRows, dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { createCustomer, createService, declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;
type Incident = Awaited<ReturnType<typeof declareIncident>>;
interface TimelineItem {
  type: string;
  actorId: string | null;
  actorName: string;
  occurredAt: string;
  data: Record<string, unknown>;
}
interface StepBody {
  id: string;
  position: number;
  title: string;
  status: string;
  owner: { id: string } | null;
  history: { fromStatus: string | null; toStatus: string | null; note: string | null }[];
}

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const INVESTIGATION_TABLES = ['scope_revisions', 'plan_steps', 'plan_step_events', 'investigation_notes'];

/** The investigation & resolution team's API on the real app and a fresh PostgreSQL database. */
describe('investigation & resolution', () => {
  let t: TestApp;
  let commander: Staff;
  let investigator: Staff;
  let expert: Staff;
  let others: Record<'notifier' | 'support' | 'postmortem', Staff>;
  let as2: { id: string };
  let sftp: { id: string };
  let customer: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    commander = await staffWithToken(t, ['commander'], 'duty-commander');
    investigator = await staffWithToken(t, ['investigator'], 'network-engineer');
    expert = await staffWithToken(t, ['investigator'], 'as2-specialist');
    others = {
      notifier: await staffWithToken(t, ['notifier'], 'notification-officer'),
      support: await staffWithToken(t, ['support'], 'support-agent'),
      postmortem: await staffWithToken(t, ['postmortem'], 'problem-manager'),
    };
    as2 = await createService(t, 'as2-gateway', 'AS2 gateway');
    sftp = await createService(t, 'sftp', 'SFTP');
    customer = await createCustomer(t, [as2.id]);
  });
  afterAll(() => t.close());

  const url = (incident: string, path = '') => `/api/v1/incidents/${incident}${path}`;
  const declare = (body: Record<string, unknown> = {}) =>
    declareIncident(t, commander.auth, { serviceIds: [as2.id], ...body });
  const timeline = async (id: string): Promise<TimelineItem[]> =>
    (await t.http.get(url(id, '/timeline?limit=200')).set('Authorization', t.admin).expect(200)).body.items;

  /** Every foundation table plus the investigation's own, digested row by row. */
  const snapshot = async () => {
    const digests = INVESTIGATION_TABLES.map(
      (table) =>
        `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '')
            FROM ${table} r) AS ${table}`,
    );
    const [own] = await t.db.query(`SELECT ${digests.join(', ')}`);
    return { ...(await dbSnapshot(t.db)), ...own };
  };
  /** Runs a request that must be refused and checks that the database did not change. */
  const refused = async (send: () => Promise<Response>): Promise<Response> => {
    const before = await snapshot();
    const res = await send();
    expect(await snapshot()).toEqual(before);
    return res;
  };

  describe('scope', () => {
    it('starts empty, then keeps every revision in order with its author, each on the timeline', async () => {
      const incident = await declare();
      const empty = await t.http
        .get(url(incident.id, '/investigation'))
        .set('Authorization', investigator.auth);
      expect(empty.status).toBe(200);
      expect(empty.body).toEqual({ current: null, revisions: [] });

      t.clock.set('2026-03-02T09:10:00Z');
      const first = await t.http
        .put(url(incident.id, '/investigation'))
        .set('Authorization', investigator.auth)
        .send({
          serviceIds: [as2.id],
          customerIds: [customer.id],
          transactions: 'Inbound AS2 jobs 4411-4470',
          startedAt: '2026-03-02T08:50:00Z',
          symptoms: 'MDN errors on inbound messages',
          baseRevision: 0,
        })
        .expect(200);
      expect(first.body).toEqual({
        revision: 1,
        serviceIds: [as2.id],
        customerIds: [customer.id],
        transactions: 'Inbound AS2 jobs 4411-4470',
        startedAt: '2026-03-02T08:50:00.000Z',
        symptoms: 'MDN errors on inbound messages',
        createdAt: '2026-03-02T09:10:00.000Z',
        actor: { id: investigator.staffId, name: investigator.name },
      });

      t.clock.set('2026-03-02T09:25:00Z');
      await t.http
        .put(url(incident.reference, '/investigation'))
        .set('Authorization', commander.auth)
        .send({ serviceIds: [as2.id, sftp.id], symptoms: 'SFTP uploads time out as well', baseRevision: 1 })
        .expect(200);

      const scope = await t.http
        .get(url(incident.reference, '/investigation'))
        .set('Authorization', others.notifier.auth)
        .expect(200);
      expect(scope.body.revisions.map((r: { revision: number }) => r.revision)).toEqual([1, 2]);
      expect(scope.body.revisions[0]).toEqual(first.body);
      expect(scope.body.current).toEqual(scope.body.revisions[1]);
      expect(scope.body.current).toMatchObject({
        revision: 2,
        serviceIds: [as2.id, sftp.id],
        customerIds: [],
        transactions: null,
        startedAt: null,
        symptoms: 'SFTP uploads time out as well',
        actor: { id: commander.staffId, name: commander.name },
      });

      const entries = (await timeline(incident.id)).filter((e) => e.type === 'investigation.scope_revised');
      expect(entries).toEqual([
        expect.objectContaining({
          actorId: investigator.staffId,
          actorName: investigator.name,
          occurredAt: '2026-03-02T09:10:00.000Z',
          data: expect.objectContaining({ revision: 1, customerIds: [customer.id] }),
        }),
        expect.objectContaining({
          actorId: commander.staffId,
          occurredAt: '2026-03-02T09:25:00.000Z',
          data: expect.objectContaining({ revision: 2, serviceIds: [as2.id, sftp.id] }),
        }),
      ]);
    });

    it('refuses bad input with a clear 4xx and stores nothing', async () => {
      t.clock.set('2026-03-02T10:00:00Z');
      const incident = await declare();
      const put =
        (body: Record<string, unknown>, id = incident.id) =>
        () =>
          t.http.put(url(id, '/investigation')).set('Authorization', investigator.auth).send(body);

      expectViolation(await refused(put({ serviceIds: [as2.id, UNKNOWN_ID] })), 'serviceIds[1]', 'exists');
      expectViolation(await refused(put({ customerIds: [UNKNOWN_ID] })), 'customerIds[0]', 'exists');
      expectViolation(await refused(put({ symptoms: 'Slow', impact: 'all' })), 'impact', 'unknownField');
      expectViolation(await refused(put({ serviceIds: ['not-a-uuid'] })), 'serviceIds', 'isUuid');
      expectViolation(await refused(put({ serviceIds: [as2.id, as2.id] })), 'serviceIds', 'arrayUnique');
      expectViolation(await refused(put({})), 'body', 'nonEmpty');
      expectViolation(
        await refused(put({ symptoms: 'Slow', startedAt: '2026-03-02T11:00:00Z' })),
        'startedAt',
        'notInFuture',
      );
      expectError(await refused(put({ symptoms: 'Slow' }, UNKNOWN_ID)), 404, 'incident.not_found');
      expectError(await refused(put({ symptoms: 'Slow' }, 'INC-2026-99999')), 404, 'incident.not_found');
      expectError(
        await t.http.get(url(UNKNOWN_ID, '/investigation')).set('Authorization', investigator.auth),
        404,
        'incident.not_found',
      );

      await put({ symptoms: 'Slow', baseRevision: 0 })().then((res) => expect(res.status).toBe(200));
      const stale = await refused(put({ symptoms: 'Slower', baseRevision: 0 }));
      expectError(stale, 409, 'scope.stale_revision');
      expect(stale.body.details).toEqual({ baseRevision: 0, current: 1 });
    });
  });

  describe('experts', () => {
    it('adds an SME and a lead as participants, lists the team and lets an expert leave, on the timeline', async () => {
      t.clock.set('2026-03-02T10:55:00Z');
      const incident = await declare();
      t.clock.set('2026-03-02T11:00:00Z');
      const sme = await t.http
        .post(url(incident.id, '/experts'))
        .set('Authorization', investigator.auth)
        .send({ staffMemberId: expert.staffId, role: 'sme', domain: 'AS2 protocol' })
        .expect(201);
      expect(sme.body).toEqual({
        id: expect.any(String),
        staffMember: {
          id: expert.staffId,
          name: expert.name,
          email: expect.stringMatching(/@example\.com$/),
        },
        role: 'sme',
        domain: 'AS2 protocol',
        joinedAt: '2026-03-02T11:00:00.000Z',
        leftAt: null,
      });
      t.clock.set('2026-03-02T11:05:00Z');
      await t.http
        .post(url(incident.reference, '/experts'))
        .set('Authorization', commander.auth)
        .send({ staffMemberId: investigator.staffId, role: 'investigation_lead' })
        .expect(201);

      t.clock.set('2026-03-02T12:00:00Z');
      const left = await t.http
        .delete(url(incident.id, `/experts/${sme.body.id}`))
        .set('Authorization', investigator.auth)
        .expect(200);
      expect(left.body).toMatchObject({ id: sme.body.id, leftAt: '2026-03-02T12:00:00.000Z' });

      const team = await t.http
        .get(url(incident.id, '/experts'))
        .set('Authorization', others.support.auth)
        .expect(200);
      expect(team.body.map((p: { role: string; leftAt: string | null }) => [p.role, p.leftAt])).toEqual([
        ['commander', null],
        ['sme', '2026-03-02T12:00:00.000Z'],
        ['investigation_lead', null],
      ]);
      const entries = (await timeline(incident.id)).filter((e) => e.type.startsWith('participant.'));
      expect(entries).toEqual([
        expect.objectContaining({
          type: 'participant.joined',
          actorId: investigator.staffId,
          data: expect.objectContaining({
            role: 'sme',
            domain: 'AS2 protocol',
            staffMemberId: expert.staffId,
          }),
        }),
        expect.objectContaining({ type: 'participant.joined', actorId: commander.staffId }),
        expect.objectContaining({
          type: 'participant.left',
          actorId: investigator.staffId,
          actorName: investigator.name,
        }),
      ]);
    });

    it('refuses a duplicate, an SME without a domain, command and unknown people, changing nothing', async () => {
      const incident = await declare();
      const add =
        (body: Record<string, unknown>, id = incident.id) =>
        () =>
          t.http.post(url(id, '/experts')).set('Authorization', investigator.auth).send(body);
      await add({ staffMemberId: expert.staffId, role: 'communications_lead' })().then((r) =>
        expect(r.status).toBe(201),
      );

      expectError(
        await refused(add({ staffMemberId: expert.staffId, role: 'communications_lead' })),
        409,
        'participant.already_active',
      );
      expectViolation(
        await refused(add({ staffMemberId: expert.staffId, role: 'sme' })),
        'domain',
        'required',
      );
      expectViolation(
        await refused(add({ staffMemberId: expert.staffId, role: 'commander' })),
        'role',
        'isIn',
      );
      expectViolation(
        await refused(add({ staffMemberId: UNKNOWN_ID, role: 'investigation_lead' })),
        'staffMemberId',
        'exists',
      );
      expectViolation(
        await refused(add({ staffMemberId: expert.staffId, role: 'sme', domain: 'EDI', shift: 'night' })),
        'shift',
        'unknownField',
      );
      expectError(
        await refused(add({ staffMemberId: expert.staffId, role: 'investigation_lead' }, UNKNOWN_ID)),
        404,
        'incident.not_found',
      );

      const del = (participantId: string) => () =>
        t.http.delete(url(incident.id, `/experts/${participantId}`)).set('Authorization', investigator.auth);
      expectError(await refused(del(UNKNOWN_ID)), 404, 'participant.not_found');
      expectViolation(await refused(del('42')), 'participantId', 'isUuid');
      const team = await t.http.get(url(incident.id, '/experts')).set('Authorization', investigator.auth);
      const command = team.body.find((p: { role: string }) => p.role === 'commander');
      expectError(await refused(del(command.id)), 409, 'participant.is_commander');
    });
  });

  describe('resolution plan', () => {
    let incident: Incident;
    const steps = async (): Promise<StepBody[]> =>
      (
        await t.http
          .get(url(incident.id, '/plan/steps'))
          .set('Authorization', others.postmortem.auth)
          .expect(200)
      ).body;
    const addStep = (body: Record<string, unknown>) =>
      t.http.post(url(incident.id, '/plan/steps')).set('Authorization', investigator.auth).send(body);
    const patch = (sid: string, body: Record<string, unknown>) => () =>
      t.http
        .patch(url(incident.id, `/plan/steps/${sid}`))
        .set('Authorization', investigator.auth)
        .send(body);

    beforeAll(async () => {
      t.clock.set('2026-03-02T13:00:00Z');
      incident = await declare();
    });

    it('adds ordered steps with owner and ETA, inserting at a position when asked', async () => {
      const first = await addStep({
        title: 'Roll back the gateway certificate',
        description: 'Restore the certificate of 1 March',
        ownerId: expert.staffId,
        eta: '2026-03-02T14:00:00Z',
      }).expect(201);
      expect(first.body).toEqual({
        id: expect.any(String),
        position: 1,
        title: 'Roll back the gateway certificate',
        description: 'Restore the certificate of 1 March',
        owner: { id: expert.staffId, name: expert.name, email: expect.stringMatching(/@example\.com$/) },
        status: 'todo',
        allowedStatuses: ['doing', 'abandoned'],
        eta: '2026-03-02T14:00:00.000Z',
        createdAt: '2026-03-02T13:00:00.000Z',
        updatedAt: '2026-03-02T13:00:00.000Z',
        history: [
          {
            id: expect.any(String),
            at: '2026-03-02T13:00:00.000Z',
            actor: { id: investigator.staffId, name: investigator.name },
            fromStatus: null,
            toStatus: 'todo',
            changes: {
              ownerId: { from: null, to: expert.staffId },
              eta: { from: null, to: '2026-03-02T14:00:00.000Z' },
            },
            note: null,
          },
        ],
      });
      await addStep({ title: 'Replay the rejected messages' }).expect(201);
      const top = await addStep({ title: 'Freeze partner configuration changes', position: 1 }).expect(201);
      expect(top.body).toMatchObject({ position: 1, owner: null, eta: null, description: null });

      expect((await steps()).map((s) => [s.position, s.title])).toEqual([
        [1, 'Freeze partner configuration changes'],
        [2, 'Roll back the gateway certificate'],
        [3, 'Replay the rejected messages'],
      ]);
      const added = (await timeline(incident.id)).filter((e) => e.type === 'plan.step_added');
      expect(added).toHaveLength(3);
      expect(added[0]).toMatchObject({
        actorId: investigator.staffId,
        data: { stepId: first.body.id, title: 'Roll back the gateway certificate', to: 'todo' },
      });
    });

    it('executes a step: status changes with notes, each in the history and on the timeline', async () => {
      const [, rollback] = await steps();
      t.clock.set('2026-03-02T13:10:00Z');
      const doing = await patch(rollback.id, { status: 'doing', note: 'Started on the standby node' })().then(
        (r) => r.body,
      );
      expect(doing).toMatchObject({ status: 'doing', allowedStatuses: ['done', 'todo', 'abandoned'] });
      t.clock.set('2026-03-02T13:40:00Z');
      await patch(rollback.id, { status: 'done', note: 'Certificate restored; MDNs flow again' })().then(
        (r) => expect(r.status).toBe(200),
      );
      t.clock.set('2026-03-02T13:50:00Z');
      const reopened = await patch(rollback.id, {
        status: 'doing',
        note: 'Errors came back on one partner',
      })();
      expect(reopened.status).toBe(200);
      expect(
        reopened.body.history.map((h: StepBody['history'][0]) => [h.fromStatus, h.toStatus, h.note]),
      ).toEqual([
        [null, 'todo', null],
        ['todo', 'doing', 'Started on the standby node'],
        ['doing', 'done', 'Certificate restored; MDNs flow again'],
        ['done', 'doing', 'Errors came back on one partner'],
      ]);

      const changed = (await timeline(incident.id)).filter((e) => e.type === 'plan.step_status_changed');
      expect(changed.map((e) => [e.occurredAt, e.actorName, e.data.from, e.data.to, e.data.note])).toEqual([
        ['2026-03-02T13:10:00.000Z', investigator.name, 'todo', 'doing', 'Started on the standby node'],
        [
          '2026-03-02T13:40:00.000Z',
          investigator.name,
          'doing',
          'done',
          'Certificate restored; MDNs flow again',
        ],
        ['2026-03-02T13:50:00.000Z', investigator.name, 'done', 'doing', 'Errors came back on one partner'],
      ]);
    });

    it('edits a step, clears its owner and notes progress', async () => {
      const [freeze] = await steps();
      const edited = await patch(freeze.id, {
        title: 'Freeze all partner changes',
        ownerId: commander.staffId,
      })();
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({
        title: 'Freeze all partner changes',
        owner: { id: commander.staffId },
      });
      const cleared = await patch(freeze.id, { ownerId: null, eta: null })();
      expect(cleared.body.owner).toBeNull();
      const noted = await patch(freeze.id, { note: 'Change board informed' })();
      expect(noted.body.history.at(-1)).toMatchObject({
        fromStatus: null,
        toStatus: null,
        note: 'Change board informed',
      });

      const entries = (await timeline(incident.id))
        .filter((e) => e.data.stepId === freeze.id)
        .map((e) => e.type);
      expect(entries).toEqual([
        'plan.step_added',
        'plan.step_updated',
        'plan.step_updated',
        'plan.step_noted',
      ]);
      expect((await timeline(incident.id)).find((e) => e.type === 'plan.step_updated')?.data.changes).toEqual(
        {
          title: { from: 'Freeze partner configuration changes', to: 'Freeze all partner changes' },
          ownerId: { from: null, to: commander.staffId },
        },
      );
    });

    it('reorders the plan', async () => {
      const [freeze, rollback, replay] = await steps();
      const moved = await t.http
        .post(url(incident.id, `/plan/steps/${replay.id}/move`))
        .set('Authorization', investigator.auth)
        .send({ position: 1 })
        .expect(200);
      expect(moved.body.map((s: StepBody) => [s.position, s.id])).toEqual([
        [1, replay.id],
        [2, freeze.id],
        [3, rollback.id],
      ]);
      await t.http
        .post(url(incident.id, `/plan/steps/${replay.id}/move`))
        .set('Authorization', investigator.auth)
        .send({ position: 3 })
        .expect(200);
      expect((await steps()).map((s) => s.id)).toEqual([freeze.id, rollback.id, replay.id]);
      const moves = (await timeline(incident.id)).filter((e) => e.type === 'plan.step_moved');
      expect(moves.map((e) => e.data.changes)).toEqual([
        { position: { from: 3, to: 1 } },
        { position: { from: 1, to: 3 } },
      ]);
    });

    it('refuses illegal transitions, unknown owners and steps, and bad fields, changing nothing', async () => {
      const [freeze, rollback] = await steps();
      expect(freeze.status).toBe('todo');
      const illegal = await refused(patch(freeze.id, { status: 'done', note: 'Skipping ahead' }));
      expectError(illegal, 409, 'plan_step.illegal_transition');
      expect(illegal.body.details).toEqual({ from: 'todo', to: 'done', allowed: ['doing', 'abandoned'] });
      expectError(await refused(patch(freeze.id, { status: 'todo' })), 409, 'plan_step.illegal_transition');
      expectViolation(await refused(patch(freeze.id, { status: 'blocked' })), 'status', 'isIn');
      expectViolation(await refused(patch(freeze.id, { ownerId: UNKNOWN_ID })), 'ownerId', 'exists');
      expectViolation(await refused(patch(freeze.id, { title: null })), 'title', 'notNull');
      expectViolation(await refused(patch(freeze.id, { priority: 'high' })), 'priority', 'unknownField');
      expectViolation(await refused(patch(freeze.id, {})), 'body', 'nonEmpty');
      expectError(await refused(patch(UNKNOWN_ID, { status: 'doing' })), 404, 'plan_step.not_found');
      expectViolation(await refused(patch('step-1', { status: 'doing' })), 'sid', 'isUuid');

      const other = await declare();
      expectError(
        await refused(() =>
          t.http
            .patch(url(other.id, `/plan/steps/${rollback.id}`))
            .set('Authorization', investigator.auth)
            .send({ status: 'done' }),
        ),
        404,
        'plan_step.not_found',
      );

      expectViolation(
        await refused(() => addStep({ title: 'Page the vendor', ownerId: UNKNOWN_ID })),
        'ownerId',
        'exists',
      );
      expectViolation(
        await refused(() => addStep({ title: 'Page the vendor', position: 5 })),
        'position',
        'max',
      );
      expectViolation(await refused(() => addStep({ description: 'No title' })), 'title', 'required');
      expectViolation(
        await refused(() => addStep({ title: 'Page the vendor', state: 'x' })),
        'state',
        'unknownField',
      );
      expectError(
        await refused(() =>
          t.http
            .post(url(UNKNOWN_ID, '/plan/steps'))
            .set('Authorization', investigator.auth)
            .send({ title: 'X' }),
        ),
        404,
        'incident.not_found',
      );
      const move = (position: unknown) => () =>
        t.http
          .post(url(incident.id, `/plan/steps/${freeze.id}/move`))
          .set('Authorization', investigator.auth)
          .send({ position });
      expectViolation(await refused(move(4)), 'position', 'max');
      expectViolation(await refused(move(0)), 'position', 'min');
    });
  });

  describe('internal notes', () => {
    it('keeps notes oldest first with their author, on the timeline, and mails nobody', async () => {
      const incident = await declare();
      const deliveries = await countRows(t.db, 'deliveries');
      t.clock.set('2026-03-02T15:00:00Z');
      const note = await t.http
        .post(url(incident.id, '/notes'))
        .set('Authorization', investigator.auth)
        .send({ text: 'Certificate rotation at 09:05 UTC matches the first MDN error.' })
        .expect(201);
      expect(note.body).toEqual({
        id: expect.any(String),
        at: '2026-03-02T15:00:00.000Z',
        actor: { id: investigator.staffId, name: investigator.name },
        text: 'Certificate rotation at 09:05 UTC matches the first MDN error.',
      });
      t.clock.set('2026-03-02T15:05:00Z');
      await t.http
        .post(url(incident.reference, '/notes'))
        .set('Authorization', commander.auth)
        .send({ text: 'Partner support desk confirms the fix on their side.' })
        .expect(201);

      const list = await t.http
        .get(url(incident.id, '/notes'))
        .set('Authorization', others.support.auth)
        .expect(200);
      expect(list.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
      expect(list.body.items.map((n: { actor: { name: string } }) => n.actor.name)).toEqual([
        investigator.name,
        commander.name,
      ]);
      const entries = (await timeline(incident.id)).filter((e) => e.type === 'investigation.note_added');
      expect(entries[0]).toMatchObject({
        actorId: investigator.staffId,
        data: { noteId: note.body.id, internal: true },
      });
      expect(await countRows(t.db, 'deliveries')).toBe(deliveries);
    });

    it('refuses an empty or unknown field, and an unknown incident, changing nothing', async () => {
      const incident = await declare();
      const post =
        (body: Record<string, unknown>, id = incident.id) =>
        () =>
          t.http.post(url(id, '/notes')).set('Authorization', investigator.auth).send(body);
      expectViolation(await refused(post({})), 'text', 'required');
      expectViolation(await refused(post({ text: '' })), 'text', 'isLength');
      expectViolation(await refused(post({ text: 'x', visibility: 'public' })), 'visibility', 'unknownField');
      expectError(await refused(post({ text: 'x' }, UNKNOWN_ID)), 404, 'incident.not_found');
    });
  });

  describe('access', () => {
    it('lets investigators and commanders write, any staff role read, and refuses the other roles', async () => {
      const incident = await declare();
      const step = await t.http
        .post(url(incident.id, '/plan/steps'))
        .set('Authorization', commander.auth)
        .send({ title: 'Restart the AS2 listener' })
        .expect(201);
      const sme = await t.http
        .post(url(incident.id, '/experts'))
        .set('Authorization', commander.auth)
        .send({ staffMemberId: expert.staffId, role: 'sme', domain: 'AS2 protocol' })
        .expect(201);
      const writes = [
        { method: 'put', path: '/investigation', body: { symptoms: 'Slow' } },
        {
          method: 'post',
          path: '/experts',
          body: { staffMemberId: investigator.staffId, role: 'investigation_lead' },
        },
        { method: 'delete', path: `/experts/${sme.body.id}`, body: undefined },
        { method: 'post', path: '/plan/steps', body: { title: 'Call the partner' } },
        { method: 'patch', path: `/plan/steps/${step.body.id}`, body: { status: 'doing' } },
        { method: 'post', path: `/plan/steps/${step.body.id}/move`, body: { position: 1 } },
        { method: 'post', path: '/notes', body: { text: 'Noted' } },
      ] as const;
      const reads = ['/investigation', '/experts', '/plan/steps', '/notes'];

      for (const [role, staff] of Object.entries(others)) {
        for (const { method, path, body } of writes) {
          const res = await refused(() =>
            t.http[method](url(incident.id, path)).set('Authorization', staff.auth).send(body),
          );
          expect({ role, method, path, status: res.status }).toEqual({ role, method, path, status: 403 });
          expectError(res, 403, 'forbidden');
        }
        for (const path of reads) {
          const res = await t.http.get(url(incident.id, path)).set('Authorization', staff.auth);
          expect({ role, path, status: res.status }).toEqual({ role, path, status: 200 });
        }
      }
      for (const { method, path, body } of writes) {
        const res = await t.http[method](url(incident.id, path))
          .set('Authorization', investigator.auth)
          .send(body);
        expect({ method, path, status: res.status }).toEqual({
          method,
          path,
          status: method === 'post' && !path.endsWith('/move') ? 201 : 200,
        });
      }
    });

    it('leaves moving the incident to identified, monitoring and resolved to the commander role', async () => {
      const incident = await declare();
      for (const status of ['identified', 'monitoring']) {
        const res = await refused(() =>
          t.http.patch(url(incident.id)).set('Authorization', investigator.auth).send({ status }),
        );
        expectError(res, 403, 'forbidden');
      }
      expectError(
        await refused(() =>
          t.http
            .post(url(incident.id, '/resolve'))
            .set('Authorization', investigator.auth)
            .send({ summary: 'Fixed' }),
        ),
        403,
        'forbidden',
      );
      await t.http
        .patch(url(incident.id))
        .set('Authorization', commander.auth)
        .send({ status: 'identified' })
        .expect(200);
      await t.http
        .patch(url(incident.id))
        .set('Authorization', commander.auth)
        .send({ status: 'monitoring' })
        .expect(200);
      await t.http
        .post(url(incident.id, '/resolve'))
        .set('Authorization', commander.auth)
        .send({ summary: 'Certificate rolled back' })
        .expect(200);
    });

    it('hides a confidential incident from an investigator who is not on it, until they join', async () => {
      const breach = await declare({ kind: 'security_breach', title: 'Suspicious logins on the portal' });
      const reads = ['/investigation', '/experts', '/plan/steps', '/notes'];
      for (const path of reads) {
        for (const id of [breach.id, breach.reference]) {
          const res = await t.http.get(url(id, path)).set('Authorization', investigator.auth);
          expectError(res, 404, 'incident.not_found');
        }
      }
      expectError(
        await refused(() =>
          t.http
            .put(url(breach.id, '/investigation'))
            .set('Authorization', investigator.auth)
            .send({ symptoms: 'x' }),
        ),
        404,
        'incident.not_found',
      );
      expectError(
        await refused(() =>
          t.http.post(url(breach.id, '/notes')).set('Authorization', investigator.auth).send({ text: 'x' }),
        ),
        404,
        'incident.not_found',
      );
      expectError(
        await refused(() =>
          t.http
            .post(url(breach.id, '/experts'))
            .set('Authorization', investigator.auth)
            .send({ staffMemberId: investigator.staffId, role: 'investigation_lead' }),
        ),
        404,
        'incident.not_found',
      );

      await t.http
        .post(url(breach.id, '/experts'))
        .set('Authorization', commander.auth)
        .send({ staffMemberId: investigator.staffId, role: 'investigation_lead' })
        .expect(201);
      for (const path of reads)
        await t.http.get(url(breach.id, path)).set('Authorization', investigator.auth).expect(200);
      await t.http
        .post(url(breach.id, '/notes'))
        .set('Authorization', investigator.auth)
        .send({ text: 'Login attempts come from one address range.' })
        .expect(201);
    });

    it('refuses changes once the incident is closed, and still shows the record', async () => {
      const incident = await declare();
      const step = await t.http
        .post(url(incident.id, '/plan/steps'))
        .set('Authorization', investigator.auth)
        .send({ title: 'Restart the AS2 listener' })
        .expect(201);
      await t.http
        .post(url(incident.id, '/resolve'))
        .set('Authorization', commander.auth)
        .send({ summary: 'Restarted' })
        .expect(200);
      await t.http
        .post(url(incident.id, '/close'))
        .set('Authorization', t.admin)
        .send({ reason: 'Drill' })
        .expect(200);

      const writes = [
        () =>
          t.http
            .put(url(incident.id, '/investigation'))
            .set('Authorization', investigator.auth)
            .send({ symptoms: 'x' }),
        () =>
          t.http
            .post(url(incident.id, '/plan/steps'))
            .set('Authorization', investigator.auth)
            .send({ title: 'x' }),
        () =>
          t.http
            .patch(url(incident.id, `/plan/steps/${step.body.id}`))
            .set('Authorization', investigator.auth)
            .send({ status: 'doing' }),
        () =>
          t.http
            .post(url(incident.id, `/plan/steps/${step.body.id}/move`))
            .set('Authorization', investigator.auth)
            .send({ position: 1 }),
        () =>
          t.http.post(url(incident.id, '/notes')).set('Authorization', investigator.auth).send({ text: 'x' }),
        () =>
          t.http
            .post(url(incident.id, '/experts'))
            .set('Authorization', investigator.auth)
            .send({ staffMemberId: expert.staffId, role: 'sme', domain: 'AS2 protocol' }),
      ];
      for (const write of writes) expectError(await refused(write), 409, 'incident.closed');
      const plan = await t.http
        .get(url(incident.id, '/plan/steps'))
        .set('Authorization', investigator.auth)
        .expect(200);
      expect(plan.body).toHaveLength(1);
    });
  });
});
