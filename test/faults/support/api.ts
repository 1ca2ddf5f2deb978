/** Response bodies as supertest gives them (`res.body`): the assertions check their shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonBody = any;

/** A small JSON client over fetch, with a per-request timeout so no call can hang a test. */
export class Api {
  constructor(
    readonly base: string,
    readonly token: string,
  ) {}

  as(token: string): Api {
    return new Api(this.base, token);
  }

  async call<T = JsonBody>(
    method: string,
    path: string,
    body?: unknown,
    timeoutMs = 15_000,
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
  }

  /** The call must answer `expected`; the body is returned. */
  async ok<T = JsonBody>(method: string, path: string, body?: unknown, expected = [200, 201]): Promise<T> {
    const res = await this.call<T>(method, path, body);
    if (!expected.includes(res.status))
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

export interface Scenario {
  commander: Api;
  commanderEmail: string;
  serviceId: string;
  contacts: string[];
  customers: string[];
}

/**
 * A commander with a token, one service and `customers × perCustomer` impacted contacts
 * (example.net addresses), created through the API.
 */
export async function seed(
  admin: Api,
  customers: number,
  perCustomer: number,
  tag: string,
): Promise<Scenario> {
  const commanderEmail = `commander.${tag}@example.com`;
  const staff = await admin.ok('POST', '/api/v1/staff', {
    name: `Duty commander ${tag}`,
    email: commanderEmail,
  });
  const token = await admin.ok('POST', '/api/v1/tokens', {
    staffMemberId: staff.id,
    name: 'fault-suite commander',
    roles: ['commander'],
  });
  const service = await admin.ok('POST', '/api/v1/services', {
    key: `edi-${tag}`,
    name: `EDI gateway ${tag}`,
  });
  const contacts: string[] = [];
  const ids: string[] = [];
  for (let c = 0; c < customers; c++) {
    const emails = Array.from({ length: perCustomer }, (_, i) => `ops${i}.c${c}.${tag}@customer.example.net`);
    const customer = await admin.ok('POST', '/api/v1/customers', {
      name: `Example Customer ${tag} ${String(c).padStart(3, '0')}`,
      language: c % 2 ? 'fr' : 'en',
      serviceIds: [service.id],
      contacts: emails.map((email, i) => ({ name: `Operations contact ${i + 1}`, email })),
    });
    ids.push(customer.id);
    contacts.push(...emails);
  }
  return {
    commander: admin.as(token.token),
    commanderEmail,
    serviceId: service.id,
    contacts,
    customers: ids,
  };
}

/** Declares an S1 incident on the service and defines impact; returns it with its draft first notice. */
export async function declareWithImpact(s: Scenario, title: string) {
  const incident = await s.commander.ok('POST', '/api/v1/incidents', {
    title,
    kind: 'service_disruption',
    severity: 1,
    serviceIds: [s.serviceId],
  });
  await s.commander.ok('POST', `/api/v1/incidents/${incident.id}/impact`);
  const {
    items: [initial],
  } = await s.commander.ok('GET', `/api/v1/incidents/${incident.id}/notifications`);
  return {
    id: incident.id as string,
    reference: incident.reference as string,
    initialId: initial.id as string,
  };
}
