import { pickLanguage } from './language';

describe('page language', () => {
  it('takes ?lang= first, then Accept-Language by weight, then the fallback, then English', () => {
    expect(pickLanguage('fr', 'en-GB,en;q=0.9')).toBe('fr');
    expect(pickLanguage(undefined, 'nl-NL,fr;q=0.8,en;q=0.5')).toBe('fr');
    expect(pickLanguage(undefined, 'de-CH,fr;q=0.8')).toBe('de');
    expect(pickLanguage(undefined, 'es-419, it;q=0.5')).toBe('es');
    expect(pickLanguage(undefined, 'en;q=0.2, fr-CA;q=0.9')).toBe('fr');
    expect(pickLanguage(undefined, 'fr;q=0, nl')).toBe('en');
    expect(pickLanguage('xx', 'nl', 'fr')).toBe('fr');
    expect(pickLanguage(undefined, undefined, 'it')).toBe('it');
    expect(pickLanguage(['fr'], undefined)).toBe('en');
    expect(pickLanguage(undefined, undefined)).toBe('en');
  });
});
