import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { TYPE } from '@formatjs/icu-messageformat-parser';
import { IntlMessageFormat } from 'intl-messageformat';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { templatesDir } from '../delivery/templates/templates-dir';
import { LOCALE_TAGS } from '../common/languages';
import { Language, LANGUAGES } from './language';

export interface PageOptions {
  /** The page's <title> (escaped by the layout). */
  title: string;
  /** Static files under /assets/ loaded with `defer` (CSP: scripts only from 'self'). */
  scripts?: string[];
  /** `<link rel="alternate">` feeds. */
  feeds?: { title: string; href: string }[];
  /** Links to the same page in each language (the header's language switch); omitted → none. */
  languageLinks?: boolean;
  /** Path of the current page, for the language switch. */
  path?: string;
}

/**
 * Server-rendered pages (status page, board, customer portal): Handlebars views under
 * `templates/pages/<area>/<view>.hbs`, partials under `templates/pages/partials/` (registered
 * by file name), one layout (`layouts/main.hbs`) and messages in `locales/<lang>.json`.
 * Rendering uses its own Handlebars instance and controllers send the string with
 * `reply.type('text/html')` (see `sendHtml`): no view plugin, nothing registered on Fastify.
 * Everything is escaped ({{ }}); only the vetted layout inserts the rendered view unescaped.
 * Helpers know the page's language through `@lang` (runtime data), so one view serves every language.
 */
@Injectable()
export class PageRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly views = new Map<string, Handlebars.TemplateDelegate>();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly messages: Record<Language, Record<string, string>>;
  readonly timezone: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.timezone = config.businessCalendar.timezone;
    const dir = join(templatesDir(), 'pages');
    this.messages = Object.fromEntries(
      LANGUAGES.map((lang) => [lang, JSON.parse(readFileSync(join(dir, 'locales', `${lang}.json`), 'utf8'))]),
    ) as Record<Language, Record<string, string>>;
    registerPageHelpers(this.handlebars, this.messages, this.timezone);
    for (const file of hbsFiles(join(dir, 'partials'))) {
      const name = relative(join(dir, 'partials'), file).replace(/\.hbs$/, '');
      this.handlebars.registerPartial(name, readFileSync(file, 'utf8'));
    }
    this.layout = this.handlebars.compile(readFileSync(join(dir, 'layouts', 'main.hbs'), 'utf8'));
    for (const file of hbsFiles(dir)) {
      const name = relative(dir, file).replace(/\.hbs$/, '');
      if (name.startsWith('partials/') || name.startsWith('layouts/')) continue;
      this.views.set(name, this.handlebars.compile(readFileSync(file, 'utf8')));
    }
  }

  /** A whole HTML page: the view inside the layout. */
  page(view: string, lang: Language, context: object, options: PageOptions): string {
    const data = { lang, timezone: this.timezone };
    const body = this.fragment(view, lang, context);
    return this.layout(
      {
        ...options,
        body,
        languages: options.languageLinks
          ? LANGUAGES.map((code) => ({
              code,
              label: this.messages[code]['language.name'],
              href: `${options.path ?? ''}?lang=${code}`,
              current: code === lang,
            }))
          : [],
      },
      { data },
    );
  }

  /** A view without the layout: an HTML fragment (live updates) or another format (Atom). */
  fragment(view: string, lang: Language, context: object): string {
    const template = this.views.get(view);
    if (!template) throw new Error(`no page view ${view}`);
    return template(context, { data: { lang, timezone: this.timezone } });
  }

  /** A message in the language, `{name}` placeholders filled in (for code that is not a view). */
  message(lang: Language, key: string, values: Record<string, unknown> = {}): string {
    return translate(this.messages, lang, key, values);
  }
}

function hbsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.hbs'))
    .map((entry) => join(entry.parentPath, entry.name));
}

/**
 * Messages are ICU MessageFormat (`{name}`, and `{count, plural, one {# day} other {# days}}`
 * for real plural rules per language), parsed once per language and key.
 */
const compiled = new WeakMap<object, Map<string, IntlMessageFormat>>();

