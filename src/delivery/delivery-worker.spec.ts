import { backoffMs } from './delivery-worker';
import { classify, MailTransport } from './smtp/mail-transport';

describe('backoffMs', () => {
  const low = () => 0;
  const high = () => 1;
  const middle = () => 0.5;

  it('waits between half and all of 5 s after the first attempt (full jitter)', () => {
    expect(backoffMs(1, low)).toBe(2_500);
    expect(backoffMs(1, high)).toBe(5_000);
    expect(backoffMs(1, middle)).toBe(3_750);
  });

  it('doubles with every attempt', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((attempts) => backoffMs(attempts, high));
    expect(ceilings).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000]);
    const floors = [1, 2, 3, 4, 5, 6].map((attempts) => backoffMs(attempts, low));
    expect(floors).toEqual([2_500, 5_000, 10_000, 20_000, 40_000, 80_000]);
  });

  it('is capped at 5 minutes however many attempts were made', () => {
    for (const attempts of [7, 8, 12, 50, 1_000, 10_000]) {
      expect(backoffMs(attempts, high)).toBe(300_000);
      expect(backoffMs(attempts, low)).toBe(150_000);
    }
  });

  it('treats zero or negative attempts as the first', () => {
    expect(backoffMs(0, high)).toBe(5_000);
    expect(backoffMs(-3, low)).toBe(2_500);
  });

  it('stays within its bounds with the real random source', () => {
    for (let attempts = 1; attempts <= 12; attempts++) {
      const ceiling = Math.min(300_000, 5_000 * 2 ** (attempts - 1));
      for (let i = 0; i < 200; i++) {
        const delay = backoffMs(attempts);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('classify (SMTP errors → ledger outcome)', () => {
  it.each([421, 450, 451, 452])('retries a temporary %i and keeps the relay answer', (code) => {
    const response = `${code} 4.3.0 try again later`;
    expect(
      classify(
        Object.assign(new Error('Message failed'), { responseCode: code, response, code: 'EMESSAGE' }),
      ),
    ).toEqual({
      outcome: 'retry',
      error: response,
    });
  });

  it.each([550, 553, 554])('fails a permanent %i for good', (code) => {
    const response = `${code} 5.1.1 mailbox unavailable`;
    expect(
      classify(
        Object.assign(new Error("Can't send mail"), { responseCode: code, response, code: 'EENVELOPE' }),
      ),
    ).toEqual({
      outcome: 'failed',
      error: response,
    });
  });

  it('retries a connection problem that has no SMTP code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(classify(refused)).toEqual({
      outcome: 'retry',
      error: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9',
    });
    const timeout = Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' });
    expect(classify(timeout)).toMatchObject({
      outcome: 'retry',
      error: expect.stringContaining('ETIMEDOUT'),
    });
  });

  it('retries something that is not even an Error', () => {
    expect(classify('socket hang up')).toEqual({ outcome: 'retry', error: 'error: socket hang up' });
  });

  it('classifies a real refused connection as worth retrying', async () => {
    // Port 9 (discard) has no listener on loopback: nodemailer reports ECONNREFUSED.
    const transport = new MailTransport('smtp://127.0.0.1:9', 1);
    try {
      const outcome = await transport.send({
        from: 'noreply@tocsin.example.com',
        to: 'ops@example.com',
        raw: Buffer.from(
          'From: <noreply@tocsin.example.com>\r\nTo: <ops@example.com>\r\nSubject: Test\r\n\r\nTest\r\n',
        ),
      });
      expect(outcome).toMatchObject({ outcome: 'retry', error: expect.stringContaining('ECONNREFUSED') });
    } finally {
      transport.close();
    }
  });
});
