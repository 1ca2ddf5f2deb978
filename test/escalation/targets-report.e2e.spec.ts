import { expectViolation } from '../support/api-assertions';
import { declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

const MARCH = 'from=2026-03-01&to=2026-04-01';

const empty = { medianMinutes: null, p90Minutes: null };

/**
 * `GET /reports/targets` on real PostgreSQL: incidents and support requests opened, answered
 * and resolved at fake-clock times, then the per-severity figures read back exactly.
 */
describe('targets report', () => {
  let t: TestApp;
  let commander: { auth: string; staffId: string };
  let investigator: { auth: string };
  let support: { auth: string };

  beforeAll(async () => {
    t = await startTestApp();
    commander = await staffWithToken(t, ['commander'], 'incident-commander');
    investigator = await staffWithToken(t, ['investigator'], 'investigation-engineer');
    support = await staffWithToken(t, ['support'], 'support-specialist');

    // Every step at a controlled time, in order (Europe/Paris, Monday to Friday).
    const declare = async (at: string, severity: number, kind = 'service_disruption') => {
      t.clock.set(at);
      return (
        await declareIncident(t, commander.auth, { title: `Fictional outage S${severity}`, severity, kind })
      ).id;
    };
    const acknowledge = async (id: string, at: string) => {
      t.clock.set(at);
      await t.http
        .post(`/api/v1/incidents/${id}/acknowledge`)
        .set('Authorization', commander.auth)
        .expect(200);
    };
    const resolve = async (id: string, at: string) => {
      t.clock.set(at);
      await t.http
        .post(`/api/v1/incidents/${id}/resolve`)
        .set('Authorization', commander.auth)
        .send({ summary: 'Fictional fix applied' })
        .expect(200);
    };

    await declare('2026-02-27T10:00:00Z', 1); // before the period
    const a = await declare('2026-03-02T09:00:00Z', 1);
    await acknowledge(a, '2026-03-02T09:10:00Z'); // 10 min
    await resolve(a, '2026-03-02T10:30:00Z'); // 90 min
    const b = await declare('2026-03-02T12:00:00Z', 1);
    await acknowledge(b, '2026-03-02T12:40:00Z'); // 40 min: late
    await resolve(b, '2026-03-02T14:30:00Z'); // 150 min: late
    const c = await declare('2026-03-02T15:00:00Z', 1);
    await acknowledge(c, '2026-03-02T15:20:00Z'); // 20 min; never resolved (due 17:00)

    const d = await declare('2026-03-03T09:00:00Z', 2);
    await acknowledge(d, '2026-03-03T09:30:00Z');
    await resolve(d, '2026-03-03T11:00:00Z'); // 120 min

    // Two support requests: a phone call of severity 2, answered and closed in time, and an
    // e-mail (severity 4) never answered.
    t.clock.set('2026-03-03T12:00:00Z');
    const phone = await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', support.auth)
      .send({
        company: 'Example Freight SA',
        contactName: 'EDI operations manager',
        contactEmail: 'edi-ops@freight.example.com',
        submissionMethod: 'phone',
        severity: 2,
        description: 'Outbound invoices stuck since this morning (fictional).',
      })
      .expect(201);
    t.clock.set('2026-03-03T12:05:00Z');
    await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', support.auth)
      .send({
        company: 'Example Retail Ltd',
        contactName: 'IT operations',
        contactEmail: 'it-ops@retail.example.com',
        submissionMethod: 'email',
        description: 'Please confirm our mailbox quota (fictional).',
      })
      .expect(201);
    const ref = phone.body.reference as string;
    t.clock.set('2026-03-03T12:10:00Z');
    await t.http
      .post(`/api/v1/support-requests/${ref}/triage`)
      .set('Authorization', support.auth)
      .send({ severity: 2, assignedTeam: 'EDI support' })
      .expect(200);
    t.clock.set('2026-03-03T12:30:00Z'); // first reply: 30 min
    await t.http
      .post(`/api/v1/support-requests/${ref}/replies`)
      .set('Authorization', support.auth)
      .send({ body: 'We are looking into it.' })
      .expect(201);
    t.clock.set('2026-03-03T14:00:00Z'); // closed: 120 min
    await t.http
      .post(`/api/v1/support-requests/${ref}/status`)
      .set('Authorization', support.auth)
      .send({ status: 'closed' })
      .expect(200);

    // A confidential security breach: the commander is a participant, the investigator is not.
    const f = await declare('2026-03-04T10:00:00Z', 3, 'security_breach');
    await acknowledge(f, '2026-03-04T10:45:00Z'); // 45 min
    await resolve(f, '2026-03-04T16:00:00Z'); // 360 min

    // Severity 4: Friday 15:00 in Paris → Monday 15:00 is one business day (due Wednesday 15:00).
    const e = await declare('2026-03-06T14:00:00Z', 4);
    await acknowledge(e, '2026-03-06T15:00:00Z'); // 60 min
    await resolve(e, '2026-03-09T14:00:00Z');
    await declare('2026-03-10T09:00:00Z', 4); // never answered; resolution due Friday 13th
    await declare('2026-04-01T08:00:00Z', 2); // after the period; open, due 11:00

    t.clock.set('2026-04-02T12:00:00Z');
  });
  afterAll(() => t?.close());

  const report = async (auth: string, query: string) =>
    (await t.http.get(`/api/v1/reports/targets?${query}`).set('Authorization', auth).expect(200)).body;

  const s3 = {
    severity: 3,
    target: { responseMinutes: 120, resolutionMinutes: 720 },
    count: 1,
    responded: 1,
    respondedWithinTarget: 1,
    timeToFirstResponse: { medianMinutes: 45, p90Minutes: 45 },
    resolved: 1,
    resolvedWithinTarget: 1,
    timeToResolution: { medianMinutes: 360, p90Minutes: 360 },
    stillOpenPastTarget: 0,
  };

  it('gives per severity the counts, median and p90 against the targets, S4 in business time', async () => {
    const body = await report(t.admin, MARCH);
    expect(body).toEqual({
      from: '2026-03-01T00:00:00.000Z',
      to: '2026-04-01T00:00:00.000Z',
      asOf: '2026-04-01T00:00:00.000Z',
      kind: 'incident',
      severities: [
        {
          severity: 1,
          target: { responseMinutes: 30, resolutionMinutes: 120 },
          count: 3,
          responded: 3,
          respondedWithinTarget: 2,
          // 10, 20, 40 min
          timeToFirstResponse: { medianMinutes: 20, p90Minutes: 36 },
          resolved: 2,
          resolvedWithinTarget: 1,
          // 90, 150 min
          timeToResolution: { medianMinutes: 120, p90Minutes: 144 },
          stillOpenPastTarget: 1,
        },
        {
          severity: 2,
          target: { responseMinutes: 60, resolutionMinutes: 180 },
          count: 1,
          responded: 1,
          respondedWithinTarget: 1,
          timeToFirstResponse: { medianMinutes: 30, p90Minutes: 30 },
          resolved: 1,
          resolvedWithinTarget: 1,
          timeToResolution: { medianMinutes: 120, p90Minutes: 120 },
          stillOpenPastTarget: 0,
        },
        s3,
        {
          severity: 4,
          target: { responseMinutes: 1440, resolutionBusinessDays: 3 },
          count: 2,
          responded: 1,
          respondedWithinTarget: 1,
          timeToFirstResponse: { medianMinutes: 60, p90Minutes: 60 },
          resolved: 1,
          resolvedWithinTarget: 1,
          timeToResolution: {
            businessTime: true,
            medianHours: 24,
            p90Hours: 24,
            medianBusinessDays: 1,
            p90BusinessDays: 1,
          },
          stillOpenPastTarget: 1,
        },
      ],
    });
  });

  it('counts a confidential incident only for those who may see it', async () => {
    expect((await report(commander.auth, MARCH)).severities[2]).toEqual(s3);
    expect((await report(investigator.auth, MARCH)).severities[2]).toEqual({
      ...s3,
      count: 0,
      responded: 0,
      respondedWithinTarget: 0,
      timeToFirstResponse: empty,
      resolved: 0,
      resolvedWithinTarget: 0,
      timeToResolution: empty,
    });
  });

  it('counts open past target at the end of a period that is over', async () => {
    // At 16:00 on 2 March the third S1 incident was open but not yet due (17:00).
    const body = await report(support.auth, 'from=2026-03-02T00:00:00Z&to=2026-03-02T17:00:00%2B01:00');
    expect(body).toMatchObject({ to: '2026-03-02T16:00:00.000Z', asOf: '2026-03-02T16:00:00.000Z' });
    expect(body.severities[0]).toMatchObject({ count: 3, resolved: 2, stillOpenPastTarget: 0 });
  });

  it('defaults to the 30 days before now', async () => {
    const body = await report(investigator.auth, '');
    expect(body).toMatchObject({
      from: '2026-03-03T12:00:00.000Z',
      to: '2026-04-02T12:00:00.000Z',
      asOf: '2026-04-02T12:00:00.000Z',
      kind: 'incident',
    });
    // Seen by the investigator: the two S4 incidents and the S2 declared on 1 April, open past its target.
    expect(body.severities.map((s: { count: number }) => s.count)).toEqual([0, 1, 0, 2]);
    expect(body.severities[1]).toMatchObject({ responded: 0, stillOpenPastTarget: 1 });
  });

  it('reports support requests: first reply is the first response, closing the resolution', async () => {
    const body = await report(investigator.auth, `${MARCH}&kind=support_request`);
    expect(body.kind).toBe('support_request');
    expect(body.severities.map((s: { count: number }) => s.count)).toEqual([0, 1, 0, 1]);
    expect(body.severities[1]).toEqual({
      severity: 2,
      target: { responseMinutes: 60, resolutionMinutes: 180 },
      count: 1,
      responded: 1,
      respondedWithinTarget: 1,
      timeToFirstResponse: { medianMinutes: 30, p90Minutes: 30 },
      resolved: 1,
      resolvedWithinTarget: 1,
      timeToResolution: { medianMinutes: 120, p90Minutes: 120 },
      stillOpenPastTarget: 0,
    });
    expect(body.severities[3]).toMatchObject({
      count: 1,
      responded: 0,
      resolved: 0,
      stillOpenPastTarget: 1,
      timeToResolution: { businessTime: true, medianHours: null, medianBusinessDays: null },
    });
  });

  it.each([
    ['from=2026-04-01&to=2026-03-01', 'to', 'afterFrom'],
    ['from=2026-03-01&to=2026-03-01', 'to', 'afterFrom'],
    ['from=2026-05-01', 'from', 'afterFrom'],
    ['from=2025-01-01&to=2026-03-01', 'to', 'maxRange'],
    ['from=2025-01-01', 'from', 'maxRange'],
    ['from=yesterday', 'from', 'matches'],
    ['to=2026-03-01T10:00:00', 'to', 'matches'],
    ['to=2026-02-30', 'to', 'matches'],
    ['kind=problem', 'kind', 'isIn'],
    ['severity=1', 'severity', 'unknownField'],
  ])('refuses %s naming %s (%s)', async (query, field, rule) => {
    const res = await t.http.get(`/api/v1/reports/targets?${query}`).set('Authorization', support.auth);
    expectViolation(res, field, rule);
  });

  it('needs a staff token', async () => {
    await t.http.get('/api/v1/reports/targets').expect(401);
  });
});
