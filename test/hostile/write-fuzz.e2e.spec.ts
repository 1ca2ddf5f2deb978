import fc from 'fast-check';
import { fullDbSnapshot } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { buildWorld, Operation, operationsFromOpenApi, realPath, resolve, World } from './api-surface';

/** Runs per write operation; ~35 operations keep the file near half a minute. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

type Schema = NonNullable<Operation['body']>;

/**
 * Property tests over every write operation of the served OpenAPI document (POST/PUT/PATCH):
 * random, malformed and near-valid bodies, on real and garbage path ids. The API never answers
 * 500, and whenever it answers 4xx the database is exactly as before (no partial write).
 */
describe('hostile bodies on every write endpoint', () => {
  let t: TestApp;
  let world: World;
  let writes: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    writes = (await operationsFromOpenApi(t)).filter(
      (op) => !op.public && ['post', 'put', 'patch'].includes(op.method),
    );
  });
  afterAll(() => t.close());

  const hostileString = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom(
      '',
      ' ',
      '\u0000',
      'nul\u0000inside',
      '\ud800',
      'Ünïcødé ✓ 事件 🚨',
      '\u202eRTL override',
      'line\r\nBcc: victim@example.net',
      '=?UTF-8?B?SGFja2Vk?=',
      '{{constructor.constructor "return process"}}',
      '{{> layout}}',
      "'; DROP TABLE incidents; --",
      '%s%n%x',
      '../../etc/passwd',
      '2026-02-30T25:61:00Z',
      'NaN',
      '1e999',
      'x'.repeat(100_000),
    ),
  );
  const hostileValue = fc.oneof(
    hostileString,
    fc.constantFrom(null, true, false, 0, -1, 1.5, -0, 1e308, Number.MAX_SAFE_INTEGER + 2, [], {}, [[[]]]),
    fc.jsonValue({ maxDepth: 3 }),
  );

  const worldIds = () => Object.values(world);

  /** Values that pass validation more often than not: enums, real ids, dates, names that look right. */
  function plausibleFor(
    name: string,
    schema: Schema,
    schemas: Record<string, Schema>,
    depth: number,
  ): fc.Arbitrary<unknown>[] {
    const s = resolve(schema, schemas);
    if (s.properties) return depth > 2 ? [] : [completeBody(s, schemas, depth + 1)];
    const plausible: fc.Arbitrary<unknown>[] = [];
    if (s.enum) return [fc.constantFrom(...s.enum)];
    const format = (s as { format?: string }).format;
    if (format === 'uuid') return [fc.constantFrom(...worldIds()), fc.uuid()];
    if (format === 'date-time')
      return [
        fc
          .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString()),
      ];
    if (s.type === 'string') {
      if (/email/i.test(name)) return [fc.nat(9999).map((n) => `ops.${n}@customer.example.net`)];
      if (/language/i.test(name)) return [fc.constantFrom('en', 'fr')];
      if (name === 'key') return [fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/)];
      plausible.push(fc.string({ minLength: 1, maxLength: 60 }));
    }
    if (s.type === 'number' || s.type === 'integer') plausible.push(fc.integer({ min: 1, max: 4 }));
    if (s.type === 'boolean') plausible.push(fc.boolean());
    if (s.type === 'array' && s.items) {
      const items = plausibleFor(name, s.items, schemas, depth + 1);
      plausible.push(
        items.length ? fc.array(fc.oneof(...items), { minLength: 1, maxLength: 3 }) : fc.constant([]),
      );
    }
    return plausible;
  }

  function valueFor(
    name: string,
    schema: Schema,
    schemas: Record<string, Schema>,
    depth: number,
  ): fc.Arbitrary<unknown> {
    const plausible = plausibleFor(name, schema, schemas, depth);
    return plausible.length
      ? fc.oneof({ weight: 3, arbitrary: fc.oneof(...plausible) }, hostileValue)
      : hostileValue;
  }

  /** Every documented field with a plausible value. */
  function completeBody(
    schema: Schema,
    schemas: Record<string, Schema>,
    depth = 0,
  ): fc.Arbitrary<Record<string, unknown>> {
    const props = Object.entries(resolve(schema, schemas).properties ?? {});
    return fc.record(
      Object.fromEntries(
        props.map(([name, prop]) => {
          const plausible = plausibleFor(name, prop, schemas, depth);
          return [name, plausible.length ? fc.oneof(...plausible) : fc.constant(null)];
        }),
      ),
    );
  }

  /** A complete, mostly valid body with exactly one field hostile: reaches what lies behind validation. */
  function oneBadField(schema: Schema, schemas: Record<string, Schema>): fc.Arbitrary<unknown> {
    const names = Object.keys(resolve(schema, schemas).properties ?? {});
    if (!names.length) return completeBody(schema, schemas);
    return fc
      .tuple(completeBody(schema, schemas), fc.constantFrom(...names), hostileValue)
      .map(([body, name, value]) => ({ ...body, [name]: value }));
  }

  /** An object with some of the documented fields (plausible or hostile values) and maybe an unknown one. */
  function bodyFor(schema: Schema, schemas: Record<string, Schema>, depth = 0): fc.Arbitrary<unknown> {
    const props = Object.entries(resolve(schema, schemas).properties ?? {});
    const known = fc.record(
      Object.fromEntries(props.map(([name, prop]) => [name, valueFor(name, prop, schemas, depth)])),
      { requiredKeys: [] },
    );
    return fc
      .tuple(known, fc.option(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), hostileValue)))
      .map(([body, extra]) => (extra && !(extra[0] in body) ? { ...body, [extra[0]]: extra[1] } : body));
  }

  /** The raw text sent: a documented-shape body, any JSON at all, or not JSON. */
  function payloadFor(op: Operation): fc.Arbitrary<string> {
    const shaped = op.body ? bodyFor(op.body, op.schemas) : fc.object();
    const nearlyValid = op.body ? oneBadField(op.body, op.schemas) : fc.object();
    return fc.oneof(
      { weight: 3, arbitrary: shaped.map((b) => JSON.stringify(b)) },
      { weight: 3, arbitrary: nearlyValid.map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((b) => JSON.stringify(b)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
      {
        weight: 1,
        arbitrary: fc.constantFrom('{', '{"a":}', '[1,]', '{"__proto__":{"admin":true}}', 'null', '""'),
      },
    );
  }

  function pathFor(op: Operation): fc.Arbitrary<string> {
    const real = realPath(op.path, world);
    if (!/\{\w+\}/.test(op.path)) return fc.constant(real);
    const garbage = fc
      .oneof(
        fc.constant('00000000-0000-4000-8000-00000000dead'),
        fc.constant('INC-1999-99999'),
        fc.constant('x'.repeat(2000)),
        fc.string({ minLength: 1, maxLength: 20 }),
      )
      .map((g) => op.path.replace(/\{\w+\}/g, encodeURIComponent(g)));
    return fc.oneof({ weight: 2, arbitrary: fc.constant(real) }, garbage);
  }

  it('never answers 500 and never writes partially on a 4xx', async () => {
    expect(writes.length).toBeGreaterThan(30);
    const failures: string[] = [];
    let before = await fullDbSnapshot(t.db);
    const statuses = new Map<number, number>();
    for (const op of writes) {
      const result = await fc.check(
        fc.asyncProperty(pathFor(op), payloadFor(op), async (path, payload) => {
          const res = await t.http[op.method as 'post']('/' + path.replace(/^\//, ''))
            .set('Authorization', t.admin)
            .set('Content-Type', 'application/json')
            .send(payload);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          const after = await fullDbSnapshot(t.db);
          const changed = Object.keys(after).filter((table) => after[table] !== before[table]);
          before = after;
          if (res.status >= 500) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
          if (res.status >= 400 && changed.length)
            throw new Error(`${res.status} ${res.body.code} but changed ${changed.join(', ')}`);
          if (res.status >= 400) expect(res.body.code).toEqual(expect.any(String));
        }),
        { numRuns: RUNS },
      );
      if (result.failed)
        failures.push(
          `${op.call}: ${String((result.errorInstance as Error)?.message ?? result.errorInstance).slice(0, 300)}\n` +
            `  counterexample: ${JSON.stringify(result.counterexample).slice(0, 400)}`,
        );
    }
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify([...statuses]));
    // Both outcomes were exercised: refusals and acceptances.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(statuses.get(400)).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 180_000);
});
