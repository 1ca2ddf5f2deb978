import { loadConfig } from '../../config/app-config';
import { MailRenderer } from './mail-renderer';

describe('MailRenderer', () => {
  const renderer = new MailRenderer(loadConfig({}));

  /** Every field the notice templates read, as NoticeSender passes them. */
  function context(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      kind: 'initial',
      reference: 'INC-2026-0042',
      title: 'AS2 gateway rejects inbound messages',
      severity: 1,
      severityLabel: 'critical',
      services: ['AS2 gateway', 'SFTP'],
      startedAt: new Date('2026-03-02T09:00:00Z'),
      resolvedAt: null,
      observed: null,
      actions: 'Our engineers are restoring the certificate chain.',
      message: null,
      nextUpdateAt: new Date('2026-03-02T09:30:00Z'),
      sentAt: new Date('2026-03-02T09:05:00Z'),
      portalUrl: 'https://status.example.com',
      ...overrides,
    };
  }

  it('renders an English first notice: one-line subject, text and inlined HTML', () => {
    const mail = renderer.render('notice', 'en', context());
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe('[INC-2026-0042] Service incident (severity 1): AS2 gateway rejects inbound messages');
    expect(mail.text).toContain('WHAT WE ARE DOING');
    expect(mail.text).toContain('Our engineers are restoring the certificate chain.');
    expect(mail.text).toContain('AS2 gateway, SFTP');
    // Europe/Paris is the default business time zone: 09:30 UTC is 10:30 CET.
    expect(mail.text).toMatch(/We will send you the next update by\s+2 March 2026 at 10:30 CET/);
    expect(mail.text.endsWith('\n')).toBe(true);
    expect(mail.html).toContain('<html lang="en">');
    expect(mail.html).toMatch(/<h1 style="[^"]+">AS2 gateway rejects inbound messages<\/h1>/);
    expect(mail.html).toContain('Sent by Tocsin, the incident notification service.');
  });

  it('throws in strict mode when a field the template reads is missing', () => {
    const { title: _title, ...withoutTitle } = context();
    expect(() => renderer.render('notice', 'en', withoutTitle)).toThrow(/"title" not defined/);
    const { reference: _reference, ...withoutReference } = context();
    expect(() => renderer.render('notice', 'fr', withoutReference)).toThrow(/"reference" not defined/);
  });

  it('escapes user-written text in the HTML part', () => {
    const mail = renderer.render(
      'notice',
      'en',
      context({
        title: 'Portal <script>alert("x")</script> & <b>bold</b>',
        actions: '<img src=x onerror=alert(1)> restarting',
        services: ['<i>Billing</i>'],
      }),
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).not.toContain('<b>bold</b>');
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<i>Billing</i>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(mail.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt; restarting');
    expect(mail.html).toContain('&lt;i&gt;Billing&lt;/i&gt;');
    // The text part and the subject are not HTML: they carry the text as written.
    expect(mail.text).toContain('Portal <script>alert("x")</script> & <b>bold</b>');
    expect(mail.subject).toContain('Portal <script>alert("x")</script> & <b>bold</b>');
  });

  it('keeps the subject on one line whatever CR, LF or tabs the title holds', () => {
    const mail = renderer.render('notice', 'en', context({ title: 'Portal down\r\nBcc: victim@example.net\n\tX-Injected: yes\r' }));
    expect(mail.subject).not.toMatch(/[\r\n\t]/);
    expect(mail.subject).toBe('[INC-2026-0042] Service incident (severity 1): Portal down Bcc: victim@example.net X-Injected: yes');
    // The <title> of the HTML part carries the cleaned subject too.
    expect(mail.html).toContain('<title>[INC-2026-0042] Service incident (severity 1): Portal down Bcc: victim@example.net X-Injected: yes</title>');
  });

  it('falls back to English for a language without templates', () => {
    expect(renderer.languageFor('notice', 'nl')).toBe('en');
    expect(renderer.languageFor('notice', 'pt')).toBe('en');
    for (const language of ['fr', 'de', 'it', 'es']) expect(renderer.languageFor('notice', language)).toBe(language);
    const mail = renderer.render('notice', 'nl', context());
    expect(mail.language).toBe('en');
    expect(mail.subject).toBe('[INC-2026-0042] Service incident (severity 1): AS2 gateway rejects inbound messages');
    expect(mail.html).toContain('<html lang="en">');
  });

  it('renders French for fr', () => {
    const mail = renderer.render('notice', 'fr', context({ severityLabel: 'critique' }));
    expect(mail.language).toBe('fr');
    expect(mail.subject).toBe('[INC-2026-0042] Incident de service (sévérité 1) : AS2 gateway rejects inbound messages');
    expect(mail.text).toContain('CE QUE NOUS FAISONS');
    expect(mail.text).toMatch(/2 mars 2026 (à )?10:30/);
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain('Message envoyé par Tocsin, le service de notification d’incidents.');
    expect(mail.html).not.toContain('Sent by Tocsin');
  });

  it('words updates and resolutions by kind', () => {
    expect(renderer.render('notice', 'en', context({ kind: 'update', message: 'Half of the partners are back.' })).subject).toBe(
      '[INC-2026-0042] Update (severity 1): AS2 gateway rejects inbound messages',
    );
    const resolved = renderer.render(
      'notice',
      'fr',
      context({ kind: 'resolution', resolvedAt: new Date('2026-03-02T11:00:00Z'), nextUpdateAt: null, message: 'Tout est rétabli.' }),
    );
    expect(resolved.subject).toBe('[INC-2026-0042] Résolu (sévérité 1) : AS2 gateway rejects inbound messages');
    expect(resolved.text).toContain('Tout est rétabli.');
  });

  it('throws for a template that does not exist', () => {
    expect(() => renderer.render('no-such-template', 'en', context())).toThrow(/no mail template no-such-template\.en/);
  });
});
