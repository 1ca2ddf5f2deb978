import { MessageFormatElement, parse, TYPE } from '@formatjs/icu-messageformat-parser';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LANGUAGES } from '../../src/common/languages';
import { loadConfig } from '../../src/config/app-config';
import { MailRenderer } from '../../src/delivery/templates/mail-renderer';
import { RCA_LABELS } from '../../src/postmortem/rca/rca-labels';

/**
 * Every customer-facing word exists in every language, and none of it is English in disguise.
 * A template or locale key added in one language only, a placeholder renamed in one, or an
 * English sentence left in a translation fails here. Staff mails are English only (their readers
 * are the provider's own teams) and must be listed as such.
 */
const TEMPLATES = join(__dirname, '..', '..', 'templates');
const EMAIL = join(TEMPLATES, 'email');
const PAGES = join(TEMPLATES, 'pages');

const CUSTOMER_MAILS = ['notice', 'breach-notice', 'rca-copy', 'support-confirmation', 'support-reply'];
const STAFF_MAILS = ['action-reminder', 'escalation-alert', 'staff-alert'];
const PARTS = ['subject', 'html', 'text'] as const;
const FOREIGN = LANGUAGES.filter((l) => l !== 'en');

/**
 * Words that are common in English prose and are not words of French, German, Italian or
 * Spanish business mail, so one of them in a translation means English slipped in. Short words
 * those languages share are left out on purpose: in, an, a, on, die, has, will, was (German).
 */
const ENGLISH_STOP_WORDS = new Set(
  'the and you your we our is are this that with for have been please which from about not be by of to at it us when next would could should there their they were'.split(
    ' ',
  ),
);

/** Names and codes that read the same in every language. */
const NAMES = new Set([
  'tocsin',
  'rca',
  'sla',
  'pdf',
  'id',
  'https',
  'http',
  'com',
  'example',
  'status',
  'as2',
  'sftp',
]);

function englishWords(text: string): string[] {
  const words = text
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/https?:\/\/\S+|\S+@\S+/g, ' ')
    .toLowerCase()
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
  return words.filter((w) => ENGLISH_STOP_WORDS.has(w) && !NAMES.has(w));
}

