import type { Response } from 'supertest';
import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { ActionReminderTicks } from '../../src/postmortem/actions/action-reminder-ticks';
import { PostmortemRecord } from '../../src/postmortem/analysis/postmortem-record';
import { dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { declareIncident, staffWithToken } from '../support/fixtures';
import { SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

type Staff = Awaited<ReturnType<typeof staffWithToken>>;
interface TimelineItem {
  type: string;
  actorId: string | null;
  occurredAt: string;
  data: Record<string, unknown>;
}
interface ParticipantBody {
  staffMember: { id: string; name: string };
  role: string;
}

const POSTMORTEM_TABLES = [
  'postmortem_analyses',
  'postmortem_participants',
  'postmortem_action_items',
  'deliveries',
];
const COMPLETE = {
  wentWell: 'The AS2 specialist joined within ten minutes.',
  wentBadly: 'The first notice waited for the commander to come back from a call.',
  failureCauses: 'No deputy could approve notices.',
  rootCauses: 'The gateway certificate expired: its renewal was not monitored.',
};

/** The major problem analysis and its action plan, on the real app, PostgreSQL and SMTP. */
describe('post-mortem analysis and action plan', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let ticks: ActionReminderTicks;
  let commander: Staff;
  let lead: Staff;
  let expert: Staff;
  let problemManager: Staff;
  let reviewer: Staff;
  let notifier: Staff;

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({ env: { SMTP_URL: sink.url, BUSINESS_TIMEZONE: 'Europe/Paris' } });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    ticks = t.app.get(ActionReminderTicks);
    commander = await staffWithToken(t, ['commander'], 'duty-commander');
    lead = await staffWithToken(t, ['investigator'], 'network-engineer');
    expert = await staffWithToken(t, ['investigator'], 'as2-specialist');
    problemManager = await staffWithToken(t, ['postmortem'], 'problem-manager');
    reviewer = await staffWithToken(t, ['postmortem'], 'quality-manager');
    notifier = await staffWithToken(t, ['notifier'], 'notification-officer');
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  const url = (incident: string, path = '') => `/api/v1/incidents/${incident}/postmortem${path}`;
  const timeline = async (id: string): Promise<TimelineItem[]> =>
    (await t.http.get(`/api/v1/incidents/${id}/timeline?limit=200`).set('Authorization', t.admin).expect(200))
      .body.items;
  const analysis = async (id: string, auth = problemManager.auth) =>
    (await t.http.get(url(id)).set('Authorization', auth).expect(200)).body;

  /** Declared, with a lead and an expert who leaves before the end, then resolved. */
  const resolvedIncident = async (body: Record<string, unknown> = {}) => {
    const incident = await declareIncident(t, commander.auth, body);
    const addParticipant = (staffMemberId: string, role: string, domain?: string) =>
      t.http
        .post(`/api/v1/incidents/${incident.id}/participants`)
        .set('Authorization', commander.auth)
        .send({ staffMemberId, role, ...(domain ? { domain } : {}) })
        .expect(201);
    await addParticipant(lead.staffId, 'investigation_lead');
    await addParticipant(lead.staffId, 'sme', 'AS2 protocol');
    const sme = await addParticipant(expert.staffId, 'sme', 'Certificates');
    await t.http
      .delete(`/api/v1/incidents/${incident.id}/participants/${sme.body.id}`)
      .set('Authorization', commander.auth)
      .expect(200);
    const resolved = await t.http
      .post(`/api/v1/incidents/${incident.id}/resolve`)
      .set('Authorization', commander.auth)
      .send({ summary: 'Certificate renewed and gateway restarted' })
      .expect(200);
    return resolved.body as { id: string; reference: string; resolvedAt: string };
  };
  const addAction = async (incidentId: string, body: Record<string, unknown> = {}) =>
    (
      await t.http
        .post(url(incidentId, '/actions'))
        .set('Authorization', problemManager.auth)
        .send({
          title: 'Alert on certificate expiry 30 days ahead',
          ownerId: lead.staffId,
          dueOn: '2026-04-15',
          ...body,
        })
        .expect(201)
    ).body;

  /** Foundation tables, the post-mortem's own and the delivery ledger, digested row by row. */
  const snapshot = async () => {
    const digests = POSTMORTEM_TABLES.map(
      (table) =>
        `(SELECT count(*) || ':' || coalesce(md5(string_agg(r::text, '|' ORDER BY r::text)), '')
            FROM ${table} r) AS ${table}`,
    );
    const [own] = await t.db.query(`SELECT ${digests.join(', ')}`);
    return { ...(await dbSnapshot(t.db)), ...own };
  };
  /** Items of earlier tests are done: each reminder test counts only its own. */
  const settleEarlierItems = async () => {
    await t.db.query(
      `UPDATE postmortem_action_items SET status = 'done' WHERE status IN ('open','in_progress')`,
    );
    sink.received.length = 0;
  };
  const refused = async (send: () => Promise<Response>): Promise<Response> => {
    const before = await snapshot();
    const res = await send();
    expect(await snapshot()).toEqual(before);
    return res;
  };

  it('is not there before resolution: 409 postmortem.incident_not_resolved', async () => {
    const incident = await declareIncident(t, commander.auth, {});
    expectError(
      await refused(() => t.http.get(url(incident.id)).set('Authorization', problemManager.auth)),
      409,
      'postmortem.incident_not_resolved',
    );
    expectError(
      await refused(() =>
        t.http
          .post(url(incident.reference, '/actions'))
          .set('Authorization', problemManager.auth)
          .send({ title: 'Too early', ownerId: lead.staffId, dueOn: '2026-04-15' }),
      ),
      409,
      'postmortem.incident_not_resolved',
    );
  });

  it('opens as a draft on resolution with every participant of the incident, those who left included', async () => {
    t.clock.set('2026-03-02T11:00:00Z');
    const incident = await resolvedIncident();
    const body = await analysis(incident.reference, notifier.auth);
    expect(body).toMatchObject({
      incidentId: incident.id,
      incidentReference: incident.reference,
      status: 'draft',
      editable: true,
      allowedActions: ['submit'],
      version: 1,
      wentWell: '',
      rootCauses: '',
      actions: [],
      openedAt: incident.resolvedAt,
      submittedAt: null,
      approvedAt: null,
      approvedBy: null,
    });
    // The lead held two roles: listed once, with the more senior one.
    const roles = Object.fromEntries(
      (body.participants as ParticipantBody[]).map((p) => [p.staffMember.id, p.role]),
    );
    expect(roles).toEqual({
      [commander.staffId]: 'commander',
      [lead.staffId]: 'investigation_lead',
      [expert.staffId]: 'sme',
    });
    const opened = (await timeline(incident.id)).filter((e) => e.type === 'postmortem.opened');
    expect(opened).toEqual([
      expect.objectContaining({
        actorId: null,
        occurredAt: incident.resolvedAt,
        data: expect.objectContaining({ reason: 'incident_resolved' }),
      }),
    ]);
    expect(opened[0].data.participants).toHaveLength(3);
  });

  it('opens on first use for an incident resolved before the analysis existed', async () => {
    const incident = await resolvedIncident();
    // As if resolved before the feature: no analysis row yet.
    await t.db.query('DELETE FROM postmortem_participants WHERE incident_id = $1', [incident.id]);
    await t.db.query('DELETE FROM postmortem_analyses WHERE incident_id = $1', [incident.id]);
    t.clock.advanceMinutes(60);
    const [first, second] = await Promise.all([analysis(incident.id), analysis(incident.id)]);
    expect(first).toEqual(second);
    expect(first).toMatchObject({ status: 'draft', version: 1, openedAt: t.clock.now().toISOString() });
    expect(first.participants).toHaveLength(3);
    const opened = (await timeline(incident.id)).filter((e) => e.type === 'postmortem.opened');
    // The first entry is the one of the resolution this test undid.
    expect(opened.map((e) => e.data.reason)).toEqual(['incident_resolved', 'first_use']);
  });

  it('edits with the version read, goes through review and approval, and lets the incident close', async () => {
    t.clock.set('2026-03-03T09:00:00Z');
    const incident = await resolvedIncident();

    const edited = await t.http
      .put(url(incident.id))
      .set('Authorization', problemManager.auth)
      .send({
        version: 1,
        wentWell: COMPLETE.wentWell,
        rootCauses: COMPLETE.rootCauses,
        participants: [
          { staffMemberId: commander.staffId },
          { staffMemberId: lead.staffId },
          { staffMemberId: reviewer.staffId },
        ],
      })
      .expect(200);
    expect(edited.body).toMatchObject({
      version: 2,
      wentWell: COMPLETE.wentWell,
      rootCauses: COMPLETE.rootCauses,
    });
    expect(
      (edited.body.participants as ParticipantBody[]).map((p) => [p.staffMember.id, p.role]).sort(),
    ).toEqual(
      [
        [commander.staffId, 'commander'],
        [lead.staffId, 'investigation_lead'],
        [reviewer.staffId, 'reviewer'],
      ].sort(),
    );

    // Someone else still holds version 1: their save is refused, nothing changes.
    const stale = await refused(() =>
      t.http
        .put(url(incident.id))
        .set('Authorization', reviewer.auth)
        .send({ version: 1, rootCauses: 'Overwrites the other edit' }),
    );
    expectError(stale, 409, 'postmortem.stale_version');
    expect(stale.body.details).toEqual({ currentVersion: 2, givenVersion: 1 });

    // Not ready for review: every missing part is named.
    const incomplete = await refused(() =>
      t.http.post(url(incident.id, '/submit')).set('Authorization', problemManager.auth),
    );
    expectError(incomplete, 409, 'postmortem.incomplete');
    expect((incomplete.body.details as { field: string }[]).map((d) => d.field)).toEqual([
      'wentBadly',
      'failureCauses',
      'actions',
    ]);

    await t.http
      .put(url(incident.id))
      .set('Authorization', problemManager.auth)
      .send({ version: 2, ...COMPLETE })
      .expect(200);
    const action = await addAction(incident.id, {
      trackerUrl: 'https://tracker.example.com/browse/OPS-1234',
    });
    expect(action).toMatchObject({
      incident: { id: incident.id, reference: incident.reference },
      owner: { id: lead.staffId, name: lead.name },
      dueOn: '2026-04-15',
      status: 'open',
      overdue: false,
      trackerUrl: 'https://tracker.example.com/browse/OPS-1234',
    });

    // Closing before approval is refused to the commander.
    expectError(
      await t.http
        .post(`/api/v1/incidents/${incident.id}/close`)
        .set('Authorization', commander.auth)
        .send({}),
      409,
      'incident.postmortem_not_approved',
    );
    expectError(
      await t.http.post(url(incident.id, '/approve')).set('Authorization', reviewer.auth),
      409,
      'postmortem.illegal_transition',
    );

    t.clock.advanceMinutes(30);
    const submitted = await t.http
      .post(url(incident.id, '/submit'))
      .set('Authorization', problemManager.auth)
      .send({ version: 3 })
      .expect(200);
    expect(submitted.body).toMatchObject({
      status: 'in_review',
      editable: true,
      allowedActions: ['approve', 'reopen'],
      submittedAt: t.clock.now().toISOString(),
      version: 4,
    });
    // The review may still polish the text.
    await t.http
      .put(url(incident.id))
      .set('Authorization', reviewer.auth)
      .send({ version: 4, contributingFactors: 'Renewal reminders went to a shared mailbox nobody read.' })
      .expect(200);

    t.clock.advanceMinutes(30);
    const approved = await t.http
      .post(url(incident.id, '/approve'))
      .set('Authorization', reviewer.auth)
      .expect(200);
    expect(approved.body).toMatchObject({
      status: 'approved',
      editable: false,
      allowedActions: ['reopen'],
      approvedAt: t.clock.now().toISOString(),
      approvedBy: { id: reviewer.staffId, name: reviewer.name },
      version: 6,
      actions: [expect.objectContaining({ id: action.id })],
    });
    expectError(
      await refused(() =>
        t.http
          .put(url(incident.id))
          .set('Authorization', problemManager.auth)
          .send({ version: 6, wentWell: 'x' }),
      ),
      409,
      'postmortem.not_editable',
    );

    // The read service the RCA report uses sees the same content.
    const record = await t.app.get(PostmortemRecord).get(t.db.manager, incident.id);
    expect(record).toMatchObject({
      analysis: { status: 'approved', rootCauses: COMPLETE.rootCauses, approvedBy: { id: reviewer.staffId } },
      actionItems: [{ id: action.id, owner: { id: lead.staffId, name: lead.name }, dueOn: '2026-04-15' }],
    });
    expect(record!.participants.map((p) => p.staffMemberId).sort()).toEqual(
      [commander.staffId, lead.staffId, reviewer.staffId].sort(),
    );

    const closed = await t.http
      .post(`/api/v1/incidents/${incident.reference}/close`)
      .set('Authorization', commander.auth)
      .send({})
      .expect(200);
    expect(closed.body).toMatchObject({ status: 'closed', postmortemApprovedAt: approved.body.approvedAt });

    // A correction after closing: back to draft, the incident keeps the approval it closed on.
    t.clock.advanceMinutes(60);
    const reopened = await t.http
      .post(url(incident.id, '/reopen'))
      .set('Authorization', problemManager.auth)
      .send({ reason: 'Vendor report changes the root cause' })
      .expect(200);
    expect(reopened.body).toMatchObject({
      status: 'draft',
      approvedAt: null,
      approvedBy: null,
      submittedAt: null,
    });
    const after = await t.http
      .get(`/api/v1/incidents/${incident.id}`)
      .set('Authorization', t.admin)
      .expect(200);
    expect(after.body).toMatchObject({ status: 'closed', postmortemApprovedAt: approved.body.approvedAt });

    const entries = (await timeline(incident.id)).filter((e) => e.type.startsWith('postmortem.'));
    expect(entries.map((e) => e.type)).toEqual([
      'postmortem.opened',
      'postmortem.updated',
      'postmortem.updated',
      'postmortem.action_added',
      'postmortem.submitted',
      'postmortem.updated',
      'postmortem.approved',
      'postmortem.reopened',
    ]);
    expect(entries[1]).toMatchObject({
      actorId: problemManager.staffId,
      data: {
        fields: ['wentWell', 'rootCauses'],
        participants: {
          added: [{ staffMemberId: reviewer.staffId, role: 'reviewer' }],
          removed: [{ staffMemberId: expert.staffId, role: 'sme' }],
        },
      },
    });
    expect(entries.at(-1)).toMatchObject({
      actorId: problemManager.staffId,
      data: {
        from: 'approved',
        to: 'draft',
        reason: 'Vendor report changes the root cause',
        incidentApprovalCleared: false,
      },
    });
  });

  it('reopening before the close takes the approval back: the commander cannot close until it is approved again', async () => {
    const incident = await resolvedIncident();
    await t.http
      .put(url(incident.id))
      .set('Authorization', problemManager.auth)
      .send({ version: 1, ...COMPLETE })
      .expect(200);
    await addAction(incident.id);
    await t.http.post(url(incident.id, '/submit')).set('Authorization', problemManager.auth).expect(200);
    await t.http.post(url(incident.id, '/approve')).set('Authorization', reviewer.auth).expect(200);
    const approvedIncident = await t.http
      .get(`/api/v1/incidents/${incident.id}`)
      .set('Authorization', t.admin);
    expect(approvedIncident.body.postmortemApprovedAt).not.toBeNull();

    expectViolation(
      await refused(() =>
        t.http.post(url(incident.id, '/reopen')).set('Authorization', reviewer.auth).send({}),
      ),
      'reason',
      'required',
    );
    await t.http
      .post(url(incident.id, '/reopen'))
      .set('Authorization', reviewer.auth)
      .send({ reason: 'Action owner is on leave; reassign first' })
      .expect(200);
    const reopened = await t.http.get(`/api/v1/incidents/${incident.id}`).set('Authorization', t.admin);
    expect(reopened.body.postmortemApprovedAt).toBeNull();
    expectError(
      await t.http
        .post(`/api/v1/incidents/${incident.id}/close`)
        .set('Authorization', commander.auth)
        .send({}),
      409,
      'incident.postmortem_not_approved',
    );
    const last = (await timeline(incident.id)).at(-1)!;
    expect(last).toMatchObject({ type: 'postmortem.reopened', data: { incidentApprovalCleared: true } });
  });

  it('refuses bad input with 400s naming the field, changing nothing', async () => {
    const incident = await resolvedIncident();
    const action = await addAction(incident.id);
    const inactive = await staffWithToken(t, ['investigator'], 'former-engineer');
    await t.http
      .patch(`/api/v1/staff/${inactive.staffId}`)
      .set('Authorization', t.admin)
      .send({ active: false })
      .expect(200);
    const put = (body: Record<string, unknown>) => () =>
      t.http.put(url(incident.id)).set('Authorization', problemManager.auth).send(body);
    const post = (body: Record<string, unknown>) => () =>
      t.http
        .post(url(incident.id, '/actions'))
        .set('Authorization', problemManager.auth)
        .send({ title: 'Rotate keys', ownerId: lead.staffId, dueOn: '2026-04-15', ...body });
    const patch = (body: Record<string, unknown>) => () =>
      t.http
        .patch(url(incident.id, `/actions/${action.id}`))
        .set('Authorization', problemManager.auth)
        .send(body);

    expectViolation(await refused(put({ wentWell: 'No version' })), 'version', 'required');
    expectViolation(await refused(put({ version: 1, rootCauses: 42 })), 'rootCauses', 'isString');
    expectViolation(await refused(put({ version: 1, lessons: 'x' })), 'lessons', 'unknownField');
    expectViolation(
      await refused(put({ version: 1, participants: [{ staffMemberId: lead.staffId, role: 'observer' }] })),
      'participants[0].role',
      'isIn',
    );
    expectViolation(
      await refused(
        put({ version: 1, participants: [{ staffMemberId: lead.staffId }, { staffMemberId: lead.staffId }] }),
      ),
      'participants',
      'arrayUnique',
    );
    expectViolation(
      await refused(
        put({
          version: 1,
          wentWell: 'Would be saved with a valid list',
          participants: [{ staffMemberId: lead.staffId }, { staffMemberId: inactive.staffId }],
        }),
      ),
      'participants[1].staffMemberId',
      'exists',
    );

    expectViolation(await refused(post({ title: undefined })), 'title', 'required');
    expectViolation(await refused(post({ dueOn: '2026-02-30' })), 'dueOn', 'isCalendarDate');
    expectViolation(await refused(post({ dueOn: '15/04/2026' })), 'dueOn', 'isCalendarDate');
    expectViolation(
      await refused(post({ trackerUrl: 'ftp://tracker.example.com/OPS-1' })),
      'trackerUrl',
      'isUrl',
    );
    expectViolation(await refused(post({ trackerUrl: 'javascript:alert(1)' })), 'trackerUrl', 'isUrl');
    expectViolation(await refused(post({ ownerId: 'someone' })), 'ownerId', 'isUuid');
    expectViolation(await refused(post({ ownerId: inactive.staffId })), 'ownerId', 'exists');
    expectViolation(await refused(post({ status: 'finished' })), 'status', 'isIn');

    expectViolation(await refused(patch({})), 'body', 'nonEmpty');
    expectViolation(await refused(patch({ status: 'finished' })), 'status', 'isIn');
    expectViolation(await refused(patch({ ownerId: inactive.staffId })), 'ownerId', 'exists');
    expectViolation(await refused(patch({ title: '' })), 'title', 'isLength');
    expectError(
      await refused(() =>
        t.http
          .patch(url(incident.id, '/actions/00000000-0000-4000-8000-000000000000'))
          .set('Authorization', problemManager.auth)
          .send({ status: 'done' }),
      ),
      404,
      'action_item.not_found',
    );
    expectViolation(
      await refused(() =>
        t.http
          .patch(url(incident.id, '/actions/nope'))
          .set('Authorization', problemManager.auth)
          .send({ status: 'done' }),
      ),
      'actionId',
      'isUuid',
    );
  });

  it('lets only the post-mortem team and admins write; any staff who sees the incident reads', async () => {
    const incident = await resolvedIncident();
    const action = await addAction(incident.id);
    const forbidden = [
      () =>
        t.http.put(url(incident.id)).set('Authorization', notifier.auth).send({ version: 1, wentWell: 'x' }),
      () => t.http.post(url(incident.id, '/submit')).set('Authorization', commander.auth),
      () => t.http.post(url(incident.id, '/approve')).set('Authorization', lead.auth),
      () =>
        t.http.post(url(incident.id, '/reopen')).set('Authorization', notifier.auth).send({ reason: 'x' }),
      () =>
        t.http
          .post(url(incident.id, '/actions'))
          .set('Authorization', commander.auth)
          .send({ title: 'x', ownerId: lead.staffId, dueOn: '2026-04-15' }),
      () =>
        t.http
          .patch(url(incident.id, `/actions/${action.id}`))
          .set('Authorization', lead.auth)
          .send({ status: 'done' }),
    ];
    for (const send of forbidden) expectError(await refused(send), 403, 'forbidden');

    await t.http.get(url(incident.id)).set('Authorization', notifier.auth).expect(200);
    await t.http.get(url(incident.id, '/actions')).set('Authorization', lead.auth).expect(200);
    // Admins may do everything.
    await t.http
      .put(url(incident.id))
      .set('Authorization', t.admin)
      .send({ version: 1, internalNotes: 'Admin remark' })
      .expect(200);
    const patched = await t.http
      .patch(url(incident.id, `/actions/${action.id}`))
      .set('Authorization', t.admin)
      .send({ status: 'done', description: null, trackerUrl: 'http://tracker/OPS-7' })
      .expect(200);
    expect(patched.body).toMatchObject({
      status: 'done',
      doneAt: t.clock.now().toISOString(),
      description: '',
    });
    const entry = (await timeline(incident.id)).at(-1)!;
    expect(entry).toMatchObject({
      type: 'postmortem.action_updated',
      data: {
        actionId: action.id,
        changes: {
          status: { from: 'open', to: 'done' },
          trackerUrl: { from: null, to: 'http://tracker/OPS-7' },
        },
      },
    });
  });

  it('keeps a confidential incident and its action items hidden from non-participants', async () => {
    t.clock.set('2026-03-04T09:00:00Z');
    await settleEarlierItems();
    const breach = await resolvedIncident({
      kind: 'security_breach',
      title: 'Credential stuffing on the portal',
    });
    // The problem manager joins the breach to run its analysis, and leaves afterwards.
    const joined = await t.http
      .post(`/api/v1/incidents/${breach.id}/participants`)
      .set('Authorization', commander.auth)
      .send({ staffMemberId: problemManager.staffId, role: 'communications_lead' })
      .expect(201);
    const item = await addAction(breach.id, { title: 'Rate-limit portal logins', dueOn: '2026-03-01' });
    await t.http
      .delete(`/api/v1/incidents/${breach.id}/participants/${joined.body.id}`)
      .set('Authorization', commander.auth)
      .expect(200);

    expectError(
      await t.http.get(url(breach.id)).set('Authorization', notifier.auth),
      404,
      'incident.not_found',
    );
    expectError(
      await t.http.get(url(breach.reference, '/actions')).set('Authorization', problemManager.auth),
      404,
      'incident.not_found',
    );
    const ids = async (auth: string) =>
      (
        (await t.http.get('/api/v1/actions?overdue=true&limit=200').set('Authorization', auth).expect(200))
          .body.items as { id: string }[]
      ).map((i) => i.id);
    expect(await ids(notifier.auth)).not.toContain(item.id);
    expect(await ids(problemManager.auth)).not.toContain(item.id);
    expect(await ids(commander.auth)).toContain(item.id);
    expect(await ids(t.admin)).toContain(item.id);

    // The owner's reminder names the breach by its reference only.
    expect(await ticks.runDue()).toBe(1);
    await worker.drain();
    const email = (await t.http.get(`/api/v1/staff/${lead.staffId}`).set('Authorization', t.admin)).body
      .email;
    const [mail] = sink.to(email);
    expect(mail.parsed.subject).toBe(`[${breach.reference}] Overdue action: Rate-limit portal logins`);
    expect(mail.parsed.text).toContain(`Incident:  ${breach.reference}\n`);
    expect(`${mail.parsed.text}${mail.parsed.html}`).not.toContain('Credential stuffing');
  });

  it('lists overdue items by the business time zone, with owner filter and pagination', async () => {
    t.clock.set('2026-03-10T12:00:00Z');
    const incident = await resolvedIncident();
    const owner = await staffWithToken(t, ['investigator'], 'platform-engineer');
    const add = (body: Record<string, unknown>) => {
      t.clock.advanceMinutes(1);
      return addAction(incident.id, { ownerId: owner.staffId, ...body });
    };
    const overdue = await add({ dueOn: '2026-03-09', title: 'A' });
    const dueToday = await add({ dueOn: '2026-03-10', title: 'B' });
    const older = await add({
      dueOn: '2026-03-05',
      status: 'in_progress',
      title: 'C',
    });
    await add({ dueOn: '2026-03-01', status: 'done', title: 'D' });
    await add({ dueOn: '2026-03-01', status: 'cancelled', title: 'E' });

    const list = (query: string) =>
      t.http
        .get(`/api/v1/actions?ownerId=${owner.staffId}&${query}`)
        .set('Authorization', notifier.auth)
        .expect(200);
    const first = await list('overdue=true');
    expect(first.body).toMatchObject({ total: 2, limit: 50, offset: 0 });
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([older.id, overdue.id]);
    expect(first.body.items[0]).toMatchObject({
      overdue: true,
      incident: {
        id: incident.id,
        reference: incident.reference,
        title: 'AS2 gateway rejects inbound messages',
      },
      owner: { id: owner.staffId, name: owner.name },
    });
    const page = await list('overdue=true&limit=1&offset=1');
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1, items: [{ id: overdue.id }] });
    expect((await list('overdue=false')).body.total).toBe(3);
    expect((await list(`status=done,cancelled&incidentId=${incident.id}`)).body.total).toBe(2);

    // 23:30 UTC is already the 11th in Paris: the item due on the 10th is now overdue.
    t.clock.set('2026-03-10T23:30:00Z');
    const late = await list('overdue=true');
    expect(late.body.items.map((i: { id: string }) => i.id)).toEqual([older.id, overdue.id, dueToday.id]);

    const perIncident = await t.http
      .get(url(incident.reference, '/actions'))
      .set('Authorization', notifier.auth)
      .expect(200);
    expect(perIncident.body.map((i: { title: string; overdue: boolean }) => [i.title, i.overdue])).toEqual([
      ['A', true],
      ['B', true],
      ['C', true],
      ['D', false],
      ['E', false],
    ]);
    expectViolation(
      await t.http.get('/api/v1/actions?overdue=maybe').set('Authorization', notifier.auth),
      'overdue',
      'isBoolean',
    );
  });

  it('mails the owner of an overdue item once per interval, through the ledger', async () => {
    t.clock.set('2026-03-20T08:00:00Z');
    await settleEarlierItems();

    const incident = await resolvedIncident();
    const owner = await staffWithToken(t, ['investigator'], 'storage-engineer');
    const item = await addAction(incident.id, {
      ownerId: owner.staffId,
      title: 'Monitor certificate renewals',
      description: 'Alert 30 days before any gateway certificate expires.',
      dueOn: '2026-03-20',
      trackerUrl: 'https://tracker.example.com/browse/OPS-42',
    });
    const email = (await t.http.get(`/api/v1/staff/${owner.staffId}`).set('Authorization', t.admin)).body
      .email;
    expect(await ticks.runDue()).toBe(0); // due today: not overdue yet

    t.clock.set('2026-03-22T08:00:00Z');
    expect(await ticks.runDue()).toBe(1);
    expect(await ticks.runDue()).toBe(0);
    await worker.drain();
    const mails = sink.to(email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail.parsed.subject).toBe(`[${incident.reference}] Overdue action: Monitor certificate renewals`);
    expect(mail.parsed.text).toContain('Alert 30 days before any gateway certificate expires.');
    expect(mail.parsed.text).toContain('Due:       2026-03-20 (2 day(s) overdue)');
    expect(mail.parsed.text).toContain(`${incident.reference} — AS2 gateway rejects inbound messages`);
    expect(mail.parsed.text).toContain(
      `${t.config.publicBaseUrl}/api/v1/incidents/${incident.reference}/postmortem/actions`,
    );
    expect(mail.parsed.html).toContain('https://tracker.example.com/browse/OPS-42');

    const [delivery] = await t.db.query(
      `SELECT kind, recipient_type, staff_member_id, incident_id, idempotency_key, status FROM deliveries
        WHERE idempotency_key LIKE $1`,
      [`action-reminder:${item.id}:%`],
    );
    expect(delivery).toEqual({
      kind: 'reminder',
      recipient_type: 'staff',
      staff_member_id: owner.staffId,
      incident_id: incident.id,
      idempotency_key: `action-reminder:${item.id}:1`,
      status: 'accepted',
    });
    const listed = await t.http
      .get(url(incident.id, '/actions'))
      .set('Authorization', owner.auth)
      .expect(200);
    expect(listed.body[0].lastRemindedAt).toBe('2026-03-22T08:00:00.000Z');
    expect((await timeline(incident.id)).at(-1)).toMatchObject({
      type: 'postmortem.action_reminder_sent',
      actorId: null,
      data: { actionId: item.id, ownerId: owner.staffId, daysOverdue: 2, reminder: 1 },
    });

    // Not again within the interval (24 h by default), again once it has passed.
    t.clock.advanceMinutes(23 * 60 + 59);
    expect(await ticks.runDue()).toBe(0);
    t.clock.advanceMinutes(1);
    expect(await ticks.runDue()).toBe(1);
    await worker.drain();
    expect(sink.to(email)).toHaveLength(2);

    // Done: no more reminders.
    await t.http
      .patch(url(incident.id, `/actions/${item.id}`))
      .set('Authorization', problemManager.auth)
      .send({ status: 'done' })
      .expect(200);
    t.clock.advanceMinutes(48 * 60);
    expect(await ticks.runDue()).toBe(0);
  });

  it('sends one reminder when two instances tick at once', async () => {
    t.clock.set('2026-04-01T08:00:00Z');
    await settleEarlierItems();

    const incident = await resolvedIncident();
    const owner = await staffWithToken(t, ['investigator'], 'database-engineer');
    const item = await addAction(incident.id, { ownerId: owner.staffId, dueOn: '2026-03-25' });
    const second = await startTestApp({
      databaseUrl: t.databaseUrl,
      clock: t.clock,
      env: { SMTP_URL: sink.url },
    });
    try {
      const both = await Promise.all([ticks.runDue(), second.app.get(ActionReminderTicks).runDue()]);
      expect(both[0] + both[1]).toBe(1);
    } finally {
      await second.close();
    }
    await worker.drain();
    const [{ count }] = await t.db.query(
      `SELECT count(*)::int AS count FROM deliveries WHERE idempotency_key LIKE $1`,
      [`action-reminder:${item.id}:%`],
    );
    expect(count).toBe(1);
    expect(sink.received).toHaveLength(1);
    expect(sink.received[0].envelopeTo).toEqual([expect.stringMatching(/^database-engineer\./)]);
  });
});
