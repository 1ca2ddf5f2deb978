import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import { encodeWord, encodeWords, foldLines } from 'nodemailer/lib/mime-funcs';

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
  private readonly contentHeaders: string;
  private readonly subjectHeader: string;
  private readonly fromHeader: string;
  readonly fromAddress: string;

  private constructor(from: Address, subject: string, contentHeaders: string, body: Buffer) {
    this.fromAddress = from.address;
    this.fromHeader = foldLines(`From: ${formatAddress(from)}`, 76);
    this.subjectHeader = foldLines(`Subject: ${encodeWords(subject.replace(/[\r\n]+/g, ' '), 'Q', 52)}`, 76);
    this.contentHeaders = contentHeaders;
    this.body = body;
  }

  static async compose(
    from: string,
    content: { subject: string; html: string; text: string },
  ): Promise<PreparedMail> {
    const built = await new MailComposer({ text: content.text, html: content.html }).compile().build();
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

  /** The complete message for one recipient. */
  for(to: Address, messageId: string, threadId: string | null, date: Date): Buffer {
    const headers = [
      this.fromHeader,
      foldLines(`To: ${formatAddress(to)}`, 76),
      this.subjectHeader,
      `Message-ID: ${messageId}`,
      ...(threadId ? [`In-Reply-To: ${threadId}`, `References: ${threadId}`] : []),
      `Date: ${date.toUTCString().replace(/GMT$/, '+0000')}`,
      this.contentHeaders,
    ];
    return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'utf8'), this.body]);
  }
}

function parseFrom(from: string): Address {
  const [parsed] = addressparser(from, { flatten: true }) as { name: string; address: string }[];
  if (!parsed?.address) throw new Error(`MAIL_FROM is not an address: ${from}`);
  return { name: parsed.name ?? '', address: parsed.address };
}

/** A display name quoted or encoded so that nothing in it can become header syntax. */
export function formatAddress({ name, address }: Address): string {
  const clean = name.replace(/[\r\n\t]+/g, ' ').trim();
  const bare = address.replace(/[\r\n<>\s]/g, '');
  if (!clean) return `<${bare}>`;
  const display = /^[\x20-\x7e]*$/.test(clean)
    ? `"${clean.replace(/["\\]/g, '\\$&')}"`
    : encodeWord(clean, 'Q', 52);
  return `${display} <${bare}>`;
}
