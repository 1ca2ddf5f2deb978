import { QueryFailedError } from 'typeorm';
import { toErrorBody } from './error-body';

describe('toErrorBody: the database going away is a 503, not a 500', () => {
  const driverError = (code: string, message: string) =>
    new QueryFailedError('SELECT 1', [], Object.assign(new Error(message), { code }));

  it.each([
    [
      'a server shutting down (57P01)',
      driverError('57P01', 'terminating connection due to administrator command'),
    ],
    ['a server starting up (57P03)', driverError('57P03', 'the database system is starting up')],
    ['a connection failure (08006)', driverError('08006', 'connection failure')],
    ['too many connections (53300)', driverError('53300', 'sorry, too many clients already')],
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['an exhausted pool', new Error('timeout exceeded when trying to connect')],
    ['a write to a closed socket', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })],
    ['a client the pool closed', new Error('Client was closed and is not queryable')],
    [
      'a failure given as the cause',
      new Error('connect failed', {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
    ],
  ])('%s', (_, error) => {
    expect(toErrorBody(error, 'req-1')).toEqual({
      statusCode: 503,
      code: 'database_unavailable',
      message: expect.stringMatching(/retry/),
      requestId: 'req-1',
    });
  });

  it('keeps 500 for a query that is wrong (our fault), and 409 for a lost unique race', () => {
    expect(toErrorBody(driverError('42703', 'column "nope" does not exist'), 'r').statusCode).toBe(500);
    expect(toErrorBody(driverError('23505', 'duplicate key'), 'r').statusCode).toBe(409);
  });
});
