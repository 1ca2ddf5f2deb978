import { isIsoDateTime, toViolations } from './validation';

describe('isIsoDateTime: an ISO 8601 date-time with its zone, naming a real instant', () => {
  it.each([
    '2026-03-01T09:00:00Z',
    '2026-03-01T09:00Z',
    '2026-03-01T09:00:00.123456Z',
    '2026-03-01T10:00:00+01:00',
    '2026-03-01T04:30:00-04:30',
    '2028-02-29T00:00:00Z',
  ])('accepts %s', (text) => {
    expect(isIsoDateTime(text)).toBe(true);
  });

  it.each([
    '2026-03-01T09:00:00',
    '2026-03-01',
    '09:00:00Z',
    '2026-03-01 09:00:00Z',
    '2026-03-01T09:00:00+0100',
    '2026-02-30T09:00:00Z',
    '2027-02-29T09:00:00Z',
    '2026-13-01T09:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2026-03-01T09:00:60Z',
    '2026-03-01T09:00:00+24:00',
    '12345',
    '',
  ])('refuses %s', (text) => {
    expect(isIsoDateTime(text)).toBe(false);
  });
});

describe('toViolations', () => {
  it('names a null field once, rule notNull, wherever it is nested', () => {
    expect(
      toViolations([
        {
          property: 'levels',
          children: [
            {
              property: '0',
              children: [
                {
                  property: 'phone',
                  value: null,
                  constraints: { isString: 'phone must be a string', isLength: 'phone must be longer' },
                  children: [],
                },
              ],
            },
          ],
        },
      ]),
    ).toEqual([{ field: 'levels[0].phone', rule: 'notNull', message: 'levels[0].phone must not be null' }]);
  });
});
