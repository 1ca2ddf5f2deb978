import nodemailer, { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface RawMessage {
  /** SMTP envelope: MAIL FROM and the one RCPT TO. */
  from: string;
  to: string;
  raw: Buffer;
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

  /** Sends a message already composed (see PreparedMail) to its one recipient. */
  async send(message: RawMessage): Promise<SendOutcome> {
    try {
      const info = await this.transporter.sendMail({
        envelope: { from: message.from, to: [message.to] },
        raw: message.raw,
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
