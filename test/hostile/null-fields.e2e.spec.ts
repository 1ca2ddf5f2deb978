import { fullDbSnapshot } from '../support/api-assertions';
import { startTestApp, TestApp } from '../support/test-app';
import { buildWorld, operationsFromOpenApi, realPath, resolve, World } from './api-surface';

/**
 * `null` for each documented field of each write, alone, on real ids: class-validator's
 * @IsOptional() lets null past every rule, so this is where a NOT NULL column answered 500.
 * Never a 500; a refusal changes nothing; a field not documented as nullable is never stored as null.
 */
describe('explicit null in every documented field of every write', () => {
  let t: TestApp;
  let world: World;

  beforeAll(async () => {
    t = await startTestApp();
    world = await buildWorld(t);
  });
  afterAll(() => t.close());

  it('answers 4xx or succeeds, never 500, and refusals change nothing', async () => {
    const writes = (await operationsFromOpenApi(t)).filter(
      (op) => !op.public && ['post', 'put', 'patch'].includes(op.method) && op.body,
    );
    const failures: string[] = [];
    let tried = 0;
    for (const op of writes) {
      for (const [name, prop] of Object.entries(resolve(op.body!, op.schemas).properties ?? {})) {
        const before = await fullDbSnapshot(t.db);
        const res = await t.http[op.method as 'post'](realPath(op.path, world))
          .set('Authorization', t.admin)
          .send({ [name]: null });
        tried++;
        if (res.status >= 500) failures.push(`${op.call} ${name}=null → ${res.status}`);
        else if (res.status >= 400 && JSON.stringify(await fullDbSnapshot(t.db)) !== JSON.stringify(before))
          failures.push(`${op.call} ${name}=null → ${res.status} but the database changed`);
        else if (res.status < 300 && !(prop as { nullable?: boolean }).nullable && res.body?.[name] === null)
          failures.push(`${op.call} stored ${name}=null though it is not documented as nullable`);
      }
    }
    expect(tried).toBeGreaterThan(100);
    expect(failures).toEqual([]);
  });
});
