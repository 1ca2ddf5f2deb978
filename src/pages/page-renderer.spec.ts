import { loadConfig } from '../config/app-config';
import { clockDigits, PageRenderer } from './page-renderer';

describe('PageRenderer', () => {
  const pages = new PageRenderer(loadConfig({}));

  it('renders a view in the layout, escaping what it is given, in either language', () => {
    const en = pages.page(
      'status/not-found',
      'en',
      {},
      { title: 'Nope <script>alert(1)</script>', languageLinks: true, path: '/status' },
    );
    expect(en).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(en).toContain('<title>Nope &lt;script&gt;alert(1)&lt;/script&gt; · Tocsin</title>');
    expect(en).toContain('There is no public incident with this reference.');
    expect(en).toContain('href="/status?lang&#x3D;fr"');
    const fr = pages.page('status/not-found', 'fr', {}, { title: 'x' });
    expect(fr).toContain('<html lang="fr">');
    expect(fr).toContain('Aucun incident public ne porte cette référence.');
  });

  it('fills message placeholders and formats clocks', () => {
    expect(pages.message('fr', 'board.signedIn', { name: 'Astreinte' })).toBe(
      'Connecté en tant que Astreinte.',
    );
    expect(() => pages.message('en', 'no.such.key')).toThrow('no page message no.such.key');
    expect(clockDigits(65_000)).toBe('1:05');
    expect(clockDigits(3_725_000)).toBe('1:02:05');
  });
});
