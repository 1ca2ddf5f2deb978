import { get, IncomingMessage } from 'node:http';
import { staffWithToken } from '../support/fixtures';
import { boardCookie } from '../support/sse';
import { startTestApp, TestApp } from '../support/test-app';

/** The board's event stream over plain HTTP: the SSE wire format, and shutdown with a board open. */
describe('board event stream', () => {
  let t: TestApp | undefined;

  afterAll(async () => {
    await t?.close();
  });

  it('sends a snapshot event on connect and ends open streams when the service stops', async () => {
    t = await startTestApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const commander = await staffWithToken(t, ['commander']);
    const cookie = await boardCookie(t, commander.auth.replace('Bearer ', ''));

    const url = `${await t.app.getUrl()}/board/events`;
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(url, { headers: { cookie } }, resolve).on('error', reject),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    response.setEncoding('utf8');
    let received = '';
    const ended = new Promise<void>((resolve) => response.on('end', resolve).on('close', resolve));
    await new Promise<void>((resolve) =>
      response.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('\n\n')) resolve();
      }),
    );
    expect(received).toMatch(/^event: snapshot\n/m);
    const data = JSON.parse(/^data: (.*)$/m.exec(received)![1]);
    expect(data).toMatchObject({
      now: t.clock.now().toISOString(),
      totals: { incidents: 0, accepted: 0, pending: 0, failed: 0 },
    });
    expect(data.html).toContain('No open incident.');

    const started = Date.now();
    const app = t;
    t = undefined;
    await app.close();
    await ended;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
