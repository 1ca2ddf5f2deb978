import { createHmac } from 'node:crypto';
import { openSessionCookie, readCookie, sealSessionCookie } from './board-session';

describe('readCookie', () => {
  it('finds the named cookie among others and decodes it', () => {
    expect(readCookie('a=1; tocsin_board=tcs_abc%3D; b=2', 'tocsin_board')).toBe('tcs_abc=');
    expect(readCookie(['a=1', 'tocsin_board=x'], 'tocsin_board')).toBe('x');
    expect(readCookie('tocsin_boardx=1', 'tocsin_board')).toBeUndefined();
    expect(readCookie('tocsin_board=%E0%A4%A', 'tocsin_board')).toBeUndefined();
    expect(readCookie(undefined, 'tocsin_board')).toBeUndefined();
  });
});

describe('session cookie value', () => {
  const tag = (data: string) => createHmac('sha256', 'test key').update(data).digest('base64url');
  const signedInAt = Date.parse('2026-03-02T09:00:00Z');

  it('gives back the token and sign-in time it sealed, a token with dots too', () => {
    for (const token of ['tcs_abc-_123', 'configured.admin.token.with.dots']) {
      expect(openSessionCookie(sealSessionCookie(token, signedInAt, tag), tag)).toEqual({
        token,
        signedInAt,
      });
    }
  });

  it('refuses a bare token, a moved sign-in time, another token under the tag, or another key', () => {
    const sealed = sealSessionCookie('tcs_abc', signedInAt, tag);
    const [, mac] = sealed.split('.');
    const otherKey = (data: string) => createHmac('sha256', 'other key').update(data).digest('base64url');
    expect(openSessionCookie('tcs_abc', tag)).toBeUndefined();
    expect(openSessionCookie(`${signedInAt + 3_600_000}.${mac}.tcs_abc`, tag)).toBeUndefined();
    expect(openSessionCookie(`${signedInAt}.${mac}.tcs_abd`, tag)).toBeUndefined();
    expect(openSessionCookie(sealed, otherKey)).toBeUndefined();
    expect(openSessionCookie(`${signedInAt}.${mac.slice(1)}.tcs_abc`, tag)).toBeUndefined();
  });
});
