import { DeliveryWorker } from '../../src/delivery/delivery-worker';
import { countRows } from '../support/api-assertions';
import { createService, staffWithToken } from '../support/fixtures';
import { ReceivedMail, SmtpSink } from '../support/smtp-sink';
import { startTestApp, TestApp } from '../support/test-app';

/** Attempts to smuggle headers: CR/LF before a header name, and encoded words that decode to one. */
const INJECTED_HEADER = 'Bcc: victim@example.net';
const ENCODED_WORD = '=?UTF-8?B?QmNjOiB2aWN0aW1AZXhhbXBsZS5uZXQ=?='; // decodes to INJECTED_HEADER
const TEMPLATE_TEXT = '{{constructor.constructor}} {{> layout}} {{#each this}}x{{/each}}';

/** The header block of a raw message, unfolded, as [name, value] pairs. */
function headersOf(mail: ReceivedMail): [string, string][] {
  const block = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return block.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
  });
}

function expectOnlyOwnHeaders(mail: ReceivedMail, recipient: string): void {
  const headers = headersOf(mail);
  const names = headers.map(([name]) => name);
  // Exactly the headers Tocsin writes, each once; nothing a user wrote became a header.
  for (const name of names)
    expect([
      'from',
      'to',
      'subject',
      'message-id',
      'in-reply-to',
      'references',
      'date',
      'mime-version',
      'content-type',
      'content-transfer-encoding',
    ]).toContain(name);
  expect(new Set(names).size).toBe(names.length);
  expect(names.filter((n) => n === 'to')).toHaveLength(1);
  expect(mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'))).not.toMatch(/^bcc:/im);
  // Only the intended recipient, in the envelope and in the parsed header.
  expect(mail.envelopeTo).toEqual([recipient]);
  const to = headersOf(mail).find(([name]) => name === 'to')![1];
  expect(to.endsWith(`<${recipient}>`)).toBe(true);
  expect(to.slice(0, -recipient.length - 2)).not.toMatch(/[<>@,]/);
  expect(mail.parsed.bcc).toBeUndefined();
  expect(mail.parsed.cc).toBeUndefined();
}

/**
 * Hostile text in names, titles and addresses, sent through the real ledger to a real SMTP
 * server: it never adds or alters a header, and Handlebars syntax in it is rendered as text.
 */
describe('header and template injection in customer mail', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let worker: DeliveryWorker;
  let commander: { auth: string };

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    t = await startTestApp({
      env: { SMTP_URL: sink.url, MAIL_FROM: 'Service desk <noreply@tocsin.example.com>' },
    });
    worker = t.app.get(DeliveryWorker);
    worker.useRelay(sink.url);
    commander = await staffWithToken(t, ['commander']);
  });
  afterAll(async () => {
    await t.close();
    await sink.stop();
  });

  it('refuses e-mail addresses carrying CR/LF or extra addresses, storing nothing', async () => {
    const service = await createService(t);
    const before = await countRows(t.db, 'customer_contacts');
    for (const email of [
      `ops@customer.example.net\r\n${INJECTED_HEADER}`,
      'ops@customer.example.net\nCc: victim@example.net',
      'ops@customer.example.net, victim@example.net',
      '"Ops" <ops@customer.example.net>',
    ]) {
      const res = await t.http
        .post('/api/v1/customers')
        .set('Authorization', t.admin)
        .send({
          name: `Address probe ${Math.random()}`,
          language: 'en',
          serviceIds: [service.id],
          contacts: [{ name: 'Operations', email }],
        });
      expect({ email, status: res.status }).toEqual({ email, status: 400 });
    }
    const request = await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', t.admin)
      .send({
        company: 'Example Logistics SA',
        contactName: 'EDI operations manager',
        contactEmail: `edi@logistics.example.com\r\n${INJECTED_HEADER}`,
        submissionMethod: 'email',
        description: 'Invoices rejected',
      });
    expect(request.status).toBe(400);
    expect(await countRows(t.db, 'customer_contacts')).toBe(before);
    expect(await countRows(t.db, 'support_requests')).toBe(0);
  });

  it('keeps hostile customer, contact and incident text out of the headers of a notice, and inert in its body', async () => {
    sink.received.length = 0;
    const service = await createService(t, 'as2-hostile', 'AS2 gateway');
    const hostile = (label: string) =>
      `${label}\r\n${INJECTED_HEADER}\r\n\r\n${ENCODED_WORD} ${TEMPLATE_TEXT}`;
    const contacts = [
      { name: hostile('Head of operations'), email: 'ops@hostile.example.net' },
      { name: `${ENCODED_WORD}`, email: 'encoded@hostile.example.net' },
      { name: 'Opérations "nuit" \\ <ops@evil.example.net>', email: 'night@hostile.example.net' },
      // A legal local part that looks like an encoded word: delivered to exactly that address.
      { name: 'Encoded local part', email: '=?UTF-8?B?QmNj?=@hostile.example.net' },
    ];
    await t.http
      .post('/api/v1/customers')
      .set('Authorization', t.admin)
      .send({ name: hostile('Example Customer'), language: 'en', serviceIds: [service.id], contacts })
      .expect(201);
    const title = hostile('AS2 gateway down');
    const incident = await t.http
      .post('/api/v1/incidents')
      .set('Authorization', commander.auth)
      .send({ title, kind: 'service_disruption', severity: 1, serviceIds: [service.id] })
      .expect(201);
    const id = incident.body.id as string;
    await t.http.post(`/api/v1/incidents/${id}/impact`).set('Authorization', commander.auth).expect(200);
    const [notice] = (
      await t.http
        .get(`/api/v1/incidents/${id}/notifications`)
        .set('Authorization', commander.auth)
        .expect(200)
    ).body.items;
    await t.http
      .put(`/api/v1/incidents/${id}/notifications/${notice.id}`)
      .set('Authorization', commander.auth)
      .send({ actions: `We restart. ${TEMPLATE_TEXT}`, observed: `Errors. ${hostile('Observed')}` })
      .expect(200);
    await t.http
      .post(`/api/v1/incidents/${id}/notifications/${notice.id}/approve`)
      .set('Authorization', commander.auth)
      .expect(200);
    expect(await worker.drain()).toBe(contacts.length);
    expect(sink.received).toHaveLength(contacts.length);

    // The subject is the title with line breaks flattened: same words, one line, no decoding.
    const flatTitle = title
      .replace(/[\r\n\t]+/g, ' ')
      .replace(/\s{2,}/g, ' ')
      .trim();
    for (const contact of contacts) {
      const [mail] = sink.to(contact.email);
      expectOnlyOwnHeaders(mail, contact.email);
      expect(mail.parsed.subject).toBe(
        `[${incident.body.reference}] Service incident (severity 1): ${flatTitle}`,
      );
      const to = (mail.parsed.to as { value: { name: string }[] }).value[0];
      // The display name arrives as written (line breaks as spaces), not decoded into something else.
      expect(to.name).toBe(contact.name.replace(/[\r\n\t]+/g, ' ').trim());

      // Template syntax in user text is text: verbatim in the text part, escaped in the HTML part.
      expect(mail.parsed.text).toContain(`We restart. ${TEMPLATE_TEXT}`);
      expect(mail.parsed.text).toContain(ENCODED_WORD);
      const html = String(mail.parsed.html);
      expect(html).toContain('{{constructor.constructor}} {{&gt; layout}} {{#each this}}x{{/each}}');
      expect(html).not.toMatch(/function Function|\[native code\]/);
      expect(mail.parsed.text).not.toMatch(/function Function|\[native code\]/);
    }
  });

  it('keeps a hostile requester name and company out of the headers of a support confirmation', async () => {
    sink.received.length = 0;
    const contactName = `EDI manager\r\n${INJECTED_HEADER}\r\nX-Injected: yes ${ENCODED_WORD}`;
    const created = await t.http
      .post('/api/v1/support-requests')
      .set('Authorization', t.admin)
      .send({
        company: `Example Logistics SA\r\n${INJECTED_HEADER} ${TEMPLATE_TEXT}`,
        contactName,
        contactEmail: 'edi-ops@logistics.example.com',
        submissionMethod: 'email',
        description: `Invoices rejected ${TEMPLATE_TEXT}`,
      })
      .expect(201);
    await worker.drain();
    const mails = sink.to('edi-ops@logistics.example.com');
    expect(mails).toHaveLength(1);
    expectOnlyOwnHeaders(mails[0], 'edi-ops@logistics.example.com');
    expect(headersOf(mails[0]).map(([name]) => name)).not.toContain('x-injected');
    expect(mails[0].parsed.subject).toContain(created.body.reference);
    expect((mails[0].parsed.to as { value: { name: string }[] }).value[0].name).toBe(
      contactName.replace(/[\r\n\t]+/g, ' ').trim(),
    );
    expect(String(mails[0].parsed.html)).not.toMatch(/function Function|\[native code\]/);
  });
});