const mustaches = (source: string) => (source.match(/{{[^}]*}}/g) ?? []).sort();
/** The arguments an ICU message takes (`{name}`, `{count, plural, …}`), from its parse tree. */
const placeholders = (message: string): string[] => {
  const names = new Set<string>();
  const walk = (elements: MessageFormatElement[]): void => {
    for (const element of elements) {
      if ('value' in element && element.type !== TYPE.literal && typeof element.value === 'string')
        names.add(element.value);
      if ('options' in element) for (const option of Object.values(element.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return [...names].sort();
};
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;

describe('language parity: en, fr, de, it, es', () => {
  const mailFiles = readdirSync(EMAIL).filter((f) => f.endsWith('.hbs') && f !== 'layout.html.hbs');

  it('classifies every mail template as customer-facing (all languages) or staff (English)', () => {
    const names = [...new Set(mailFiles.map((f) => f.split('.')[0]))].sort();
    expect(names).toEqual([...CUSTOMER_MAILS, ...STAFF_MAILS].sort());
    for (const name of STAFF_MAILS)
      expect(mailFiles.filter((f) => f.startsWith(`${name}.`)).sort()).toEqual(
        PARTS.map((part) => `${name}.en.${part}.hbs`).sort(),
      );
  });

  describe.each(CUSTOMER_MAILS)('mail %s', (name) => {
    it.each(PARTS)(
      'has its %s part in every language, with the same placeholders and blocks as English',
      (part) => {
        const english = mustaches(readFileSync(join(EMAIL, `${name}.en.${part}.hbs`), 'utf8'));
        for (const language of LANGUAGES) {
          const file = `${name}.${language}.${part}.hbs`;
          expect({ file, exists: mailFiles.includes(file) }).toEqual({ file, exists: true });
          expect({ file, mustaches: mustaches(readFileSync(join(EMAIL, file), 'utf8')) }).toEqual({
            file,
            mustaches: english,
          });
        }
      },
    );
  });

  describe('mails rendered with texts written in the reader’s language', () => {
    const renderer = new MailRenderer(loadConfig({ LOG_LEVEL: 'silent' }));
    /** What a notification team and a customer would write, per language (free texts are theirs). */
    const written: Record<string, Record<string, string>> = {
      fr: {
        title: 'Passerelle AS2 : messages entrants refusés',
        text: 'Nos ingénieurs rétablissent la chaîne de certificats.',
        person: 'Responsable exploitation',
        company: 'Transports Exemple SA',
      },
      de: {
        title: 'AS2-Gateway: eingehende Nachrichten abgelehnt',
        text: 'Unsere Techniker stellen die Zertifikatskette wieder her.',
        person: 'Leitung Betrieb',
        company: 'Beispiel Logistik GmbH',
      },
      it: {
        title: 'Gateway AS2: messaggi in entrata rifiutati',
        text: 'I nostri tecnici stanno ripristinando la catena dei certificati.',
        person: 'Responsabile operativo',
        company: 'Esempio Trasporti S.p.A.',
      },
      es: {
        title: 'Pasarela AS2: mensajes entrantes rechazados',
        text: 'Nuestros técnicos están restableciendo la cadena de certificados.',
        person: 'Responsable de operaciones',
        company: 'Transportes Ejemplo S.L.',
      },
    };
    const at = new Date('2026-03-02T09:00:00Z');
    const contexts = (w: Record<string, string>): [string, Record<string, unknown>][] => {
      const notice = (kind: string) => ({
        kind,
        reference: 'INC-2026-0042',
        title: w.title,
        severity: 1,
        severityLabel: '1',
        services: ['AS2'],
        startedAt: at,
        resolvedAt: kind === 'resolution' ? at : null,
        observed: w.text,
        actions: w.text,
        message: kind === 'holding' ? null : w.text,
        nextUpdateAt: kind === 'resolution' ? null : at,
        sentAt: at,
        portalUrl: 'https://status.example.com/portal/x',
      });
      const kinds = ['initial', 'update', 'holding', 'resolution'];
      return [
        ...kinds.map((k): [string, Record<string, unknown>] => [`notice ${k}`, notice(k)]),
        ...kinds.map((k): [string, Record<string, unknown>] => [`breach-notice ${k}`, notice(k)]),
        ...[false, true].flatMap((proactive) =>
          [false, true].map((correction): [string, Record<string, unknown>] => [
            `rca-copy${proactive ? ' proactive' : ''}${correction ? ' correction' : ''}`,
            {
              reference: 'INC-2026-0042',
              title: w.title,
              version: 2,
              contactName: w.person,
              customerName: w.company,
              filename: 'INC-2026-0042-rca-v2.pdf',
              link: 'https://status.example.com/rca/x',
              linkExpiresAt: at,
              proactive,
              correction,
            },
          ]),
        ),
        ...['phone', 'email', 'portal'].map((submissionMethod): [string, Record<string, unknown>] => [
          `support-confirmation ${submissionMethod}`,
          {
            reference: 'SR-2026-000042',
            submissionMethod,
            company: w.company,
            contactName: w.person,
            description: w.text,
            jobNumbers: 'JOB-4711',
            eventAt: at,
            createdAt: at,
            responseDueAt: at,
          },
        ]),
        [
          'support-reply',
          {
            reference: 'SR-2026-000042',
            contactName: w.person,
            authorName: w.person,
            body: w.text,
            repliedAt: at,
          },
        ],
      ];
    };

    it.each(FOREIGN)('%s: every customer mail, each variant, reads without an English word', (language) => {
      const found: string[] = [];
      for (const [variant, context] of contexts(written[language])) {
        const template = variant.split(' ')[0];
        const mail = renderer.render(template, language, context);
        expect({ variant, language: mail.language }).toEqual({ variant, language });
        for (const [part, text] of Object.entries({
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
        })) {
          const words = englishWords(part === 'html' ? text.replace(/<style[\s\S]*?<\/style>/g, '') : text);
          if (words.length) found.push(`${variant} ${part}: ${[...new Set(words)].join(', ')}`);
        }
      }
      expect(found).toEqual([]);
    });

    it('catches English in disguise: the English mails fail the same check', () => {
      const mail = renderer.render('notice', 'en', contexts(written.fr)[0][1]);
      expect(englishWords(mail.text).length).toBeGreaterThan(5);
    });
  });

  describe('page messages (portal, status page, board)', () => {
    const english = readJson(join(PAGES, 'locales', 'en.json'));

    it.each(LANGUAGES)(
      '%s has exactly the English keys, each a valid ICU message with the same arguments',
      (language) => {
        const messages = readJson(join(PAGES, 'locales', `${language}.json`));
        expect(Object.keys(messages)).toEqual(Object.keys(english));
        const mismatched = Object.keys(english).filter(
          (key) =>
            JSON.stringify(placeholders(messages[key] ?? '')) !== JSON.stringify(placeholders(english[key])),
        );
        expect(mismatched).toEqual([]);
        expect(Object.entries(messages).filter(([, value]) => !value.trim())).toEqual([]);
      },
    );

    it.each(LANGUAGES)('%s counts with plural rules, never a faked plural like "incident(s)"', (language) => {
      const messages = readJson(join(PAGES, 'locales', `${language}.json`));
      const faked = Object.entries(messages).filter(([, value]) =>
        /\p{L}\((s|e|n|en|es|i)\)|\p{L}\/i\b/u.test(value),
      );
      expect(faked).toEqual([]);
    });

    it.each(FOREIGN)('%s messages hold no English word', (language) => {
      const messages = readJson(join(PAGES, 'locales', `${language}.json`));
      const found = Object.entries(messages)
        .map(([key, value]) => [key, englishWords(value.replace(/\{\w+\}/g, ' '))] as const)
        .filter(([, words]) => words.length)
        .map(([key, words]) => `${key}: ${words.join(', ')}`);
      expect(found).toEqual([]);
    });

    it('names in the page templates only keys that exist', () => {
      const files = (dir: string): string[] =>
        readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
        );
      const missing: string[] = [];
      let named = 0;
      for (const file of files(PAGES)) {
        for (const [, key] of readFileSync(file, 'utf8').matchAll(/\(?\bt "([^"]+)"/g)) {
          named++;
          if (!(key in english)) missing.push(`${relative(PAGES, file)}: ${key}`);
        }
      }
      expect(named).toBeGreaterThan(50);
      expect(missing).toEqual([]);
    });
  });

  describe('RCA report labels', () => {
    const strings = (value: unknown, at = ''): [string, string][] =>
      typeof value === 'string'
        ? [[at, value]]
        : typeof value === 'function'
          ? [[at, String((value as (n: number, total: number) => string)(2, 5))]]
          : Object.entries(value as object).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));

    it.each(FOREIGN)('%s has every label, none empty, none English', (language) => {
      const labels = Object.fromEntries(strings(RCA_LABELS[language]));
      expect(Object.keys(labels).sort()).toEqual(
        strings(RCA_LABELS.en)
          .map(([k]) => k)
          .sort(),
      );
      expect(Object.entries(labels).filter(([, v]) => !v.trim())).toEqual([]);
      expect(labels.page).toMatch(/2.*5/);
      const found = Object.entries(labels)
        .filter(([, v]) => englishWords(v).length)
        .map(([k, v]) => `${k}: ${v}`);
      expect(found).toEqual([]);
    });

    it('translates the report, not only its punctuation: most labels differ from English', () => {
      const english = Object.fromEntries(strings(RCA_LABELS.en));
      for (const language of FOREIGN) {
        const labels = Object.fromEntries(strings(RCA_LABELS[language]));
        const same = Object.keys(english).filter((k) => labels[k] === english[k] && english[k].length > 4);
        expect({ language, untranslated: same.length < 5 ? [] : same }).toEqual({
          language,
          untranslated: [],
        });
      }
    });
  });
});
