import { readCookie } from './board-session';

describe('readCookie', () => {
  it('finds the named cookie among others and decodes it', () => {
    expect(readCookie('a=1; tocsin_board=tcs_abc%3D; b=2', 'tocsin_board')).toBe('tcs_abc=');
    expect(readCookie(['a=1', 'tocsin_board=x'], 'tocsin_board')).toBe('x');
    expect(readCookie('tocsin_boardx=1', 'tocsin_board')).toBeUndefined();
    expect(readCookie('tocsin_board=%E0%A4%A', 'tocsin_board')).toBeUndefined();
    expect(readCookie(undefined, 'tocsin_board')).toBeUndefined();
  });
});
