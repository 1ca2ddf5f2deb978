import type { Role } from '../../src/auth/roles';
import type { TestApp } from './test-app';

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`;

/** A staff member with a token holding `roles`; fictional role titles and example.com addresses. */
export async function staffWithToken(t: TestApp, roles: Role[], title = roles.join('-')) {
  const id = unique();
  const staff = await t.http
    .post('/api/v1/staff')
    .set('Authorization', t.admin)
    .send({ name: `Duty ${title} ${id}`, email: `${title}.${id}@example.com` })
    .expect(201);
  const token = await t.http
    .post('/api/v1/tokens')
    .set('Authorization', t.admin)
    .send({ staffMemberId: staff.body.id, name: `${title} token`, roles })
    .expect(201);
  return {
    staffId: staff.body.id as string,
    tokenId: token.body.id as string,
    auth: `Bearer ${token.body.token}`,
    name: staff.body.name as string,
  };
}

export async function createService(t: TestApp, key = `svc-${unique()}`, name = `Service ${key}`) {
  const res = await t.http
    .post('/api/v1/services')
    .set('Authorization', t.admin)
    .send({ key, name })
    .expect(201);
  return res.body as { id: string; key: string; name: string };
}

export async function createCustomer(t: TestApp, serviceIds: string[], language = 'fr') {
  const id = unique();
  const res = await t.http
    .post('/api/v1/customers')
    .set('Authorization', t.admin)
    .send({
      name: `Example Customer ${id}`,
      language,
      serviceIds,
      contacts: [{ name: 'Head of operations', email: `ops.${id}@customer.example.net` }],
    })
    .expect(201);
  return res.body as { id: string; name: string; contacts: { id: string; email: string }[] };
}

export async function declareIncident(t: TestApp, auth: string, body: Record<string, unknown>) {
  const res = await t.http
    .post('/api/v1/incidents')
    .set('Authorization', auth)
    .send({ title: 'AS2 gateway rejects inbound messages', kind: 'service_disruption', severity: 2, ...body })
    .expect(201);
  return res.body as { id: string; reference: string; [key: string]: unknown };
}

/** The four texts an analysis needs before it may be submitted (an AS2 certificate story). */
export const ANALYSIS_TEXTS = {
  wentWell: 'Customers were notified within the target.',
  wentBadly: 'Detection took too long.',
  failureCauses: 'No alert on certificate expiry.',
  rootCauses: 'An intermediate certificate expired on the AS2 gateway.',
};

/**
 * Makes the incident's (resolved) post-mortem analysis complete — one action item owned by
 * `ownerId`, `ANALYSIS_TEXTS` overridden by `texts` — then submits and approves it as `auth`.
 * Returns the analysis as saved before submission.
 */
export async function approveAnalysis(
  t: TestApp,
  incidentId: string,
  options: { auth: string; ownerId: string; actionTitle?: string; texts?: Record<string, string> },
) {
  const { auth } = options;
  const path = `/api/v1/incidents/${incidentId}/postmortem`;
  const current = await t.http.get(path).set('Authorization', auth).expect(200);
  await t.http
    .post(`${path}/actions`)
    .set('Authorization', auth)
    .send({
      title: options.actionTitle ?? 'Alert on certificate expiry',
      ownerId: options.ownerId,
      dueOn: '2026-06-30',
    })
    .expect(201);
  const edited = await t.http
    .put(path)
    .set('Authorization', auth)
    .send({ version: current.body.version, ...ANALYSIS_TEXTS, ...options.texts })
    .expect(200);
  await t.http.post(`${path}/submit`).set('Authorization', auth).send({}).expect(200);
  await t.http.post(`${path}/approve`).set('Authorization', auth).send({}).expect(200);
  return edited.body as Record<string, unknown>;
}

/** Approves the analysis with a new postmortem-role member, then generates and publishes RCA version 1. */
export async function publishRca(
  t: TestApp,
  incidentId: string,
  options: { sendToImpactedCustomers: boolean; actionTitle?: string; texts?: Record<string, string> },
) {
  const postmortem = await staffWithToken(t, ['postmortem']);
  await approveAnalysis(t, incidentId, { ...options, auth: postmortem.auth, ownerId: postmortem.staffId });
  await t.http
    .post(`/api/v1/incidents/${incidentId}/rca`)
    .set('Authorization', postmortem.auth)
    .send({})
    .expect(201);
  await t.http
    .post(`/api/v1/incidents/${incidentId}/rca/publish`)
    .set('Authorization', postmortem.auth)
    .send({ sendToImpactedCustomers: options.sendToImpactedCustomers })
    .expect(200);
}
