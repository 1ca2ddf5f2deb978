import type { AppConfig } from '../../config/app-config';
import { flat, pdfText } from '../../../test/support/pdf-text';
import { customerEdition } from './customer-edition';
import { escapeMarkdown } from './markdown-escape';
import { sampleModel, SECRETS } from './rca-model.fixture';
import { RcaRenderer } from './rca-renderer';

const config = { businessCalendar: { timezone: 'Europe/Paris' } } as AppConfig;
const info = {
  version: 2,
  generatedAt: new Date('2026-03-06T09:00:00Z'),
  publishedAt: new Date('2026-03-06T10:00:00Z'),
  correctionNote: 'Corrected the duration',
};
const at = new Date('2026-03-06T10:00:00Z');

describe('RcaRenderer', () => {
  const renderer = new RcaRenderer(config);
  const model = sampleModel('service_disruption');
  const forRecipient = (language: 'fr' | 'en', source = model) =>
    renderer.view(
      customerEdition(source, {
        recipient: { id: 'c1', name: 'Transports Exemple SA' },
        otherCustomerNames: [],
        language,
      }),
      info,
      { language, edition: 'customer', recipientName: 'Transports Exemple SA' },
    );

  function expectCustomerSafe(text: string) {
    for (const secret of Object.values(SECRETS)) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/Example Retail Ltd/i);
    expect(text).not.toMatch(/Œuvres Lumière/i);
    expect(text).toContain('Transports Exemple SA');
  }

  it('customer edition HTML: standalone, escaped, translated, redacted', async () => {
    const html = (await renderer.render(forRecipient('fr'), 'html', at)).content.toString('utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('@media print');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('Rapport d’analyse des causes');
    expect(html).toContain('Édition client');
    expect(html).toContain('2 mars 2026');
    expect(html).toContain('Cause racine');
    expect(html).toContain('un autre client');
    expect(html).not.toContain('Détails de sécurité');
    expectCustomerSafe(html);
  });

  it('customer edition PDF: opens, title page plus numbered pages, accented text, redacted', async () => {
    const rendered = await renderer.render(forRecipient('fr'), 'pdf', at);
    expect(rendered.contentType).toBe('application/pdf');
    expect(rendered.filename).toBe('INC-2026-00042-rca-v2-fr.pdf');
    expect(rendered.content.subarray(0, 5).toString()).toBe('%PDF-');
    const pdf = flat(await pdfText(rendered.content));
    expect(pdf.pages).toBeGreaterThanOrEqual(2);
    pdf.pageTexts.forEach((page, i) => expect(page).toContain(`Page ${i + 1} sur ${pdf.pages}`));
    expect(pdf.pageTexts[0]).toContain('Défaillance à l’arrêt — équipe AS2');
    expect(pdf.pageTexts[0]).toContain('Préparé pour Transports Exemple SA');
    expect(pdf.pageTexts[0]).toContain('Sommaire 1. Vue d’ensemble 2. Chronologie 3. Cause racine');
    expect(pdf.pageTexts[0]).not.toContain('Analyse du problème majeur');
    expect(pdf.text).toContain('Chronologie');
    expect(pdf.text).toContain('Incident déclaré');
    expect(pdf.text).toContain('10 € ’ œ');
    expect(pdf.text).toContain('Mesures prévues');
    expect(pdf.text).toContain('2 h 45 min');
    expectCustomerSafe(pdf.text);
  });

  it('customer edition of a breach: no title, no security section, whatever the fields hold', async () => {
    const breach = sampleModel('security_breach');
    const html = (await renderer.render(forRecipient('fr', breach), 'html', at)).content.toString('utf8');
    const pdf = flat(await pdfText((await renderer.render(forRecipient('fr', breach), 'pdf', at)).content));
    for (const text of [html, pdf.text]) {
      expect(text).not.toContain('Défaillance');
      expect(text).not.toContain('Détails de sécurité');
      expect(text).toContain('Incident de sécurité');
      expectCustomerSafe(text);
    }
  });

  it('internal edition keeps the analysis, security details and owners, in English', async () => {
    const view = renderer.view(model, info, { language: 'en', edition: 'internal' });
    const html = (await renderer.render(view, 'html', at)).content.toString('utf8');
    for (const secret of Object.values(SECRETS)) expect(html).toContain(secret);
    expect(html).toContain('Example Retail Ltd');
    const pdf = flat(await pdfText((await renderer.render(view, 'pdf', at)).content));
    expect(pdf.text).toContain(SECRETS.securityDetail);
    expect(pdf.text).toContain('Security details');
    expect(pdf.pageTexts[0]).toContain(`Page 1 of ${pdf.pages}`);
    expect(pdf.text).toContain('March 2026');
  });

  it('a long report flows over many pages, each numbered, without blank pages', async () => {
    const long = sampleModel('service_disruption');
    long.rootCauses = Array.from(
      { length: 40 },
      (_, i) => `Paragraph ${i + 1}: ${'détail '.repeat(60)}`,
    ).join('\n\n');
    long.measuresPlanned = Array.from({ length: 60 }, (_, i) => ({
      ...long.measuresPlanned[0],
      title: `Measure ${i + 1}`,
      description: 'Œuvre ’ €',
    }));
    const view = renderer.view(long, info, { language: 'en', edition: 'internal' });
    const pdf = flat(await pdfText((await renderer.render(view, 'pdf', at)).content));
    expect(pdf.pages).toBeGreaterThan(5);
    pdf.pageTexts.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pdf.pages}`);
      expect(page.replace(/INC-2026-00042 — Root cause analysis report Page \d+ of \d+/, '').trim()).not.toBe(
        '',
      );
    });
    expect(pdf.text).toContain('Paragraph 40:');
    expect(pdf.text).toContain('Measure 60');
  });

  it('Markdown: user text is literal, nothing of the internal edition leaks', async () => {
    const md = (await renderer.render(forRecipient('en'), 'md', at)).content.toString('utf8');
    expect(md).toMatch(/^# Root cause analysis report: /);
    expect(md).toContain('\\<script\\>alert(1)\\</script\\>');
    expect(md).toContain('Alert on chain changes \\| \\[link\\](https://evil.example.net)');
    expect(md).toContain('\\# not a heading');
    expect(md).toContain('\\*handshakes\\*');
    expectCustomerSafe(md);
  });
});

describe('escapeMarkdown', () => {
  it('escapes inline syntax everywhere and block syntax at line starts', () => {
    expect(escapeMarkdown('a *b* _c_ `d` [e](f) <g> | h ~ # ! &amp; \\')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<g\\> \\| h \\~ \\# \\! \\&amp; \\\\',
    );
    expect(escapeMarkdown('- item\n+ item\n> quote\n1. one\n2) two\n===')).toBe(
      '\\- item\n\\+ item\n\\> quote\n1\\. one\n2\\) two\n\\===',
    );
    expect(escapeMarkdown('version 1.2 - fine')).toBe('version 1.2 - fine');
  });
});
