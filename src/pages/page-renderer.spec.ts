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

  it('writes counts with each language’s plural rules, not "incident(s)"', () => {
    const totals = (lang: 'en' | 'fr' | 'de' | 'it' | 'es', incidents: number) =>
      pages.message(lang, 'board.totals', { incidents, accepted: 1, pending: 0, failed: 0 }).split(' · ')[0];
    expect([0, 1, 2].map((n) => totals('en', n))).toEqual([
      '0 open incidents',
      '1 open incident',
      '2 open incidents',
    ]);
    // French counts zero as singular.
    expect([0, 1, 2].map((n) => totals('fr', n))).toEqual([
      '0 incident ouvert',
      '1 incident ouvert',
      '2 incidents ouverts',
    ]);
    expect([1, 2].map((n) => totals('de', n))).toEqual(['1 offene Störung', '2 offene Störungen']);
    expect([1, 2].map((n) => totals('it', n))).toEqual(['1 incidente aperto', '2 incidenti aperti']);
    expect([1, 2].map((n) => totals('es', n))).toEqual(['1 incidencia abierta', '2 incidencias abiertas']);
    // Placeholders the board's script fills in stay as they are when no value is given.
    expect(pages.message('de', 'board.live.updated')).toContain('{time}');
    expect(pages.message('en', 'status.history.summary', { days: 90, disrupted: 1 })).toBe(
      'Last 90 days: 1 day with an incident',
    );
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
