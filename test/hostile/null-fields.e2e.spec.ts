import { fullDbSnapshot } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { buildWorld, Operation, operationsFromOpenApi, realPath, World, writesWithBody } from './api-surface';
import { bodyFields, validBody, withField } from './swagger-sample';

interface Violation {
  field: string;
  rule: string;
}

/**
 * `null` in each documented field of each write, nested ones included, inside an otherwise valid
 * body (Swagger UI's sample on real ids), and a bare `null` body. Sent alone, `{field: null}` is
 * refused for the missing required fields and hides what null itself does: this way
 * `{"title": "x", "ownerId": null}` reached a NOT NULL column (a 500), and `{"name": null}` on a
 * PATCH was silently read as absent. A field OpenAPI does not mark `nullable` is 400 `notNull`
 * naming it; a nullable one is accepted; never a 500; a refusal changes nothing.
 */
describe('explicit null in every documented field of every write', () => {
  let t: TestApp;
  let world: World;
  let writes: Operation[];

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
    writes = writesWithBody(await operationsFromOpenApi(t));
  });
  afterAll(() => t.close());

  const send = (op: Operation, body: unknown) =>
    t.http[op.method as 'post'](realPath(op.path, world))
      .set('Authorization', t.admin)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));

  it('refuses null with 400 notNull unless the field is documented nullable, which accepts it', async () => {
    const failures: string[] = [];
    let refused = 0;
    let accepted = 0;
    for (const op of writes) {
      for (const field of bodyFields(op.body!, op.schemas)) {
        const body = withField(validBody(op, world, t.clock.now()), field.path, null);
        const before = await fullDbSnapshot(t.db);
        const res = await send(op, body);
        const unchanged = JSON.stringify(await fullDbSnapshot(t.db)) === JSON.stringify(before);
        const details: Violation[] = Array.isArray(res.body?.details) ? res.body.details : [];
        const named = details.filter((d) => d.field === field.name);
        const at = `${op.call} ${field.name}=null → ${res.status} ${JSON.stringify(res.body?.details ?? res.body?.code)}`;
        if (res.status >= 500) failures.push(at);
        else if (res.status >= 400 && !unchanged) failures.push(`${at} but the database changed`);
        else if (field.schema.nullable) {
          accepted++;
          if (res.body?.code === 'validation_failed' && named.length)
            failures.push(`${at}: documented nullable`);
        } else {
          refused++;
          if (res.status !== 400 || !named.some((d) => d.rule === 'notNull'))
            failures.push(`${at}: expected 400 notNull naming it`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The document's whole write surface: flat, nested (levels[0].phone) and nullable fields.
    expect(refused).toBeGreaterThan(120);
    expect(accepted).toBeGreaterThan(15);
  });

  it('refuses a bare null body on every write with a body: 400 naming body, nothing changed', async () => {
    expect(writes.length).toBeGreaterThan(35);
    const failures: string[] = [];
    for (const op of writes) {
      const before = await fullDbSnapshot(t.db);
      const res = await send(op, null);
      const details: Violation[] = Array.isArray(res.body?.details) ? res.body.details : [];
      if (res.status !== 400 || !details.some((d) => d.field === 'body' && d.rule === 'notNull'))
        failures.push(`${op.call} null → ${res.status} ${JSON.stringify(res.body)}`);
      else if (JSON.stringify(await fullDbSnapshot(t.db)) !== JSON.stringify(before))
        failures.push(`${op.call} null → 400 but the database changed`);
    }
    expect(failures).toEqual([]);
  });
});
