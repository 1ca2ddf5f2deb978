import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWord, encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';
import type { MailAttachment } from '../delivery-ledger';

/**
 * Stands for the recipient's own portal link in a stored mail (a notice is stored once per
 * language for thousands of contacts); the worker puts each contact's signed link in its place
 * when it sends. Only characters that quoted-printable leaves as they are.
 */
export const RECIPIENT_LINK = 'https://recipient-link.tocsin.invalid/portal';

/** The placeholder as it appears in encoded bodies, where a soft line break may cut through it. */
const ENCODED_RECIPIENT_LINK = new RegExp(
  [...RECIPIENT_LINK].map((ch) => ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('(?:=\r\n)?'),
  'g',
);
const QP_LINE = 76;

export interface Address {
  name: string;
  address: string;
}

/**
 * One notice goes to thousands of contacts with the same subject and body. The MIME body
 * (multipart/alternative, quoted-printable text and HTML) is encoded once here; each
 * recipient only gets its own header block (To, Message-ID, threading, Date). This is what
 * lets the ledger's fan-out outrun nodemailer composing every message from scratch.
 */
export class PreparedMail {
  private readonly body: Buffer;
  /** Where the body holds RECIPIENT_LINK: the text around each, and the line column it starts at. */
  private readonly linkSlots: { before: Buffer; column: number; tail: number; quotedPrintable: boolean }[] =
    [];
  private readonly afterLastSlot: Buffer;
  private readonly contentHeaders: string;
  private readonly subjectHeader: string;
  private readonly fromHeader: string;
  readonly fromAddress: string;

  private constructor(from: Address, subject: string, contentHeaders: string, body: Buffer) {
    this.fromAddress = from.address;
    this.fromHeader = foldLines(`From: ${formatAddress(from)}`, 76);
    this.subjectHeader = foldLines(`Subject: ${encodeHeaderText(subject.replace(/[\r\n]+/g, ' '))}`, 76);
    this.contentHeaders = contentHeaders;
    this.body = body;
    const encoded = body.toString('latin1');
    let sliceStart = 0;
    for (const match of encoded.matchAll(ENCODED_RECIPIENT_LINK)) {
      const lineStart = encoded.lastIndexOf('\r\n', match.index) + 2;
      const end = match.index + match[0].length;
      const lineEnd = encoded.indexOf('\r\n', end);
      this.linkSlots.push({
        before: body.subarray(sliceStart, match.index),
        column: match.index - lineStart,
        tail: (lineEnd < 0 ? encoded.length : lineEnd) - end,
        // A plain ASCII HTML part goes out as 7bit, where a soft line break would be literal text.
        quotedPrintable: /^Content-Transfer-Encoding: *quoted-printable/i.test(
          encoded.slice(encoded.lastIndexOf('Content-Transfer-Encoding:', match.index)),
        ),
      });
      sliceStart = end;
    }
    this.afterLastSlot = body.subarray(sliceStart);
  }

  /** The body holds a recipient link placeholder that `for()` must be given a link for. */
  get hasRecipientLink(): boolean {
    return this.linkSlots.length > 0;
  }

  static async compose(
    from: string,
    content: { subject: string; html: string; text: string },
    attachments: MailAttachment[] = [],
  ): Promise<PreparedMail> {
    const built = await new MailComposer({
      text: content.text,
      html: content.html,
      // Quoted-printable always (nodemailer picks base64 for mostly non-ASCII text), so the
      // recipient link placeholder stays findable in the encoded body.
      textEncoding: 'quoted-printable',
      // With attachments the body becomes multipart/mixed; still encoded once for every recipient.
      ...(attachments.length
        ? {
            attachments: attachments.map((a) => ({
              filename: a.filename,
              contentType: a.contentType,
              content: a.content,
            })),
          }
        : {}),
    })
      .compile()
      .build();
    const split = built.indexOf('\r\n\r\n');
    const headers = built
      .subarray(0, split)
      .toString('utf8')
      .replace(/\r\n[ \t]+/g, ' ')
      .split('\r\n');
    const contentHeaders = headers.filter((h) =>
      /^(content-type|content-transfer-encoding|mime-version):/i.test(h),
    );
    return new PreparedMail(
      parseFrom(from),
      content.subject,
      contentHeaders.join('\r\n'),
      built.subarray(split + 4),
    );
  }

  /** The complete message for one recipient; `link` replaces RECIPIENT_LINK in the body. */
  for(to: Address, messageId: string, threadId: string | null, date: Date, link?: string): Buffer {
    const headers = [
      this.fromHeader,
      foldLines(`To: ${formatAddress(to)}`, 76),
      this.subjectHeader,
      `Message-ID: ${messageId}`,
      ...(threadId ? [`In-Reply-To: ${threadId}`, `References: ${threadId}`] : []),
      `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`,
      this.contentHeaders,
    ];
    return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8'), this.bodyWith(link)]);
  }

  private bodyWith(link: string | undefined): Buffer {
    if (this.linkSlots.length === 0) return this.body;
    if (link === undefined || !/^[\x21-\x3c\x3e-\x7e]+$/.test(link)) {
      throw new Error('this mail needs a recipient link made of quoted-printable-safe characters');
    }
    const parts: Buffer[] = [];
    for (const slot of this.linkSlots) {
      const placed = slot.quotedPrintable ? softWrap(link, slot.column, slot.tail) : link;
      parts.push(slot.before, Buffer.from(placed, 'latin1'));
    }
    parts.push(this.afterLastSlot);
    return Buffer.concat(parts);
  }
}

/**
 * `text` placed at `column` of a quoted-printable line, with soft line breaks (`=` CRLF) so no
 * line grows past 76 characters, including the `tail` that follows it on the same line.
 */
export function softWrap(text: string, column: number, tail: number): string {
  let out = '';
  let col = column;
  for (const ch of text) {
    if (col >= QP_LINE - 1) {
      out += '=\r\n';
      col = 0;
    }
    out += ch;
    col++;
  }
  return col + tail > QP_LINE ? `${out}=\r\n` : out;
}

function parseFrom(from: string): Address {
  const [parsed] = addressparser(from, { flatten: true }) as { name: string; address: string }[];
  if (!parsed?.address) throw new Error(`MAIL_FROM is not an address: ${from}`);
  return { name: parsed.name ?? '', address: parsed.address };
}

/**
 * User text for a header. nodemailer passes valid-looking RFC 2047 encoded words through as
 * already encoded, so a title holding `=?UTF-8?B?…?=` would reach readers decoded into other
 * text; such text is encoded whole instead, and arrives exactly as written.
 */
function encodeHeaderText(text: string): string {
  return text.includes('=?') ? encodeWord(text, 'Q', 52) : encodeWords(text, 'Q', 52);
}

/** A display name quoted or encoded so that nothing in it can become header syntax. */
export function formatAddress({ name, address }: Address): string {
  const clean = name.replace(/[\r\n\t]+/g, ' ').trim();
  const bare = address.replace(/[\r\n<>\s]/g, '');
  if (!clean) return `<${bare}>`;
  const display =
    /^[\x20-\x7e]*$/.test(clean) && !clean.includes('=?')
      ? `"${clean.replace(/["\\]/g, '\\$&')}"`
      : encodeWord(clean, 'Q', 52);
  return `${display} <${bare}>`;
}
