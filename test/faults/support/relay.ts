import type { Socket } from 'node:net';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { freePort } from '../../support/free-port';
import { withTimeout } from './wait';

export interface Received {
  messageId: string;
  to: string;
  subject: string;
  at: number;
}

/**
 * A loopback SMTP relay the fault tests can take down and bring back on the same port. It keeps
 * only what the tests count (Message-ID, recipient, subject), so thousands of mails cost little.
 * While stopped, the port refuses connections, as a relay that is down does.
 */
export class FaultRelay {
  readonly received: Received[] = [];
  port = 0;
  private server?: SMTPServer;
  private readonly sockets = new Set<Socket>();

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== undefined;
  }

  async start(): Promise<this> {
    if (this.server) return this;
    // Claimed for this process (see freePort), so the port is still ours when the relay comes back.
    this.port ||= await freePort();
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 1,
      onConnect: (session, callback) => callback(),
      onData: (stream: SMTPServerDataStream, session: SMTPServerSession, callback) => {
        let head = '';
        stream.on('data', (chunk: Buffer) => {
          if (head.length < 16_384 && !head.includes('\r\n\r\n')) head += chunk.toString('latin1');
        });
        stream.on('end', () => {
          const headers = head.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
          this.received.push({
            messageId: /^Message-ID:\s*(\S+)/im.exec(headers)?.[1] ?? '',
            to: session.envelope.rcptTo.map((r) => r.address).join(','),
            subject: /^Subject:\s*(.*)$/im.exec(headers)?.[1] ?? '',
            at: Date.now(),
          });
          callback(null, 'queued');
        });
      },
    });
    // A client killed mid-session resets its connection: expected here, not a test failure.
    server.on('error', () => undefined);
    server.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    return this;
  }

  /** Stops listening and drops every open connection at once (a relay that goes away). */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    // At most 2 s: a relay that goes away does not wait for its clients.
    await withTimeout(closed, 2_000, 'relay not closed').catch(() => undefined);
  }

  /** Message-ID → how many times it arrived. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.received) counts.set(r.messageId, (counts.get(r.messageId) ?? 0) + 1);
    return counts;
  }

  /** The Message-IDs that arrived more than once, with their count. */
  duplicates(): [string, number][] {
    return [...this.counts()].filter(([, n]) => n > 1);
  }

  uniqueCount(): number {
    return this.counts().size;
  }
}
