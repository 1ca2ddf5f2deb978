import { ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { listenOnFreePort } from './free-port';

export interface ReceivedMail {
  envelopeTo: string[];
  raw: string;
  parsed: ParsedMail;
}

/**
 * A real SMTP server on loopback for tests: receives what Tocsin sends, parses it as a mail
 * client would, and can be told to refuse (421/451 for a while, 550 for an address).
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Answer every DATA with this code while > 0 (decremented per message). */
  temporaryFailures = 0;
  temporaryCode = 451;
  readonly rejectAddresses = new Set<string>();
  private server?: SMTPServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (this.rejectAddresses.has(address.address.toLowerCase())) {
          const error = Object.assign(new Error('5.1.1 mailbox unavailable'), { responseCode: 550 });
          return callback(error);
        }
        callback();
      },
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          if (this.temporaryFailures > 0) {
            this.temporaryFailures -= 1;
            return callback(
              Object.assign(new Error('4.3.0 try again later'), { responseCode: this.temporaryCode }),
            );
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              this.received.push({ envelopeTo: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
              callback(null, 'queued');
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    // Port 0: the OS gives a port nobody holds, so there is no probe-then-bind race.
    this.port = await listenOnFreePort(this.server.server);
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
