import type { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { FakeClock } from '../../test/support/fake-clock';
import { SignedLinks } from './signed-links';

async function signer(clock: FakeClock, secret = 'a-signing-secret-of-at-least-32-chars') {
  const config = loadConfig({ TOCSIN_SIGNING_SECRET: secret, PUBLIC_BASE_URL: 'https://tocsin.example.com' });
  const links = new SignedLinks(config, {} as DataSource, clock);
  await links.onModuleInit();
  return links;
}

const portal = { purpose: 'portal', customerId: 'c1', contactId: 'k1' } as const;

describe('SignedLinks', () => {
  it('gives back the grant it signed, with its expiry', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    const links = await signer(clock);
    const verified = links.verify(links.sign(portal, 30), 'portal');
    expect(verified).toEqual({ ...portal, expiresAt: new Date('2026-04-01T09:00:00Z') });
  });

  it('refuses a link once it has expired', async () => {
    const clock = new FakeClock();
    const links = await signer(clock);
    const token = links.sign(portal, 1);
    clock.advanceMinutes(24 * 60 - 1);
    expect(links.verify(token, 'portal').customerId).toBe('c1');
    clock.advanceMinutes(1);
    expect(() => links.verify(token, 'portal')).toThrow(expect.objectContaining({ code: 'link.expired' }));
  });

  it('refuses a tampered payload, a foreign signature and a link made for another purpose', async () => {
    const clock = new FakeClock();
    const links = await signer(clock);
    const token = links.sign(portal, 30);
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), customerId: 'c2' }),
    ).toString('base64url');
    const otherKey = (await signer(clock, 'another-signing-secret-of-32-characters')).sign(portal, 30);
    const rca = links.sign(
      { purpose: 'rca', customerId: 'c1', contactId: 'k1', incidentId: 'i1', version: 1, language: 'fr' },
      30,
    );
    for (const bad of [`${forged}.${mac}`, otherKey, `${token}.x`, payload, '', 'not-a-token', rca]) {
      expect(() => links.verify(bad, 'portal')).toThrow(expect.objectContaining({ code: 'link.invalid' }));
    }
  });

  it('builds portal URLs under the public base URL', async () => {
    const links = await signer(new FakeClock());
    const url = links.portalUrl('c1', 'k1');
    expect(url).toMatch(/^https:\/\/tocsin\.example\.com\/portal\/[\w-]+\.[\w-]+$/);
    expect(links.verify(url.split('/').pop()!, 'portal').contactId).toBe('k1');
  });
});
