import { Inject, Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { templatesDir } from '../../delivery/templates/templates-dir';
import type { RcaFormat, RenderedRca } from '../rca-publication';
import { escapeMarkdown, markdownCell } from './markdown-escape';
import { renderRcaPdf } from './rca-pdf';
import type { RcaModel } from './rca-model';
import { buildRcaView, RcaVersionInfo, RcaView, RcaViewOptions } from './rca-view';

const CONTENT_TYPES: Record<RcaFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  md: 'text/markdown; charset=utf-8',
};

/** Every string of the view except our own labels, made literal for Markdown. */
function escapeForMarkdown(view: RcaView): RcaView {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return escapeMarkdown(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const { t, language, filenameBase, ...rest } = view;
  return { ...(walk(rest) as Omit<RcaView, 't' | 'language' | 'filenameBase'>), t, language, filenameBase };
}

/**
 * Renders a report model (an edition already chosen) to HTML and Markdown from the Handlebars
 * templates in `templates/rca/`, compiled once with `strict: true`, and to PDF with pdfkit.
 * HTML escapes with {{ }}; the Markdown template runs unescaped on text escaped beforehand.
 */
@Injectable()
export class RcaRenderer {
  private readonly handlebars = Handlebars.create();
  private readonly html: Handlebars.TemplateDelegate;
  private readonly md: Handlebars.TemplateDelegate;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const dir = join(templatesDir(), 'rca');
    this.handlebars.registerHelper('cell', (value: string) => markdownCell(value ?? ''));
    this.html = this.handlebars.compile(readFileSync(join(dir, 'report.html.hbs'), 'utf8'), { strict: true });
    this.md = this.handlebars.compile(readFileSync(join(dir, 'report.md.hbs'), 'utf8'), {
      strict: true,
      noEscape: true,
    });
  }

  view(model: RcaModel, info: RcaVersionInfo, options: Omit<RcaViewOptions, 'timezone'>): RcaView {
    return buildRcaView(model, info, { ...options, timezone: this.config.businessCalendar.timezone });
  }

  async render(view: RcaView, format: RcaFormat, at: Date): Promise<RenderedRca> {
    let content: Buffer;
    if (format === 'html') content = Buffer.from(this.html(view), 'utf8');
    else if (format === 'md')
      content = Buffer.from(this.md(escapeForMarkdown(view)).replace(/\n{3,}/g, '\n\n'), 'utf8');
    else content = await renderRcaPdf(view, at);
    return { content, contentType: CONTENT_TYPES[format], filename: `${view.filenameBase}.${format}` };
  }
}
