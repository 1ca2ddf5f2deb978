import nodemailer, { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface OutgoingMessage {
  from: string;
  to: { name: string; address: string };
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** Root of the recipient's thread: In-Reply-To and References. */
  threadId: string | null;
}

export type SendOutcome =
  | { outcome: 'accepted'; response: string }
  | { outcome: 'retry'; error: string }
  | { outcome: 'failed'; error: string };

/**
 * nodemailer's pooled SMTP transport, with the relay's answer classified for the ledger:
 * only a 250 is "accepted"; a 4xx or a connection problem is worth retrying; a 5xx is final.
 */
export class MailTransport {
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, poolSize: number) {
    this.transporter = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections: poolSize,
      maxMessages: Infinity,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    } as SMTPPool.Options);
  }

  async send(message: OutgoingMessage): Promise<SendOutcome> {
    try {
      const info = await this.transporter.sendMail({
        from: message.from,
        to: { name: message.to.name, address: message.to.address },
        subject: message.subject,
        html: message.html,
        text: message.text,
        messageId: message.messageId,
        ...(message.threadId ? { inReplyTo: message.threadId, references: [message.threadId] } : {}),
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      const response = String(info.response ?? '');
      if ((info.rejected ?? []).length > 0) return { outcome: 'failed', error: `rejected: ${response}` };
      return { outcome: 'accepted', response };
    } catch (error) {
      return classify(error);
    }
  }

  close(): void {
    this.transporter.close();
  }
}

export function classify(error: unknown): SendOutcome {
  const { responseCode, response, code, message } = error as {
    responseCode?: number;
    response?: string;
    code?: string;
    message?: string;
  };
  const detail = response ?? `${code ?? 'error'}: ${message ?? String(error)}`;
  if (responseCode && responseCode >= 500) return { outcome: 'failed', error: detail };
  return { outcome: 'retry', error: detail };
}
