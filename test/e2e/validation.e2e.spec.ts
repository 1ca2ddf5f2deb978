import { randomUUID } from 'node:crypto';
import { dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { createCustomer, createService, declareIncident, staffWithToken } from '../support/fixtures';
import { startTestApp, TestApp } from '../support/test-app';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

interface Case {
  method: Method;
  path: () => string;
  /** A function when it names fixtures, which exist only once beforeAll ran. */
  body?: unknown;
  /** 400 validation_failed naming this field with this rule, unless status/code say otherwise. */
  field?: string;
  rule?: string;
  status?: number;
  code?: string;
}

/**
 * Bad input on every write endpoint: a precise error in the API's one shape, and nothing stored
 * (the whole database is compared before and after each request).
 */
describe('validation', () => {
  let t: TestApp;
  const ids = {} as {
    service: string;
    customer: string;
    contact: string;
    staff: string;
    incident: string;
    reference: string;
    participant: string;
  };

  beforeAll(async () => {
    t = await startTestApp();
    const commander = await staffWithToken(t, ['commander'], 'validation-commander');
    ids.staff = commander.staffId;
    ids.service = (await createService(t, 'as2-gateway', 'AS2 gateway')).id;
    const customer = await createCustomer(t, [ids.service]);
    ids.customer = customer.id;
    ids.contact = customer.contacts[0].id;
    const incident = await declareIncident(t, commander.auth, { serviceIds: [ids.service] });
    ids.incident = incident.id;
    ids.reference = incident.reference;
    const expert = await staffWithToken(t, ['investigator'], 'validation-expert');
    ids.participant = (
      await t.http
        .post(`/api/v1/incidents/${incident.id}/participants`)
        .set('Authorization', commander.auth)
        .send({ staffMemberId: expert.staffId, role: 'sme' })
        .expect(201)
    ).body.id;
  });
  afterAll(() => t.close());

  const send = (method: Method, path: string, body?: unknown, auth = t.admin) => {
    const req = t.http[method](path).set('Authorization', auth);
    return body === undefined ? req : req.send(body as object);
  };

  /** Runs the case, checks the error, and checks that the database is exactly as before. */
  const check = async (c: Case, onlyThatField = true) => {
    const before = await dbSnapshot(t.db);
    const res = await send(c.method, c.path(), typeof c.body === 'function' ? c.body() : c.body);
    if (c.field) {
      expectViolation(res, c.field, c.rule!);
      if (onlyThatField)
        expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(
          res.body.details.map(() => c.field),
        );
    } else expectError(res, c.status!, c.code!);
    expect(await dbSnapshot(t.db)).toEqual(before);
    return res;
  };

  const incident = () => `/api/v1/incidents/${ids.incident}`;
  /** `/api/v1/customers/CUSTOMER` → the fixture's id (ids exist only once beforeAll ran). */
  const fill = (path: string) =>
    path
      .replace('SERVICE', ids.service)
      .replace('CUSTOMER', ids.customer)
      .replace('CONTACT', ids.contact)
      .replace('STAFF', ids.staff)
      .replace('INCIDENT', ids.incident);
  const customer = () => `/api/v1/customers/${ids.customer}`;
  const declare = { title: 'AS2 gateway rejects inbound messages', kind: 'service_disruption', severity: 2 };

  const BODY_CASES: [string, Case][] = [
    // services
    [
      'POST /services without key',
      {
        method: 'post',
        path: () => '/api/v1/services',
        body: { name: 'SFTP' },
        field: 'key',
        rule: 'required',
      },
    ],
    [
      'POST /services with a numeric key',
      {
        method: 'post',
        path: () => '/api/v1/services',
        body: { key: 42, name: 'SFTP' },
        field: 'key',
        rule: 'matches',
      },
    ],
    [
      'POST /services with a key that is not a slug',
      {
        method: 'post',
        path: () => '/api/v1/services',
        body: { key: 'SFTP Platform', name: 'SFTP' },
        field: 'key',
        rule: 'matches',
      },
    ],
    [
      'POST /services with a numeric name',
      {
        method: 'post',
        path: () => '/api/v1/services',
        body: { key: 'sftp', name: 7 },
        field: 'name',
        rule: 'isString',
      },
    ],
    [
      'POST /services with an unknown field',
      {
        method: 'post',
        path: () => '/api/v1/services',
        body: { key: 'sftp', name: 'SFTP', owner: 'ops' },
        field: 'owner',
        rule: 'unknownField',
      },
    ],
    [
      'PATCH /services/{id} with an empty name',
      {
        method: 'patch',
        path: () => `/api/v1/services/${ids.service}`,
        body: { name: '' },
        field: 'name',
        rule: 'isLength',
      },
    ],
    [
      'PATCH /services/{id} trying to change the key',
      {
        method: 'patch',
        path: () => `/api/v1/services/${ids.service}`,
        body: { key: 'as2' },
        field: 'key',
        rule: 'unknownField',
      },
    ],
    // customers
    [
      'POST /customers without name',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { language: 'fr' },
        field: 'name',
        rule: 'required',
      },
    ],
    [
      'POST /customers with a language that is not ISO 639-1',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: 'Example SA', language: 'french' },
        field: 'language',
        rule: 'matches',
      },
    ],
    [
      'POST /customers with contacts that is not an array',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: 'Example SA', language: 'fr', contacts: 'ops@example.net' },
        field: 'contacts',
        rule: 'isArray',
      },
    ],
    [
      'POST /customers with a contact without name',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: 'Example SA', language: 'fr', contacts: [{ email: 'ops@example.net' }] },
        field: 'contacts[0].name',
        rule: 'required',
      },
    ],
    [
      'POST /customers with a bad contact e-mail',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: 'Example SA', language: 'fr', contacts: [{ name: 'Ops', email: 'ops@' }] },
        field: 'contacts[0].email',
        rule: 'isEmail',
      },
    ],
    [
      'POST /customers with an unknown contact field',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: {
          name: 'Example SA',
          language: 'fr',
          contacts: [{ name: 'Ops', email: 'ops@example.net', role: 'x' }],
        },
        field: 'contacts[0].role',
        rule: 'unknownField',
      },
    ],
    [
      'POST /customers with two contacts sharing an e-mail',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: {
          name: 'Example SA',
          language: 'fr',
          contacts: [
            { name: 'Ops', email: 'ops@example.net' },
            { name: 'Desk', email: 'OPS@example.net' },
          ],
        },
        field: 'contacts[1].email',
        rule: 'unique',
      },
    ],
    [
      'POST /customers with an unknown service id',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: () => ({
          name: 'Example SA',
          language: 'fr',
          serviceIds: [ids.service, randomUUID()],
          contacts: [{ name: 'Ops', email: 'ops@example.net' }],
        }),
        field: 'serviceIds[1]',
        rule: 'exists',
      },
    ],
    [
      'POST /customers with a service id that is not a UUID',
      {
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: 'Example SA', language: 'fr', serviceIds: ['as2-gateway'] },
        field: 'serviceIds',
        rule: 'isUuid',
      },
    ],
    [
      'PATCH /customers/{id} with an unknown service id',
      {
        method: 'patch',
        path: customer,
        body: { name: 'Renamed SA', serviceIds: [randomUUID()] },
        field: 'serviceIds[0]',
        rule: 'exists',
      },
    ],
    [
      'PATCH /customers/{id} with a numeric language',
      { method: 'patch', path: customer, body: { language: 5 }, field: 'language', rule: 'matches' },
    ],
    [
      'PATCH /customers/{id} with contacts (they have their own endpoint)',
      { method: 'patch', path: customer, body: { contacts: [] }, field: 'contacts', rule: 'unknownField' },
    ],
    // contacts
    [
      'POST /customers/{id}/contacts without e-mail',
      {
        method: 'post',
        path: () => `${customer()}/contacts`,
        body: { name: 'Desk' },
        field: 'email',
        rule: 'required',
      },
    ],
    [
      'POST /customers/{id}/contacts with receivesNotices "yes"',
      {
        method: 'post',
        path: () => `${customer()}/contacts`,
        body: { name: 'Desk', email: 'desk@example.net', receivesNotices: 'yes' },
        field: 'receivesNotices',
        rule: 'isBoolean',
      },
    ],
    [
      'POST /customers/{id}/contacts with an unknown field',
      {
        method: 'post',
        path: () => `${customer()}/contacts`,
        body: { name: 'Desk', email: 'desk@example.net', fax: '+33' },
        field: 'fax',
        rule: 'unknownField',
      },
    ],
    [
      'PATCH /customers/{id}/contacts/{contactId} with a bad e-mail',
      {
        method: 'patch',
        path: () => `${customer()}/contacts/${ids.contact}`,
        body: { email: 'desk at example.net' },
        field: 'email',
        rule: 'isEmail',
      },
    ],
    [
      'PATCH /customers/{id}/contacts/{contactId} with a short phone',
      {
        method: 'patch',
        path: () => `${customer()}/contacts/${ids.contact}`,
        body: { phone: '1' },
        field: 'phone',
        rule: 'isLength',
      },
    ],
    // staff
    [
      'POST /staff without e-mail',
      {
        method: 'post',
        path: () => '/api/v1/staff',
        body: { name: 'Duty manager' },
        field: 'email',
        rule: 'required',
      },
    ],
    [
      'POST /staff with a numeric name',
      {
        method: 'post',
        path: () => '/api/v1/staff',
        body: { name: 1, email: 'duty.manager@example.com' },
        field: 'name',
        rule: 'isString',
      },
    ],
    [
      'POST /staff with roles (tokens carry roles)',
      {
        method: 'post',
        path: () => '/api/v1/staff',
        body: { name: 'Duty manager', email: 'duty.manager@example.com', roles: ['admin'] },
        field: 'roles',
        rule: 'unknownField',
      },
    ],
    [
      'PATCH /staff/{id} with active "no"',
      {
        method: 'patch',
        path: () => `/api/v1/staff/${ids.staff}`,
        body: { active: 'no' },
        field: 'active',
        rule: 'isBoolean',
      },
    ],
    [
      'PATCH /staff/{id} with a bad e-mail',
      {
        method: 'patch',
        path: () => `/api/v1/staff/${ids.staff}`,
        body: { email: 'nobody' },
        field: 'email',
        rule: 'isEmail',
      },
    ],
    // tokens
    [
      'POST /tokens without roles',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: () => ({ staffMemberId: ids.staff, name: 'laptop' }),
        field: 'roles',
        rule: 'required',
      },
    ],
    [
      'POST /tokens with no role',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: () => ({ staffMemberId: ids.staff, name: 'laptop', roles: [] }),
        field: 'roles',
        rule: 'arrayMinSize',
      },
    ],
    [
      'POST /tokens with an unknown role',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: () => ({ staffMemberId: ids.staff, name: 'laptop', roles: ['root'] }),
        field: 'roles',
        rule: 'isIn',
      },
    ],
    [
      'POST /tokens for an unknown staff member',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: { staffMemberId: randomUUID(), name: 'laptop', roles: ['commander'] },
        field: 'staffMemberId',
        rule: 'exists',
      },
    ],
    [
      'POST /tokens with an expiry that is not a date',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: () => ({
          staffMemberId: ids.staff,
          name: 'laptop',
          roles: ['commander'],
          expiresAt: 'next week',
        }),
        field: 'expiresAt',
        rule: 'isDate',
      },
    ],
    [
      'POST /tokens with an expiry in the past',
      {
        method: 'post',
        path: () => '/api/v1/tokens',
        body: () => ({
          staffMemberId: ids.staff,
          name: 'laptop',
          roles: ['commander'],
          expiresAt: '2026-03-01T00:00:00Z',
        }),
        field: 'expiresAt',
        rule: 'future',
      },
    ],
    // incidents
    [
      'POST /incidents without title',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { kind: 'service_disruption', severity: 2 },
        field: 'title',
        rule: 'required',
      },
    ],
    [
      'POST /incidents with an empty title',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, title: '' },
        field: 'title',
        rule: 'isLength',
      },
    ],
    [
      'POST /incidents without severity',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { title: 'x', kind: 'service_disruption' },
        field: 'severity',
        rule: 'required',
      },
    ],
    [
      'POST /incidents with severity 0',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, severity: 0 },
        field: 'severity',
        rule: 'min',
      },
    ],
    [
      'POST /incidents with severity 5',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, severity: 5 },
        field: 'severity',
        rule: 'max',
      },
    ],
    [
      'POST /incidents with severity "2"',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, severity: '2' },
        field: 'severity',
        rule: 'isInt',
      },
    ],
    [
      'POST /incidents with severity 2.5',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, severity: 2.5 },
        field: 'severity',
        rule: 'isInt',
      },
    ],
    [
      'POST /incidents with an unknown kind',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, kind: 'outage' },
        field: 'kind',
        rule: 'isIn',
      },
    ],
    [
      'POST /incidents with a status',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, status: 'investigating' },
        field: 'status',
        rule: 'unknownField',
      },
    ],
    [
      'POST /incidents with an unknown service id',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, serviceIds: [randomUUID()] },
        field: 'serviceIds[0]',
        rule: 'exists',
      },
    ],
    [
      'POST /incidents with an unknown commander',
      {
        method: 'post',
        path: () => '/api/v1/incidents',
        body: { ...declare, commanderId: randomUUID() },
        field: 'commanderId',
        rule: 'exists',
      },
    ],
    [
      'PATCH /incidents/{id} with nothing to change',
      { method: 'patch', path: incident, body: {}, field: 'body', rule: 'nonEmpty' },
    ],
    [
      'PATCH /incidents/{id} with only a note',
      { method: 'patch', path: incident, body: { note: 'just saying' }, field: 'body', rule: 'nonEmpty' },
    ],
    [
      'PATCH /incidents/{id} with severity 5',
      { method: 'patch', path: incident, body: { severity: 5 }, field: 'severity', rule: 'max' },
    ],
    [
      'PATCH /incidents/{id} with status resolved',
      { method: 'patch', path: incident, body: { status: 'resolved' }, field: 'status', rule: 'isIn' },
    ],
    [
      'PATCH /incidents/{id} with an unknown service id',
      {
        method: 'patch',
        path: incident,
        body: () => ({ title: 'Renamed', serviceIds: [ids.service, randomUUID()] }),
        field: 'serviceIds[1]',
        rule: 'exists',
      },
    ],
    [
      'PATCH /incidents/{id} changing the kind',
      {
        method: 'patch',
        path: incident,
        body: { kind: 'security_breach' },
        field: 'kind',
        rule: 'unknownField',
      },
    ],
    [
      'PATCH /incidents/{id} with a commander id that is not a UUID',
      {
        method: 'patch',
        path: incident,
        body: { commanderId: 'duty-commander' },
        field: 'commanderId',
        rule: 'isUuid',
      },
    ],
    [
      'POST /incidents/{id}/resolve without summary',
      { method: 'post', path: () => `${incident()}/resolve`, body: {}, field: 'summary', rule: 'required' },
    ],
    [
      'POST /incidents/{id}/resolve with a numeric summary',
      {
        method: 'post',
        path: () => `${incident()}/resolve`,
        body: { summary: 42 },
        field: 'summary',
        rule: 'isString',
      },
    ],
    [
      'POST /incidents/{id}/close with an empty reason',
      {
        method: 'post',
        path: () => `${incident()}/close`,
        body: { reason: '' },
        field: 'reason',
        rule: 'isLength',
      },
    ],
    [
      'POST /incidents/{id}/participants without staff member',
      {
        method: 'post',
        path: () => `${incident()}/participants`,
        body: { role: 'sme' },
        field: 'staffMemberId',
        rule: 'required',
      },
    ],
    [
      'POST /incidents/{id}/participants with an unknown role',
      {
        method: 'post',
        path: () => `${incident()}/participants`,
        body: () => ({ staffMemberId: ids.staff, role: 'observer' }),
        field: 'role',
        rule: 'isIn',
      },
    ],
    [
      'POST /incidents/{id}/participants with an unknown staff member',
      {
        method: 'post',
        path: () => `${incident()}/participants`,
        body: { staffMemberId: randomUUID(), role: 'sme' },
        field: 'staffMemberId',
        rule: 'exists',
      },
    ],
    // null where OpenAPI does not say nullable: refused, not a 500 and not read as absent
    ...(
      [
        ['post', '/api/v1/incidents/INCIDENT/plan/steps', { title: 'Roll back', ownerId: null }, 'ownerId'],
        [
          'post',
          '/api/v1/incidents/INCIDENT/plan/steps',
          { title: 'Roll back', description: null },
          'description',
        ],
        ['post', '/api/v1/incidents/INCIDENT/plan/steps', { title: 'Roll back', position: null }, 'position'],
        [
          'put',
          '/api/v1/incidents/INCIDENT/postmortem',
          { version: 1, internalNotes: null },
          'internalNotes',
        ],
        [
          'put',
          '/api/v1/incidents/INCIDENT/postmortem',
          { version: 1, securityDetails: null },
          'securityDetails',
        ],
        ['put', '/api/v1/incidents/INCIDENT/postmortem', { version: 1, wentWell: null }, 'wentWell'],
        ['patch', '/api/v1/customers/CUSTOMER', { name: null }, 'name'],
        ['post', '/api/v1/incidents', { ...declare, summary: null }, 'summary'],
        ['post', '/api/v1/incidents', { ...declare, serviceIds: null }, 'serviceIds'],
        ['post', '/api/v1/incidents', { ...declare, commanderId: null }, 'commanderId'],
        [
          'post',
          '/api/v1/incidents/INCIDENT/resolve',
          { summary: 'Fixed', customerMessage: null },
          'customerMessage',
        ],
        ['put', '/api/v1/incidents/INCIDENT/investigation', { serviceIds: null }, 'serviceIds'],
        [
          'post',
          '/api/v1/support-requests/SR-2026-999999/triage',
          { severity: 2, assignedTeam: null },
          'assignedTeam',
        ],
        ['post', '/api/v1/incidents', { ...declare, title: null }, 'title'],
      ] as [Method, string, object, string][]
    ).map(([method, path, body, field]): [string, Case] => [
      `${method.toUpperCase()} ${path} with ${field} null`,
      { method, path: () => fill(path), body, field, rule: 'notNull' },
    ]),
    // date-time fields: an ISO 8601 string with its zone, nothing else
    ...(
      [
        ['put', '/api/v1/incidents/INCIDENT/investigation', { startedAt: 12345 }],
        ['put', '/api/v1/incidents/INCIDENT/investigation', { startedAt: '2026-03-01T09:00:00' }],
        ['put', '/api/v1/incidents/INCIDENT/investigation', { startedAt: '2026-03-01' }],
        ['put', '/api/v1/incidents/INCIDENT/investigation', { startedAt: '2026-02-30T09:00:00Z' }],
        ['post', '/api/v1/incidents/INCIDENT/plan/steps', { title: 'Roll back', eta: true }],
        ['post', '/api/v1/incidents/INCIDENT/plan/steps', { title: 'Roll back', eta: '14:00:00Z' }],
      ] as [Method, string, Record<string, unknown>][]
    ).map(([method, path, body]): [string, Case] => {
      const [field, value] = Object.entries(body).pop()!;
      return [
        `${method.toUpperCase()} ${path} with ${field} ${JSON.stringify(value)}`,
        { method, path: () => fill(path), body, field, rule: 'isDate' },
      ];
    }),
    // integers beyond what PostgreSQL stores
    [
      'POST /incidents/{id}/plan/steps at position 1e19',
      {
        method: 'post',
        path: () => `${incident()}/plan/steps`,
        body: { title: 'Roll back', position: 1e19 },
        field: 'position',
        rule: 'max',
      },
    ],
  ];

  describe('bad bodies', () => {
    it.each(BODY_CASES)('%s', async (_name, c) => {
      await check(c);
    });

    it('lists every offending field at once', async () => {
      const res = await check(
        {
          method: 'post',
          path: () => '/api/v1/incidents',
          body: { kind: 'outage', severity: 9, extra: true },
          field: 'title',
          rule: 'required',
        },
        false,
      );
      const fields = res.body.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`);
      expect(fields).toEqual(
        expect.arrayContaining(['extra:unknownField', 'title:required', 'kind:isIn', 'severity:max']),
      );
    });
  });

  describe('bad query strings', () => {
    it.each([
      ['/api/v1/incidents?limit=0', 'limit', 'min'],
      ['/api/v1/incidents?limit=201', 'limit', 'max'],
      ['/api/v1/incidents?limit=ten', 'limit', 'isInt'],
      ['/api/v1/incidents?offset=-1', 'offset', 'min'],
      ['/api/v1/incidents?status=declared,paused', 'status', 'isIn'],
      ['/api/v1/incidents?open=maybe', 'open', 'isBoolean'],
      ['/api/v1/incidents?severity=0,2', 'severity', 'min'],
      ['/api/v1/incidents?severity=high', 'severity', 'isInt'],
      ['/api/v1/incidents?kind=outage', 'kind', 'isIn'],
      ['/api/v1/incidents?serviceId=as2-gateway', 'serviceId', 'isUuid'],
      ['/api/v1/incidents?declaredFrom=yesterday', 'declaredFrom', 'isDate'],
      ['/api/v1/incidents?sort=title', 'sort', 'unknownField'],
      ['/api/v1/customers?serviceId=42', 'serviceId', 'isUuid'],
      ['/api/v1/services?limit=500', 'limit', 'max'],
      ['/api/v1/staff?offset=first', 'offset', 'isInt'],
      ['/api/v1/incidents?declaredFrom=2026-03-01T09:00:00', 'declaredFrom', 'isDate'],
      ['/api/v1/incidents?severity=0x1', 'severity', 'isInt'],
      ['/api/v1/incidents?severity=', 'severity', 'isInt'],
    ])('GET %s names %s (%s)', async (path, field, rule) => {
      expectViolation(await t.http.get(path).set('Authorization', t.admin), field, rule);
    });

    const LISTS = [
      '/api/v1/incidents',
      '/api/v1/staff',
      '/api/v1/services',
      '/api/v1/customers',
      '/api/v1/support-requests',
      '/api/v1/actions',
      '/api/v1/rca-requests',
      '/api/v1/incidents/INCIDENT/timeline',
      '/api/v1/incidents/INCIDENT/notes',
      '/api/v1/incidents/INCIDENT/deliveries',
    ];
    it.each(
      LISTS.flatMap((list) => ['9223372036854775807', '1e19', '99999999999999999999'].map((v) => [list, v])),
    )('GET %s?offset=%s is 400 naming offset (max), not a 500', async (list, value) => {
      expectViolation(
        await t.http.get(`${fill(list)}?offset=${value}`).set('Authorization', t.admin),
        'offset',
        value === '1e19' ? 'isInt' : 'max',
      );
    });

    it.each(['1.5', '0x10', '%205', '5abc', '', '-0x1', '1e2'])(
      'GET /incidents?offset=%s is 400 isInt, not coerced',
      async (value) => {
        expectViolation(
          await t.http.get(`/api/v1/incidents?offset=${value}`).set('Authorization', t.admin),
          'offset',
          'isInt',
        );
      },
    );

    it.each(['rca.html', 'rca.pdf', 'rca.md'])(
      'GET …/%s?version=99999999999999999999 is 400 naming version',
      async (doc) => {
        expectViolation(
          await t.http.get(`${incident()}/${doc}?version=99999999999999999999`).set('Authorization', t.admin),
          'version',
          'max',
        );
        expectViolation(
          await t.http.get(`${incident()}/${doc}?version=0`).set('Authorization', t.admin),
          'version',
          'min',
        );
      },
    );

    it('still reads the largest documented offset (an empty page)', async () => {
      const res = await t.http
        .get('/api/v1/incidents?offset=2147483647')
        .set('Authorization', t.admin)
        .expect(200);
      expect(res.body).toMatchObject({ items: [], offset: 2147483647 });
    });
  });

  describe('bare null bodies', () => {
    it.each([
      ['patch', '/api/v1/customers/CUSTOMER'],
      ['patch', '/api/v1/staff/STAFF'],
      ['post', '/api/v1/incidents'],
      ['patch', '/api/v1/incidents/INCIDENT'],
    ] as [Method, string][])(
      '%s %s with the JSON body null is 400 naming body (notNull)',
      async (method, path) => {
        const before = await dbSnapshot(t.db);
        const res = await t.http[method](fill(path))
          .set('Authorization', t.admin)
          .set('Content-Type', 'application/json')
          .send('null');
        expectViolation(res, 'body', 'notNull');
        expect(await dbSnapshot(t.db)).toEqual(before);
      },
    );
  });

  describe('null where OpenAPI says nullable', () => {
    it('clears a plan step owner, description and ETA', async () => {
      const step = await t.http
        .post(`${incident()}/plan/steps`)
        .set('Authorization', t.admin)
        .send({
          title: 'Rotate the certificate',
          ownerId: ids.staff,
          description: 'Tonight',
          eta: '2026-03-02T14:00:00+01:00',
        })
        .expect(201);
      expect(step.body.eta).toBe('2026-03-02T13:00:00.000Z');
      const cleared = await t.http
        .patch(`${incident()}/plan/steps/${step.body.id}`)
        .set('Authorization', t.admin)
        .send({ ownerId: null, description: null, eta: null })
        .expect(200);
      expect(cleared.body).toMatchObject({ owner: null, description: null, eta: null });
    });
  });

  describe('malformed, non-JSON and oversized bodies', () => {
    const WRITES: [Method, string][] = [
      ['post', '/api/v1/services'],
      ['patch', '/api/v1/services/SERVICE'],
      ['post', '/api/v1/customers'],
      ['patch', '/api/v1/customers/CUSTOMER'],
      ['post', '/api/v1/customers/CUSTOMER/contacts'],
      ['patch', '/api/v1/customers/CUSTOMER/contacts/CONTACT'],
      ['post', '/api/v1/staff'],
      ['patch', '/api/v1/staff/STAFF'],
      ['post', '/api/v1/tokens'],
      ['post', '/api/v1/incidents'],
      ['patch', '/api/v1/incidents/INCIDENT'],
      ['post', '/api/v1/incidents/INCIDENT/resolve'],
      ['post', '/api/v1/incidents/INCIDENT/close'],
      ['post', '/api/v1/incidents/INCIDENT/participants'],
    ];

    it.each(WRITES)('%s %s: malformed JSON is 400 malformed_json', async (method, path) => {
      const before = await dbSnapshot(t.db);
      const res = await t.http[method](fill(path))
        .set('Authorization', t.admin)
        .set('Content-Type', 'application/json')
        .send('{"title": "AS2 gateway", "severity": 2');
      expectError(res, 400, 'malformed_json');
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('answers 400 malformed_json to an empty body declared as JSON', async () => {
      const res = await t.http
        .post('/api/v1/incidents')
        .set('Authorization', t.admin)
        .set('Content-Type', 'application/json')
        .send('');
      expectError(res, 400, 'malformed_json');
    });

    it('answers 415 to a body that is not JSON', async () => {
      const before = await dbSnapshot(t.db);
      const res = await t.http
        .post('/api/v1/incidents')
        .set('Authorization', t.admin)
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('title=AS2&kind=service_disruption&severity=2');
      expectError(res, 415, 'unsupported_media_type');
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it.each(WRITES)('%s %s: a body over BODY_LIMIT_BYTES is 413 body_too_large', async (method, path) => {
      expect(t.config.bodyLimitBytes).toBe(1_048_576);
      const before = await dbSnapshot(t.db);
      const res = await t.http[method](fill(path))
        .set('Authorization', t.admin)
        .send({ ...declare, summary: 'x'.repeat(t.config.bodyLimitBytes) });
      expectError(res, 413, 'body_too_large');
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('reads a body just under the limit (then refuses the over-long summary with a 400)', async () => {
      const padding = t.config.bodyLimitBytes - 200;
      const body = { ...declare, summary: 'x'.repeat(padding) };
      expect(Buffer.byteLength(JSON.stringify(body))).toBeLessThan(t.config.bodyLimitBytes);
      const before = await dbSnapshot(t.db);
      expectViolation(
        await t.http.post('/api/v1/incidents').set('Authorization', t.admin).send(body),
        'summary',
        'isLength',
      );
      expect(await dbSnapshot(t.db)).toEqual(before);
    });
  });

  describe('path parameters', () => {
    it.each([
      ['get', '/api/v1/services/as2-gateway', 'id'],
      ['patch', '/api/v1/services/1', 'id'],
      ['get', '/api/v1/customers/northwind', 'id'],
      ['patch', '/api/v1/customers/northwind', 'id'],
      ['get', '/api/v1/customers/northwind/contacts', 'id'],
      ['post', '/api/v1/customers/northwind/contacts', 'id'],
      ['patch', '/api/v1/customers/CUSTOMER/contacts/desk', 'contactId'],
      ['get', '/api/v1/staff/me', 'id'],
      ['patch', '/api/v1/staff/me', 'id'],
      ['delete', '/api/v1/tokens/tcs_abcdef', 'id'],
      ['delete', '/api/v1/incidents/INCIDENT/participants/42', 'participantId'],
    ] as [Method, string, string][])('%s %s is 400 naming %s', async (method, path, param) => {
      const before = await dbSnapshot(t.db);
      const res = await send(
        method,
        fill(path),
        method === 'get' || method === 'delete' ? undefined : { name: 'x' },
      );
      expectViolation(res, param, 'isUuid');
      expect(await dbSnapshot(t.db)).toEqual(before);
    });

    it('takes an incident id or reference; anything else, or an unknown one, is 404 incident.not_found', async () => {
      for (const id of [randomUUID(), 'INC-2026-99999', 'inc-2026-00001', 'not-an-incident']) {
        for (const [method, suffix, body] of [
          ['get', '', undefined],
          ['patch', '', { title: 'Renamed' }],
          ['get', '/timeline', undefined],
          ['get', '/participants', undefined],
          ['post', '/participants', { staffMemberId: ids.staff, role: 'sme' }],
          ['delete', `/participants/${ids.participant}`, undefined],
          ['post', '/resolve', { summary: 'Fixed' }],
          ['post', '/close', { reason: 'Duplicate' }],
        ] as [Method, string, object | undefined][]) {
          const before = await dbSnapshot(t.db);
          expectError(
            await send(method, `/api/v1/incidents/${id}${suffix}`, body),
            404,
            'incident.not_found',
          );
          expect(await dbSnapshot(t.db)).toEqual(before);
        }
      }
      // The real one answers under both names.
      await t.http.get(`/api/v1/incidents/${ids.reference}`).set('Authorization', t.admin).expect(200);
    });

    it('answers 404 for unknown ids of the other resources', async () => {
      for (const [method, path, code, body] of [
        ['get', `/api/v1/services/${randomUUID()}`, 'service.not_found'],
        ['patch', `/api/v1/services/${randomUUID()}`, 'service.not_found', { name: 'x' }],
        ['patch', `/api/v1/customers/${randomUUID()}`, 'customer.not_found', { name: 'x' }],
        [
          'post',
          `/api/v1/customers/${randomUUID()}/contacts`,
          'customer.not_found',
          { name: 'x', email: 'x@example.net' },
        ],
        ['get', `/api/v1/customers/${randomUUID()}/contacts`, 'customer.not_found'],
        ['patch', `/api/v1/staff/${randomUUID()}`, 'staff_member.not_found', { name: 'x' }],
        ['delete', `/api/v1/tokens/${randomUUID()}`, 'token.not_found'],
      ] as [Method, string, string, object?][]) {
        const before = await dbSnapshot(t.db);
        expectError(await send(method, path, body), 404, code);
        expect(await dbSnapshot(t.db)).toEqual(before);
      }
    });

    it('answers 404 route_not_found to an unknown route', async () => {
      expectError(await t.http.get('/api/v1/incident').set('Authorization', t.admin), 404, 'route_not_found');
    });
  });

  describe('conflicts', () => {
    it('refuses a duplicate service key with 409 service.key_taken', async () => {
      await check({
        method: 'post',
        path: () => '/api/v1/services',
        body: { key: 'as2-gateway', name: 'Another AS2 gateway' },
        status: 409,
        code: 'service.key_taken',
      });
    });

    it('refuses a duplicate staff e-mail, in any case, with 409 staff_member.email_taken', async () => {
      await t.http
        .post('/api/v1/staff')
        .set('Authorization', t.admin)
        .send({ name: 'Support supervisor', email: 'support.supervisor@example.com' })
        .expect(201);
      await check({
        method: 'post',
        path: () => '/api/v1/staff',
        body: { name: 'Second supervisor', email: 'Support.Supervisor@EXAMPLE.com' },
        status: 409,
        code: 'staff_member.email_taken',
      });
      await check({
        method: 'patch',
        path: () => `/api/v1/staff/${ids.staff}`,
        body: { email: 'support.supervisor@example.com' },
        status: 409,
        code: 'staff_member.email_taken',
      });
    });

    it('refuses a duplicate customer name, in any case, with 409 customer.name_taken', async () => {
      const existing = (await t.http.get(customer()).set('Authorization', t.admin)).body.name as string;
      await check({
        method: 'post',
        path: () => '/api/v1/customers',
        body: { name: existing.toUpperCase(), language: 'en' },
        status: 409,
        code: 'customer.name_taken',
      });
    });
  });

  describe('error bodies', () => {
    it('carry the request id of the response, reusing a sane X-Request-Id from the caller', async () => {
      const res = await t.http
        .post('/api/v1/incidents')
        .set('Authorization', t.admin)
        .set('X-Request-Id', 'ticket-4711.retry-2')
        .send({ title: 'x' });
      expect(res.status).toBe(400);
      expect(res.headers['x-request-id']).toBe('ticket-4711.retry-2');
      expect(res.body.requestId).toBe('ticket-4711.retry-2');

      const insane = await t.http
        .get(`/api/v1/services/${randomUUID()}`)
        .set('Authorization', t.admin)
        .set('X-Request-Id', 'not sane!');
      expect(insane.body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(insane.headers['x-request-id']).toBe(insane.body.requestId);
    });
  });
});
