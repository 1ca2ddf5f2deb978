import { startTestApp, TestApp } from '../support/test-app';

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean }[];
  requestBody?: { content: Record<string, { schema: { $ref: string } }> };
}
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { required?: string[]; properties: Record<string, Record<string, unknown>> }>;
    securitySchemes: Record<string, { type: string; scheme: string }>;
  };
};

/** Every endpoint of the foundation API, as OpenAPI names it. */
const ENDPOINTS = [
  'GET /health',
  'POST /api/v1/services',
  'GET /api/v1/services',
  'GET /api/v1/services/{id}',
  'PATCH /api/v1/services/{id}',
  'POST /api/v1/customers',
  'GET /api/v1/customers',
  'GET /api/v1/customers/{id}',
  'PATCH /api/v1/customers/{id}',
  'POST /api/v1/customers/{id}/contacts',
  'GET /api/v1/customers/{id}/contacts',
  'PATCH /api/v1/customers/{id}/contacts/{contactId}',
  'POST /api/v1/staff',
  'GET /api/v1/staff',
  'GET /api/v1/staff/{id}',
  'PATCH /api/v1/staff/{id}',
  'POST /api/v1/tokens',
  'GET /api/v1/tokens',
  'DELETE /api/v1/tokens/{id}',
  'POST /api/v1/incidents',
  'GET /api/v1/incidents',
  'GET /api/v1/incidents/{id}',
  'PATCH /api/v1/incidents/{id}',
  'GET /api/v1/incidents/{id}/timeline',
  'GET /api/v1/incidents/{id}/participants',
  'POST /api/v1/incidents/{id}/participants',
  'DELETE /api/v1/incidents/{id}/participants/{participantId}',
  'POST /api/v1/incidents/{id}/resolve',
  'POST /api/v1/incidents/{id}/close',
  // investigation
  'GET /api/v1/incidents/{id}/investigation',
  'PUT /api/v1/incidents/{id}/investigation',
  'GET /api/v1/incidents/{id}/experts',
  'POST /api/v1/incidents/{id}/experts',
  'DELETE /api/v1/incidents/{id}/experts/{participantId}',
  'GET /api/v1/incidents/{id}/plan/steps',
  'POST /api/v1/incidents/{id}/plan/steps',
  'PATCH /api/v1/incidents/{id}/plan/steps/{sid}',
  'POST /api/v1/incidents/{id}/plan/steps/{sid}/move',
  'GET /api/v1/incidents/{id}/notes',
  'POST /api/v1/incidents/{id}/notes',
  // notification
  'GET /metrics',
  'GET /api/v1/incidents/{id}/impact',
  'POST /api/v1/incidents/{id}/impact',
  'POST /api/v1/incidents/{id}/impact/adjustments',
  'GET /api/v1/incidents/{id}/notifications',
  'POST /api/v1/incidents/{id}/notifications',
  'PUT /api/v1/incidents/{id}/notifications/{notificationId}',
  'POST /api/v1/incidents/{id}/notifications/{notificationId}/approve',
  'POST /api/v1/incidents/{id}/updates',
  'PUT /api/v1/incidents/{id}/cadence',
  'GET /api/v1/incidents/{id}/deliveries',
  'GET /api/v1/incidents/{id}/sla',
  // escalation
  'GET /api/v1/escalation-chain',
  'PUT /api/v1/escalation-chain',
  'GET /api/v1/incidents/{id}/escalations',
  'POST /api/v1/incidents/{id}/escalations',
  'GET /api/v1/support-requests/{ref}/escalations',
  'POST /api/v1/support-requests/{ref}/escalations',
  // support requests
  'POST /api/v1/support-requests',
  'GET /api/v1/support-requests',
  'GET /api/v1/support-requests/{ref}',
  'POST /api/v1/support-requests/{ref}/triage',
  'POST /api/v1/support-requests/{ref}/status',
  'POST /api/v1/support-requests/{ref}/replies',
  'POST /api/v1/support-requests/{ref}/link',
  'POST /api/v1/support-requests/{ref}/unlink',
  'POST /api/v1/incidents/from-support-requests',
  'POST /api/v1/incidents/{id}/acknowledge',
  'GET /api/v1/reports/targets',
  // RCA report
  'POST /api/v1/incidents/{id}/rca',
  'GET /api/v1/incidents/{id}/rca',
  'POST /api/v1/incidents/{id}/rca/publish',
  'GET /api/v1/incidents/{id}/rca.html',
  'GET /api/v1/incidents/{id}/rca.pdf',
  'GET /api/v1/incidents/{id}/rca.md',
  // RCA copies
  'POST /api/v1/rca-requests',
  'GET /api/v1/rca-requests',
  'GET /api/v1/rca-requests/{id}',
  'POST /api/v1/incidents/{id}/rca/grants',
  'GET /api/v1/incidents/{id}/rca/grants',
  'DELETE /api/v1/incidents/{id}/rca/grants/{grantId}',
  // post-mortem: analysis and action plan
  'GET /api/v1/incidents/{id}/postmortem',
  'PUT /api/v1/incidents/{id}/postmortem',
  'POST /api/v1/incidents/{id}/postmortem/submit',
  'POST /api/v1/incidents/{id}/postmortem/approve',
  'POST /api/v1/incidents/{id}/postmortem/reopen',
  'GET /api/v1/incidents/{id}/postmortem/actions',
  'POST /api/v1/incidents/{id}/postmortem/actions',
  'PATCH /api/v1/incidents/{id}/postmortem/actions/{actionId}',
  'GET /api/v1/actions',
];

