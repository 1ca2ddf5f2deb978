import { ClientRequest, get, IncomingMessage } from 'node:http';
import type { TestApp } from './test-app';

export interface SseEvent {
  type: string;
  data: string;
}

/**
 * A server-sent event stream read over plain HTTP, as an EventSource reads it but without
 * reconnecting: every event is kept in arrival order, and the end of the response is noticed.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  private buffer = '';
  private ended = false;
  private readonly wakers = new Set<() => void>();

  private constructor(
    private readonly request: ClientRequest,
    readonly response: IncomingMessage,
  ) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.read(chunk));
    const end = () => {
      this.ended = true;
      this.wake();
    };
    response.on('end', end).on('close', end).on('error', end);
  }

  /** Opens `url`; resolves once the response headers are in, whatever the status. */
  static open(url: string, headers: Record<string, string>): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const request = get(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) =>
        resolve(new SseClient(request, response)),
      );
      request.on('error', reject);
    });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The first event of `type` (and `match`) at or after index `from`; rejects after `timeoutMs`. */
  async next(
    type: string,
    options: { from?: number; timeoutMs?: number; match?: (event: SseEvent) => boolean } = {},
  ): Promise<SseEvent> {
    const from = options.from ?? 0;
    const find = () =>
      this.events.slice(from).find((event) => event.type === type && (options.match?.(event) ?? true));
    const found = await this.until(() => find() !== undefined || this.ended, options.timeoutMs ?? 5_000);
    const event = find();
    if (!found || !event) throw new Error(`no ${type} event from #${from} (ended: ${this.ended})`);
    return event;
  }

  /** Whether the server ended the response within `timeoutMs`. */
  endsWithin(timeoutMs: number): Promise<boolean> {
    return this.until(() => this.ended, timeoutMs);
  }

  close(): void {
    this.request.destroy();
  }

  /** Resolves true as soon as `check()` holds (re-checked on every chunk), false at the deadline. */
  private until(check: () => boolean, timeoutMs: number): Promise<boolean> {
    if (check()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (result: boolean) => {
        clearTimeout(timer);
        this.wakers.delete(waker);
        resolve(result);
      };
      const waker = () => {
        if (check()) done(true);
      };
      const timer = setTimeout(() => done(check()), timeoutMs);
      this.wakers.add(waker);
    });
  }

  private read(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let type = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice('event: '.length);
        else if (line.startsWith('data: ')) data.push(line.slice('data: '.length));
      }
      // A block of comments only (Nest's keep-alive probe) is no event.
      if (data.length > 0 || type !== 'message') this.events.push({ type, data: data.join('\n') });
    }
    this.wake();
  }

  private wake(): void {
    for (const waker of [...this.wakers]) waker();
  }
}

/** Signs in to the board of `t` with `token` as a browser does; returns the `Cookie` header value. */
export async function boardCookie(t: TestApp, token: string): Promise<string> {
  const res = await t.http.post('/board/login').type('form').send({ token }).expect(303);
  const [setCookie] = res.headers['set-cookie'] as unknown as string[];
  return setCookie.split(';')[0];
}
