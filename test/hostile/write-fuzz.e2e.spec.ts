import fc from 'fast-check';
import { fullDbSnapshot } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import {
  buildWorld,
  Operation,
  operationsFromOpenApi,
  Parameter,
  realPath,
  resolve,
  SchemaObject,
  World,
} from './api-surface';
import { bodyFields, validBody, withField } from './swagger-sample';

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
  let operations: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    operations = await operationsFromOpenApi(t);
    writes = operations.filter((op) => !op.public && ['post', 'put', 'patch'].includes(op.method));
  });
  afterAll(() => t.close());

  /** A valid body for `op` with the field at `path` replaced by `value`, sent as admin on real ids. */
  const sendWithField = (op: Operation, path: (string | number)[], value: unknown) =>
    t.http[op.method as 'post'](realPath(op.path, world))
      .set('Authorization', t.admin)
      .send(withField(validBody(op, world, t.clock.now()), path, value) as object);

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

  /** What a 4xx must look like here: 400 validation_failed naming `field`, the database untouched. */
  async function refusedNaming(
    send: () => PromiseLike<{ status: number; body: { code?: string; details?: { field: string }[] } }>,
    field: string,
    write: boolean,
  ): Promise<string | undefined> {
    const before = write ? await fullDbSnapshot(t.db) : undefined;
    const res = await send();
    if (res.status !== 400 || res.body.code !== 'validation_failed')
      return `${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
    if (!res.body.details?.some((d) => d.field === field))
      return `400 not naming ${field}: ${JSON.stringify(res.body.details)}`;
    if (write && JSON.stringify(await fullDbSnapshot(t.db)) !== JSON.stringify(before))
      return '400 but the database changed';
    return undefined;
  }

  async function checkAll<T>(
    cases: { label: string; values: fc.Arbitrary<T>; run: (value: T) => Promise<string | undefined> }[],
  ): Promise<string[]> {
    const failures: string[] = [];
    for (const c of cases) {
      const result = await fc.check(
        fc.asyncProperty(c.values, async (value) => {
          const failure = await c.run(value);
          if (failure) throw new Error(failure);
        }),
        { numRuns: RUNS },
      );
      if (result.failed)
        failures.push(
          `${c.label} = ${JSON.stringify(result.counterexample?.[0])}: ${(result.errorInstance as Error)?.message}`,
        );
    }
    return failures;
  }

  /** Out of [min, max] by any amount (int8 and beyond), as decimal text or as a JSON number. */
  const outOfRange = (min: number, max: number) =>
    fc.oneof(
      fc.bigInt({ min: BigInt(max) + 1n, max: 10n ** 30n }),
      fc.bigInt({ min: -(10n ** 30n), max: BigInt(min) - 1n }),
      fc.constantFrom(BigInt(max) + 1n, BigInt(min) - 1n, 9223372036854775807n, 99999999999999999999n),
    );
  const integerSchema = (schema: SchemaObject | undefined) =>
    schema?.type === 'integer'
      ? schema
      : schema?.type === 'array' && schema.items?.type === 'integer'
        ? schema.items
        : undefined;

  it('documents a type for every parameter, and bounds for every integer one', () => {
    const untyped = operations.flatMap((op) =>
      op.parameters.filter((p) => !p.schema?.type).map((p) => `${op.call} ${p.name}`),
    );
    const unbounded = operations.flatMap((op) =>
      op.parameters
        .filter((p) => integerSchema(p.schema))
        .filter(
          (p) =>
            integerSchema(p.schema)!.minimum === undefined || integerSchema(p.schema)!.maximum === undefined,
        )
        .map((p) => `${op.call} ${p.name}`),
    );
    expect({ untyped, unbounded }).toEqual({ untyped: [], unbounded: [] });
  });

  it('refuses out-of-range and non-decimal values of every documented integer parameter with a 400 naming it', async () => {
    const params = operations.flatMap((op) =>
      op.parameters.filter((p) => integerSchema(p.schema)).map((p) => ({ op, p })),
    );
    // limit and offset of every list, RCA document versions, severity filters.
    expect(params.length).toBeGreaterThan(25);
    const request = (op: Operation, p: Parameter, value: string) => () => {
      const encoded = encodeURIComponent(value);
      const path = realPath(p.in === 'path' ? op.path.replace(`{${p.name}}`, encoded) : op.path, world);
      const query = p.in === 'query' ? `?${p.name}=${encoded}` : '';
      return t.http[op.method](path + query).set('Authorization', t.admin);
    };
    const failures = await checkAll(
      params.map(({ op, p }) => {
        const { minimum, maximum } = integerSchema(p.schema)!;
        return {
          label: `${op.call} ?${p.name}`,
          values: fc.oneof(
            outOfRange(minimum!, maximum!).map(String),
            outOfRange(minimum!, maximum!).map((n) => Number(n).toString()),
            fc.constantFrom('1.5', '0x10', ' 5', '5 ', '+5', '5abc', '', '1e3', '1e19', 'NaN', 'Infinity'),
          ),
          run: (value: string) => refusedNaming(request(op, p, value), p.name, false),
        };
      }),
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses out-of-range and non-integer values of every documented integer body field with a 400 naming it', async () => {
    const fields = writes
      .filter((op) => op.body)
      .flatMap((op) =>
        bodyFields(op.body!, op.schemas)
          .filter((f) => f.schema.type === 'integer')
          .map((f) => ({ op, f })),
      );
    // severities, versions, revisions, positions, escalation levels.
    expect(fields.length).toBeGreaterThan(10);
    const unbounded = fields.filter(
      ({ f }) => f.schema.minimum === undefined || f.schema.maximum === undefined,
    );
    expect(unbounded.map(({ op, f }) => `${op.call} ${f.name}`)).toEqual([]);
    const failures = await checkAll(
      fields.map(({ op, f }) => ({
        label: `${op.call} ${f.name}`,
        values: fc.oneof(
          outOfRange(f.schema.minimum!, f.schema.maximum!).map(Number),
          fc.double({ noInteger: true, noDefaultInfinity: true, noNaN: true }),
          fc.constantFrom<unknown>(1e19, 1e308, -1e19, 1.5, '1', true, [1], {}),
        ),
        run: (value: unknown) => refusedNaming(() => sendWithField(op, f.path, value), f.name, true),
      })),
    );
    expect(failures).toEqual([]);
  }, 120_000);

  it('refuses numbers, booleans, zone-less and impossible text in every documented date-time field', async () => {
    const instant = fc.date({
      min: new Date('1970-01-01'),
      max: new Date('2100-01-01'),
      noInvalidDate: true,
    });
    const notADateTime = fc.oneof(
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      instant.map((d) => d.toISOString().slice(0, 19)), // no zone
      instant.map((d) => d.toISOString().slice(0, 23)), // no zone, milliseconds
      instant.map((d) => d.toISOString().slice(0, 10)), // date alone
      instant.map((d) => d.toISOString().slice(11)), // time alone
      instant.map((d) => d.toISOString().replace('T', ' ')),
      instant.map((d) => String(d.getTime())),
      fc.constantFrom(
        '2026-02-30T10:00:00Z',
        '2026-13-01T10:00:00Z',
        '2026-03-01T24:00:00Z',
        '2026-03-01T09:60:00Z',
        '2026-03-01T09:00:00+0100',
        '2026-03-01T09:00:00+25:00',
        'Sun, 01 Mar 2026 09:00:00 GMT',
        'now',
        '',
      ),
    );
    const bodyCases = writes
      .filter((op) => op.body)
      .flatMap((op) =>
        bodyFields(op.body!, op.schemas)
          .filter((f) => f.schema.format === 'date-time')
          .map((f) => ({
            label: `${op.call} ${f.name}`,
            values: notADateTime as fc.Arbitrary<unknown>,
            run: (value: unknown) => refusedNaming(() => sendWithField(op, f.path, value), f.name, true),
          })),
      );
    const queryCases = operations.flatMap((op) =>
      op.parameters
        .filter((p) => p.in === 'query' && p.schema?.format === 'date-time')
        .map((p) => ({
          label: `${op.call} ?${p.name}`,
          values: notADateTime as fc.Arbitrary<unknown>,
          run: (value: unknown) =>
            refusedNaming(
              () =>
                t.http[op.method](
                  `${realPath(op.path, world)}?${p.name}=${encodeURIComponent(String(value))}`,
                ).set('Authorization', t.admin),
              p.name,
              false,
            ),
        })),
    );
    // Token expiry, investigation start, plan step ETAs, support request time; incident list filters.
    expect(bodyCases.length).toBeGreaterThan(4);
    expect(queryCases.length).toBeGreaterThan(1);
    expect(await checkAll([...bodyCases, ...queryCases])).toEqual([]);
  }, 120_000);
});
