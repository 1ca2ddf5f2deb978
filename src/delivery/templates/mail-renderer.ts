import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import juice from 'juice';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FALLBACK_LANGUAGE, Language, LOCALE_TAGS, supportedLanguage } from '../../common/languages';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { templatesDir } from './templates-dir';

export interface RenderedMail {
  language: string;
  subject: string;
  html: string;
  text: string;
}

/** The line under every mail, in the mail's language. */
const MAIL_FOOTERS: Record<Language, string> = {
  en: 'Sent by Tocsin, the incident notification service.',
  fr: 'Message envoyé par Tocsin, le service de notification d’incidents.',
  de: 'Diese Nachricht wurde von Tocsin, dem Dienst für Störungsmeldungen, versendet.',
  it: 'Messaggio inviato da Tocsin, il servizio di notifica degli incidenti.',
  es: 'Mensaje enviado por Tocsin, el servicio de notificación de incidencias.',
};

interface CompiledTemplate {
  subject: Handlebars.TemplateDelegate;
  html: Handlebars.TemplateDelegate;
  text: Handlebars.TemplateDelegate;
}

/**
 * Handlebars mail templates (`templates/email/<name>.<lang>.<subject|html|text>.hbs`),
 * compiled once with `strict: true`. Everything user-written is escaped ({{ }}); only the
 * vetted layout inserts the rendered body unescaped. CSS is inlined for mail clients.
 */
@Injectable()
export class MailRenderer {
  private readonly templates = new Map<string, CompiledTemplate>();
  private readonly layout: Handlebars.TemplateDelegate;
  private readonly css: string;
  private readonly handlebars = Handlebars.create();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const dir = join(templatesDir(), 'email');
    this.registerHelpers();
    this.layout = this.handlebars.compile(readFileSync(join(dir, 'layout.html.hbs'), 'utf8'), {
      strict: true,
    });
    this.css = readFileSync(join(dir, 'styles.css'), 'utf8');
    const parts = new Map<string, Partial<Record<keyof CompiledTemplate, string>>>();
    for (const file of readdirSync(dir)) {
      const match = /^([a-z-]+)\.([a-z]{2})\.(subject|html|text)\.hbs$/.exec(file);
      if (!match) continue;
      const key = `${match[1]}.${match[2]}`;
      parts.set(key, { ...parts.get(key), [match[3]]: readFileSync(join(dir, file), 'utf8') });
    }
    for (const [key, source] of parts) {
      if (!source.subject || !source.html || !source.text)
        throw new Error(`mail template ${key} lacks a subject, html or text part`);
      this.templates.set(key, {
        subject: this.handlebars.compile(source.subject.trim(), { strict: true, noEscape: true }),
        html: this.handlebars.compile(source.html, { strict: true }),
        text: this.handlebars.compile(source.text, { strict: true, noEscape: true }),
      });
    }
  }

  /** The language a recipient gets: theirs when the template has it, else English. */
  languageFor(template: string, language: string): string {
    return this.templates.has(`${template}.${language}`) ? language : FALLBACK_LANGUAGE;
  }

  render(template: string, requestedLanguage: string, context: object): RenderedMail {
    const language = this.languageFor(template, requestedLanguage);
    const compiled = this.templates.get(`${template}.${language}`);
    if (!compiled) throw new Error(`no mail template ${template}.${language}`);
    const data = { ...context, language, timezone: this.config.businessCalendar.timezone };
    // Header safety: no CR/LF can reach the Subject, whatever a title contains.
    const subject = compiled
      .subject(data)
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim();
    const body = compiled.html(data);
    const html = juice.inlineContent(
      this.layout({ language, subject, body, footer: this.footer(language) }),
      this.css,
    );
    const text =
      compiled
        .text(data)
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n';
    return { language, subject, html, text };
  }

  private footer(language: string): string {
    return MAIL_FOOTERS[supportedLanguage(language)];
  }

  private registerHelpers(): void {
    this.handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
    this.handlebars.registerHelper(
      'formatDate',
      function (this: unknown, value: Date | string | null, options: Handlebars.HelperOptions) {
        if (!value) return '';
        const root = options.data.root as { language: string; timezone: string };
        return new Intl.DateTimeFormat(LOCALE_TAGS[supportedLanguage(root.language)], {
          year: 'numeric',
          month: 'long',
          day: 'numeric',
          hour: '2-digit',
          minute: '2-digit',
          timeZone: root.timezone,
          timeZoneName: 'short',
        }).format(new Date(value));
      },
    );
  }
}
