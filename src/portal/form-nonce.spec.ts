import type { DataSource } from 'typeorm';
import { FakeClock } from '../../test/support/fake-clock';
import { loadConfig } from '../config/app-config';
import { SignedLinks } from '../links/signed-links';
import { FORM_NONCE_TTL_MS, FormNonces } from './form-nonce';

async function nonces(clock: FakeClock) {
  const config = loadConfig({ TOCSIN_SIGNING_SECRET: 'a-signing-secret-of-at-least-32-chars' });
  const links = new SignedLinks(config, {} as DataSource, clock);
  await links.onModuleInit();
  return { links, nonces: new FormNonces(links, clock) };
}

describe('FormNonces', () => {
  it('accepts the nonce of the same link and form, and says when it was issued', async () => {
    const clock = new FakeClock('2026-03-02T09:00:00Z');
    const { nonces: n } = await nonces(clock);
    const nonce = n.issue('link-a', 'escalate:i1');
    clock.advanceMinutes(30);
    expect(n.check('link-a', 'escalate:i1', nonce)).toEqual({
      ok: true,
      issuedAt: new Date('2026-03-02T09:00:00Z'),
    });
  });

  it('refuses it for another link, another form, altered or missing', async () => {
    const { nonces: n } = await nonces(new FakeClock());
    const nonce = n.issue('link-a', 'escalate:i1');
    const [issued, tag] = nonce.split('.');
    const invalid = { ok: false, reason: 'invalid' };
    expect(n.check('link-b', 'escalate:i1', nonce)).toEqual(invalid);
    expect(n.check('link-a', 'escalate:i2', nonce)).toEqual(invalid);
    expect(n.check('link-a', 'support', nonce)).toEqual(invalid);
    expect(n.check('link-a', 'escalate:i1', `${(parseInt(issued, 36) + 1).toString(36)}.${tag}`)).toEqual(
      invalid,
    );
    expect(n.check('link-a', 'escalate:i1', `${nonce}.x`)).toEqual(invalid);
    expect(n.check('link-a', 'escalate:i1', undefined)).toEqual(invalid);
    expect(n.check('link-a', 'escalate:i1', ['a', 'b'])).toEqual(invalid);
  });

  it('expires after a working day', async () => {
    const clock = new FakeClock();
    const { nonces: n } = await nonces(clock);
    const nonce = n.issue('link-a', 'support');
    clock.advance(FORM_NONCE_TTL_MS);
    expect(n.check('link-a', 'support', nonce).ok).toBe(true);
    clock.advance(1);
    expect(n.check('link-a', 'support', nonce)).toEqual({ ok: false, reason: 'expired' });
  });

  it('never passes for a link signature made with the same key', async () => {
    const { links, nonces: n } = await nonces(new FakeClock());
    const token = links.sign({ purpose: 'portal', customerId: 'c1', contactId: 'k1' }, 30);
    const [, linkMac] = token.split('.');
    expect(n.issue(token, 'support').split('.')[1]).not.toBe(linkMac);
  });
});
