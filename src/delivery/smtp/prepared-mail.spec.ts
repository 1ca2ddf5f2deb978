import { simpleParser } from 'mailparser';
import { PreparedMail, RECIPIENT_LINK } from './prepared-mail';

const CONTENT = { subject: 'Rapport d’analyse', html: '<p>Bonjour</p>', text: 'Bonjour\n' };
const PDF = Buffer.from('%PDF-1.7\n% not a real document, bytes only\n%%EOF\n', 'latin1');

describe('PreparedMail', () => {
  it('keeps a mail without attachments multipart/alternative, as before', async () => {
    const mail = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', CONTENT);
    const raw = mail.for(
      { name: 'Ops', address: 'ops@example.net' },
      '<1@tocsin.example.com>',
      null,
      new Date(),
    );
    expect(raw.toString('utf8')).toMatch(/^Content-Type: multipart\/alternative/m);
    const parsed = await simpleParser(raw);
    expect(parsed.attachments).toEqual([]);
    expect(parsed.text).toBe('Bonjour\n');
  });

  it('attaches files once, byte for byte, to every recipient of the composed mail', async () => {
    const mail = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', CONTENT, [
      { filename: 'INC-2026-00042-rca-v1-fr.pdf', contentType: 'application/pdf', content: PDF },
    ]);
    for (const [n, to] of ['a@example.net', 'b@example.net'].entries()) {
      const raw = mail.for({ name: 'Ops', address: to }, `<${n}@tocsin.example.com>`, null, new Date());
      expect(raw.toString('utf8')).toMatch(/^Content-Type: multipart\/mixed/m);
      const parsed = await simpleParser(raw);
      expect(parsed.to).toMatchObject({ value: [{ address: to }] });
      expect(parsed.subject).toBe('Rapport d’analyse');
      expect(parsed.text).toBe('Bonjour\n');
      expect(parsed.html).toContain('<p>Bonjour</p>');
      expect(parsed.attachments).toHaveLength(1);
      expect(parsed.attachments[0]).toMatchObject({
        filename: 'INC-2026-00042-rca-v1-fr.pdf',
        contentType: 'application/pdf',
      });
      expect(parsed.attachments[0].content.equals(PDF)).toBe(true);
    }
  });
});

describe('PreparedMail recipient links', () => {
  const accented = 'Défaillance à l’arrêt — équipe ';
  const content = {
    subject: 'Incident',
    // Mostly non-ASCII text (nodemailer would choose base64) with the placeholder at several
    // columns, including where a 76-character line must break inside it.
    text: `${accented.repeat(3)}${RECIPIENT_LINK}\nSuivre : ${RECIPIENT_LINK} fin\n${'x'.repeat(60)}${RECIPIENT_LINK}`,
    html: `<p>${accented.repeat(2)}<a href="${RECIPIENT_LINK}">${RECIPIENT_LINK}</a> suite</p>`,
  };
  const links = [
    `https://tocsin.example.com/portal/${'a'.repeat(120)}.${'B-_9'.repeat(11)}`,
    'https://tocsin.example.com/portal/short.sig',
  ];

  it.each(links)('puts each recipient its own link wherever the placeholder was (%#)', async (link) => {
    const mail = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', content);
    expect(mail.hasRecipientLink).toBe(true);
    const raw = mail.for(
      { name: 'Ops', address: 'ops@example.net' },
      '<1@example.com>',
      null,
      new Date(),
      link,
    );
    const source = raw.toString('latin1');
    const quotedPrintable = source
      .split(/Content-Transfer-Encoding: quoted-printable\r\n\r\n/)[1]
      .split('\r\n--')[0];
    for (const line of quotedPrintable.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
    const parsed = await simpleParser(raw);
    expect(parsed.text).toBe(content.text.replaceAll(RECIPIENT_LINK, link));
    expect(parsed.html).toContain(`<a href="${link}">${link}</a> suite`);
    expect(parsed.html).not.toContain('recipient-link');
  });

  it('puts the link as it is into a part sent as 7bit (plain ASCII HTML)', async () => {
    const ascii = {
      subject: 'Incident',
      text: 'Follow it here.\n',
      html: `<a href="${RECIPIENT_LINK}">Follow</a>`,
    };
    const mail = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', ascii);
    const raw = mail.for(
      { name: '', address: 'a@example.net' },
      '<3@example.com>',
      null,
      new Date(),
      links[0],
    );
    expect(raw.toString('latin1')).toMatch(/Content-Transfer-Encoding: 7bit/);
    expect((await simpleParser(raw)).html).toBe(`<a href="${links[0]}">Follow</a>`);
  });

  it('refuses to build a mail that needs a link without one, and leaves other mails alone', async () => {
    const mail = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', content);
    expect(() =>
      mail.for({ name: '', address: 'a@example.net' }, '<2@example.com>', null, new Date()),
    ).toThrow(/recipient link/);
    const plain = await PreparedMail.compose('Desk <noreply@tocsin.example.com>', CONTENT);
    expect(plain.hasRecipientLink).toBe(false);
  });
});