function translate(
  messages: Record<Language, Record<string, string>>,
  lang: Language,
  key: string,
  values: Record<string, unknown>,
): string {
  const cache = compiled.get(messages) ?? new Map<string, IntlMessageFormat>();
  compiled.set(messages, cache);
  const id = `${lang}:${key}`;
  let format = cache.get(id);
  if (!format) {
    const text = messages[lang]?.[key] ?? messages.en[key];
    if (text === undefined) throw new Error(`no page message ${key}`);
    format = new IntlMessageFormat(text, LOCALE_TAGS[lang]);
    cache.set(id, format);
  }
  // A simple argument left out stays `{name}`: the board's script fills `{d}` and `{time}` itself.
  const given: Record<string, unknown> = { ...values };
  for (const element of format.getAst())
    if (element.type === TYPE.argument && !(element.value in given))
      given[element.value] = `{${element.value}}`;
  return String(format.format(given as Record<string, string | number>));
}

/** Page helpers; each reads the page language from `@lang`. */
export function registerPageHelpers(
  handlebars: typeof Handlebars,
  messages: Record<Language, Record<string, string>>,
  timezone: string,
): void {
  const langOf = (options: Handlebars.HelperOptions | undefined): Language => options?.data?.lang ?? 'en';
  const format = (value: unknown, lang: Language, spec: Intl.DateTimeFormatOptions) =>
    value
      ? new Intl.DateTimeFormat(dateLocale(lang), { timeZone: timezone, ...spec }).format(
          new Date(value as string),
        )
      : '';

  /** `{{t "status.title" count=3}}`: the message in the page's language, `{count}` filled in. */
  handlebars.registerHelper('t', function (key: string, options: Handlebars.HelperOptions) {
    return translate(messages, langOf(options), key, options.hash ?? {});
  });
  /** Date and time with the zone, e.g. "2 March 2026 at 10:35 CET". */
  handlebars.registerHelper(
    'formatDateTime',
    (value: unknown, options: Handlebars.HelperOptions) =>
      format(value, langOf(options), { dateStyle: 'long', timeStyle: 'short' }) +
      (value ? ` ${zoneName(value, langOf(options), timezone)}` : ''),
  );
  handlebars.registerHelper('formatDate', (value: unknown, options: Handlebars.HelperOptions) =>
    format(value, langOf(options), { dateStyle: 'medium' }),
  );
  /** Time of day with the zone, e.g. "10:35 CET": the board is read across time zones. */
  handlebars.registerHelper(
    'formatTime',
    (value: unknown, options: Handlebars.HelperOptions) =>
      format(value, langOf(options), { hour: '2-digit', minute: '2-digit' }) +
      (value ? ` ${zoneName(value, langOf(options), timezone)}` : ''),
  );
  /** The zone pages write times in (`BUSINESS_TIMEZONE`), for the board's script. */
  handlebars.registerHelper('timeZone', () => timezone);
  /** Machine-readable timestamp for `<time datetime>`, Atom and the board's clocks. */
  handlebars.registerHelper('iso', (value: unknown) =>
    value ? new Date(value as string).toISOString() : '',
  );
  /** `{{countdown due now}}`: "in 12:05" or "3:10 overdue" (the board's script keeps it ticking). */
  handlebars.registerHelper('countdown', (due: unknown, now: unknown, options: Handlebars.HelperOptions) => {
    if (!due || !now) return '';
    const ms = new Date(due as string).getTime() - new Date(now as string).getTime();
    return translate(messages, langOf(options), ms >= 0 ? 'clock.in' : 'clock.overdue', {
      d: clockDigits(Math.abs(ms)),
    });
  });
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  /** Builds a message key, e.g. `{{t (concat "state." state)}}`. */
  handlebars.registerHelper('concat', (...args: unknown[]) => args.slice(0, -1).join(''));
  handlebars.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some(Boolean));
}

/** `h:mm:ss` or `m:ss`, as the board's script writes it too. */
export function clockDigits(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

function dateLocale(lang: Language): string {
  return LOCALE_TAGS[lang];
}

function zoneName(value: unknown, lang: Language, timezone: string): string {
  const parts = new Intl.DateTimeFormat(dateLocale(lang), {
    timeZone: timezone,
    timeZoneName: 'short',
  }).formatToParts(new Date(value as string));
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}
