/**
 * The languages Tocsin writes to customers in: the provider's hotlines serve the UK, Germany,
 * France, Italy and Spain. Every customer-facing mail, page and RCA edition exists in each
 * (the parity test, test/languages/parity.spec.ts, keeps it so); English is the fallback only
 * for a language outside this list.
 */
export const LANGUAGES = ['en', 'fr', 'de', 'it', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export const FALLBACK_LANGUAGE: Language = 'en';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** A supported language, or English. */
export function supportedLanguage(value: string | null | undefined): Language {
  return isLanguage(value) ? value : FALLBACK_LANGUAGE;
}

/**
 * The Intl locale each language formats dates and numbers with: English in British conventions
 * (24-hour clock, day before month), like the business; the others in their home country's.
 */
export const LOCALE_TAGS: Record<Language, string> = {
  en: 'en-GB',
  fr: 'fr-FR',
  de: 'de-DE',
  it: 'it-IT',
  es: 'es-ES',
};
