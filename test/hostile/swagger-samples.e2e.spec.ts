import { fullDbSnapshot } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { buildWorld, Operation, operationsFromOpenApi, realPath, World, writesWithBody } from './api-surface';
import { swaggerSample, withWorldIds } from './swagger-sample';

/**
 * Swagger UI's "Try it out" on every write of the served document: the body it generates (its
 * sample rules, `swagger-sample.ts`), with the ids a user pastes in, passes validation. Before
 * the examples, POST /tokens got the current time as `expiresAt` (400 `future`), severities
 * `{}`, e-mail and language fields `"string"`.
 */
describe("Swagger UI's sample bodies on every write endpoint", () => {
  let t: TestApp;
  let world: World;
  let writes: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    writes = writesWithBody(await operationsFromOpenApi(t));
  });
  afterAll(() => t.close());

  /** A refusal of the sample by its own rules; `exists` alone is an id of another installation. */
  const refusedByValidation = (body: { code?: string; details?: { rule: string }[] }) =>
    body.code === 'validation_failed' && !(body.details ?? []).every((d) => d.rule === 'exists');

  it('passes validation as generated, on real ids (404 for made-up ids, 409 from state rules are fine)', async () => {
    expect(writes.length).toBeGreaterThan(35);
    const failures: string[] = [];
    const statuses: number[] = [];
    for (const op of writes) {
      const body = withWorldIds(swaggerSample(op.body!, op.schemas, t.clock.now()), world);
      const before = await fullDbSnapshot(t.db);
      const res = await t.http[op.method as 'post'](realPath(op.path, world))
        .set('Authorization', t.admin)
        .send(body as object);
      statuses.push(res.status);
      if (res.status >= 500 || (res.status === 400 && refusedByValidation(res.body)))
        failures.push(
          `${op.call} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.body.details)}`,
        );
      else if (res.status >= 400 && JSON.stringify(await fullDbSnapshot(t.db)) !== JSON.stringify(before))
        failures.push(`${op.call} → ${res.status} but the database changed`);
    }
    expect(failures).toEqual([]);
    // Most of them do what they say, not merely get past validation.
    expect(statuses.filter((s) => s >= 200 && s < 300).length).toBeGreaterThan(writes.length / 2);
  });

  it('issues a token with the sample exactly as Swagger UI fills it in, but for the staff id', async () => {
    const op = writes.find((o) => o.call === 'POST /api/v1/tokens')!;
    const sample = swaggerSample(op.body!, op.schemas, t.clock.now()) as Record<string, unknown>;
    expect(sample).toEqual({
      staffMemberId: expect.any(String),
      name: expect.any(String),
      roles: [expect.any(String)],
      expiresAt: expect.any(String),
    });
    const res = await t.http
      .post('/api/v1/tokens')
      .set('Authorization', t.admin)
      .send({ ...sample, staffMemberId: world.staffId })
      .expect(201);
    expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(t.clock.now().getTime());
  });
});
