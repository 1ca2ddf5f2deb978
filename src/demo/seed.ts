import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config';
import { DEMO_CUSTOMERS, DEMO_SERVICES, DEMO_STAFF } from './catalogue';
import { portalLinkFromCaughtMail, seedOpenIncident } from './open-incident';
import { seedRcaScenario } from './rca-scenario';
import { ScenarioApi } from './scenario-api';

/**
 * `npm run demo:seed`: loads the demo catalogue into a running Tocsin through its own API
 * (so it works the same on the embedded default and on an external PostgreSQL), then prints
 * one token per demo role. Safe to run twice: what exists is kept.
 *
 *   TOCSIN_TOKEN=<admin token> npm run demo:seed        (TOCSIN_URL defaults to http://127.0.0.1:3000)
 */
const baseUrl = (process.env.TOCSIN_URL ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
const token = process.env.TOCSIN_TOKEN;

interface Page<T> {
  items: T[];
  total: number;
}

async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  bearer = token,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

async function must<T>(method: string, path: string, body?: unknown, bearer = token): Promise<T> {
  const result = await api<T>(method, path, body, bearer);
  if (result.status >= 300)
    throw new Error(`${method} ${path} → ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
}

async function all<T>(path: string): Promise<T[]> {
  const items: T[] = [];
  for (let offset = 0; ; offset += 200) {
    const page = await must<Page<T>>('GET', `${path}?limit=200&offset=${offset}`);
    items.push(...page.items);
    if (items.length >= page.total || page.items.length === 0) return items;
  }
}

async function seed(): Promise<void> {
  if (!token) {
    console.error('Set TOCSIN_TOKEN to the admin token printed at first start (or to TOCSIN_ADMIN_TOKEN).');
    process.exit(2);
  }
  const services = new Map((await all<{ id: string; key: string }>('/services')).map((s) => [s.key, s.id]));
  for (const service of DEMO_SERVICES) {
    if (!services.has(service.key))
      services.set(service.key, (await must<{ id: string }>('POST', '/services', service)).id);
  }

  const customers = new Set((await all<{ name: string }>('/customers')).map((c) => c.name));
  let added = 0;
  for (const { services: keys, ...customer } of DEMO_CUSTOMERS) {
    if (customers.has(customer.name)) continue;
    await must('POST', '/customers', { ...customer, serviceIds: keys.map((key) => services.get(key)) });
    added += 1;
  }

  const staff = new Map((await all<{ id: string; email: string }>('/staff')).map((s) => [s.email, s.id]));
  const tokens: string[] = [];
  const byRole = new Map<string, { token: string; staffId: string }>();
  for (const member of DEMO_STAFF) {
    const id =
      staff.get(member.email) ??
      (await must<{ id: string }>('POST', '/staff', { name: member.name, email: member.email })).id;
    const issued = await must<{ token: string }>('POST', '/tokens', {
      staffMemberId: id,
      name: 'demo',
      roles: member.roles,
    });
    tokens.push(`  ${member.roles.join(',').padEnd(13)} ${member.name.padEnd(30)} ${issued.token}`);
    byRole.set(member.roles[0], { token: issued.token, staffId: id });
  }

  // A resolved incident with its approved analysis and a published RCA report, and a sample
  // of the customer edition in the data folder.
  const scenarioApi: ScenarioApi = {
    call: (method, path, body, role) => must(method, path, body, role ? byRole.get(role)!.token : token),
    find: (path) => all(path),
    download: async (path, role) => {
      const response = await fetch(`${baseUrl}/api/v1${path}`, {
        headers: { authorization: `Bearer ${byRole.get(role)!.token}` },
      });
      if (!response.ok) throw new Error(`GET ${path} → ${response.status} ${await response.text()}`);
      return Buffer.from(await response.arrayBuffer());
    },
    staffId: (role) => byRole.get(role)!.staffId,
  };
  const sample = await seedRcaScenario(scenarioApi);
  const open = await seedOpenIncident(scenarioApi);
  const config = loadConfig();
  const portal = config.mail.smtpUrl
    ? undefined
    : await portalLinkFromCaughtMail(config.dataDir, open.reference);
  const dir = join(config.dataDir, 'samples');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, sample.filename);
  writeFileSync(file, sample.pdf);

  console.log(
    `Seeded ${services.size} services and ${added} new customers (${DEMO_CUSTOMERS.length} in the demo) at ${baseUrl}.`,
  );
  console.log(`RCA report ${sample.reference} published; customer edition for ${sample.customer}: ${file}`);
  console.log(`Open incident ${open.reference}: ${open.title}`);
  console.log('Demo tokens (one per role; shown once):');
  console.log(tokens.join('\n'));
  console.log('Open in a browser:');
  console.log(`  status page      ${baseUrl}/status`);
  console.log(`  incident board   ${baseUrl}/board   (sign in with the commander token above)`);
  console.log(
    portal
      ? `  customer portal  ${portal.url}\n                   (the link in the first notice mailed to ${portal.to})`
      : '  customer portal  follow "Your incident page" in a notice mail (npm run mail:list lists them)',
  );
}

seed().catch((error: unknown) => {
  console.error(`demo:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
