import { isLanguage, Language } from '../common/languages';

export { isLanguage, LANGUAGES } from '../common/languages';
export type { Language } from '../common/languages';

/**
 * The page's language: `?lang=` when given, else the first of Accept-Language that we have,
 * else `fallback` (a contact's own language, for the portal), else English.
 */
export function pickLanguage(
  query: unknown,
  acceptLanguage: string | undefined,
  fallback?: string | null,
): Language {
  if (isLanguage(query)) return query;
  const wanted = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())?.[1]).find(Boolean);
      return { lang: tag.toLowerCase().split('-')[0], q: q ? Number(q) : 1 };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q);
  const match = wanted.find((entry) => isLanguage(entry.lang));
  if (match) return match.lang as Language;
  return isLanguage(fallback) ? fallback : 'en';
}
