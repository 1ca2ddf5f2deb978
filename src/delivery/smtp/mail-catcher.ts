import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  file: string;
  size: number;
}

/**
 * The embedded default's relay: a real SMTP server on loopback that accepts everything and
 * stores each message as an `.eml` file, so the send path is exactly production's.
 */
export class MailCatcher {
  private server?: SMTPServer;

  constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    let counter = 0;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      banner: 'Tocsin mail catcher',
      size: 25 * 1024 * 1024,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}-${counter++}.eml`;
          writeFile(join(this.dir, name), Buffer.concat(chunks)).then(
            () => callback(null, `stored as ${name}`),
            (error: Error) => callback(error),
          );
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Stored mails, oldest first. */
  static async list(dir: string): Promise<CaughtMail[]> {
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.eml')).sort();
    return Promise.all(files.map(async (file) => ({ file, size: (await readFile(join(dir, file))).length })));
  }
}