describe('OpenAPI document and docs UI', () => {
  let t: TestApp;
  let doc: Document;

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.http.get('/api/openapi.json').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body;
  });
  afterAll(() => t.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ call: `${method.toUpperCase()} ${path}`, path, op })),
    );

  it('describes the Tocsin API in OpenAPI 3 with bearer authentication', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: 'Tocsin API', version: '1' });
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists every endpoint of the API', () => {
    expect(operations().map((o) => o.call)).toEqual(expect.arrayContaining(ENDPOINTS));
  });

  it('documents each operation with a summary, its path parameters and, except the public ones, bearer security', () => {
    for (const { call, path, op } of operations().filter((o) => ENDPOINTS.includes(o.call))) {
      expect({ call, summary: typeof op.summary === 'string' && op.summary.length > 0 }).toEqual({
        call,
        summary: true,
      });
      const declared = (op.parameters ?? [])
        .filter((p) => p.in === 'path')
        .map((p) => p.name)
        .sort();
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect({ call, params: declared }).toEqual({ call, params: inPath });
      if (['/health', '/metrics'].includes(path)) expect(op.security).toBeUndefined();
      else expect({ call, security: op.security }).toEqual({ call, security: [{ bearer: [] }] });
    }
  });

  it('describes request bodies with their constraints', () => {
    const declare = doc.paths['/api/v1/incidents'].post.requestBody!.content['application/json'].schema.$ref;
    const schema = doc.components.schemas[declare.split('/').pop()!];
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'kind', 'severity']));
    expect(schema.properties.severity).toMatchObject({ minimum: 1, maximum: 4 });
    expect(schema.properties.kind).toMatchObject({ enum: ['service_disruption', 'security_breach'] });

    const update =
      doc.paths['/api/v1/incidents/{id}'].patch.requestBody!.content['application/json'].schema.$ref;
    expect(doc.components.schemas[update.split('/').pop()!].properties.status).toMatchObject({
      enum: ['investigating', 'identified', 'monitoring'],
    });
  });

  it('documents the incident list filters and pagination', () => {
    const names = (doc.paths['/api/v1/incidents'].get.parameters ?? []).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'limit',
        'offset',
        'status',
        'open',
        'severity',
        'kind',
        'serviceId',
        'commanderId',
        'q',
        'declaredFrom',
        'declaredTo',
      ]),
    );
  });

  it('serves the interactive docs as HTML with their scripts', async () => {
    const page = await t.http.get('/api/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui"></div>');
    const scripts = [...page.text.matchAll(/<script src="\.\/([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toContain('docs/swagger-ui-init.js');
    for (const script of scripts) {
      const res = await t.http.get(`/api/${script}`).expect(200);
      expect(res.headers['content-type']).toMatch(/javascript/);
    }
    // The UI loads the same document.
    const init = await t.http.get('/api/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"title": "Tocsin API"');
  });
});
