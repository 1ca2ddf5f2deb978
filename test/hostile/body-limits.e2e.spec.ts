import { dbSnapshot, expectError, expectViolation } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';

const LIMIT = 100_000;

/**
 * Oversized and pathologically nested bodies, and text PostgreSQL cannot store, are refused
 * before any handler, with the API's error shape.
 */
describe('body size, nesting and text limits', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { BODY_LIMIT_BYTES: String(LIMIT) } });
  });
  afterAll(() => t.close());

  const post = (path: string, raw: string) =>
    t.http.post(path).set('Authorization', t.admin).set('Content-Type', 'application/json').send(raw);

  it('answers 413 body_too_large in JSON to a body over BODY_LIMIT_BYTES, storing nothing', async () => {
    const before = await dbSnapshot(t.db);
    const title = 'x'.repeat(LIMIT);
    const res = await post(
      '/api/v1/incidents',
      JSON.stringify({ title, kind: 'service_disruption', severity: 2 }),
    );
    expectError(res, 413, 'body_too_large');
    expect(await dbSnapshot(t.db)).toEqual(before);
  });

  it('accepts a body just under the limit (the limit is on bytes, not a guess)', async () => {
    const body = JSON.stringify({ name: 'Night shift', email: 'night.shift@example.com' });
    const padded = body.replace('{', `{${' '.repeat(LIMIT - body.length - 1)}`);
    expect(Buffer.byteLength(padded)).toBe(LIMIT - 1);
    await post('/api/v1/staff', padded).expect(201);
  });

  it.each([
    ['arrays', (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`],
    ['objects', (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`],
  ])('refuses 10,000 levels of nested %s early with 400, and keeps serving', async (_kind, nest) => {
    const before = await dbSnapshot(t.db);
    for (const body of [nest(10_000), `{"title":${nest(10_000)},"kind":"service_disruption","severity":2}`]) {
      const res = await post('/api/v1/incidents', body);
      expectError(res, 400, 'json_too_deep');
    }
    expect(await dbSnapshot(t.db)).toEqual(before);
    await t.http.get('/api/v1/incidents').set('Authorization', t.admin).expect(200);
  });
  it.each([
    ['a NUL character', 'AS2 \u0000 gateway'],
    ['an unpaired high surrogate', 'AS2 \ud800 gateway'],
    ['an unpaired low surrogate', 'AS2 \udc00 gateway'],
  ])('refuses %s in any field with 400 validation_failed naming it, storing nothing', async (_what, text) => {
    const before = await dbSnapshot(t.db);
    // JSON.stringify writes NUL and lone surrogates as \u escapes, as a hostile client would.
    const send = (path: string, body: object) => post(path, JSON.stringify(body));
    expectViolation(
      await send('/api/v1/incidents', { title: text, kind: 'service_disruption', severity: 2 }),
      'title',
      'storableText',
    );
    expectViolation(
      await send('/api/v1/customers', {
        name: 'Example SA',
        language: 'en',
        contacts: [{ name: text, email: 'ops@customer.example.net' }],
      }),
      'contacts[0].name',
      'storableText',
    );
    expectViolation(
      await send('/api/v1/services', { key: 'svc', name: 'ok', [text]: 1 }),
      text,
      'storableText',
    );
    const search = await t.http
      .get(`/api/v1/incidents?q=${encodeURIComponent(text.replace(/[\ud800-\udfff]/g, ''))}`)
      .set('Authorization', t.admin);
    if (text.includes('\u0000')) expectViolation(search, 'query.q', 'storableText');
    else expect(search.status).toBe(200);
    expect(await dbSnapshot(t.db)).toEqual(before);
  });

  it('still accepts emoji and other text outside the basic plane (well-formed surrogate pairs)', async () => {
    const res = await post(
      '/api/v1/incidents',
      JSON.stringify({ title: 'AS2 gateway 🚨 事件', kind: 'service_disruption', severity: 3 }),
    ).expect(201);
    expect(res.body.title).toBe('AS2 gateway 🚨 事件');
  });
});
