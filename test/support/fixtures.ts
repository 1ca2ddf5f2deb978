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
