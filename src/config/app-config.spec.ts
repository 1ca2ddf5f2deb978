import { ConfigError, loadConfig, parseWeekdays } from './app-config';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://127.0.0.1:3000',
      databaseUrl: undefined,
      embeddedPgPort: 5433,
      role: 'all',
      businessCalendar: { timezone: 'Europe/Paris', days: [1, 2, 3, 4, 5], holidays: [] },
    });
    expect(config.dataDir).toMatch(/\/var$/);
  });

  it.each([
    [{ PORT: 'abc' }, /^Invalid configuration: PORT must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^Invalid configuration: PORT must be at most 65535/],
    [{ DATABASE_URL: 'mysql://x@y/z' }, /^Invalid configuration: DATABASE_URL /],
    [{ TOCSIN_ROLE: 'boss' }, /^Invalid configuration: TOCSIN_ROLE must be one of api, worker, all/],
    [
      { BUSINESS_TIMEZONE: 'Mars/Olympus' },
      /^Invalid configuration: BUSINESS_TIMEZONE must be an IANA time zone/,
    ],
    [{ BUSINESS_DAYS: 'Mon-Funday' }, /^Invalid configuration: BUSINESS_DAYS must be a day range/],
    [{ BUSINESS_HOLIDAYS: '2026-12-25,Xmas' }, /^Invalid configuration: BUSINESS_HOLIDAYS /],
    [
      { TOCSIN_ADMIN_TOKEN: 'short' },
      /^Invalid configuration: TOCSIN_ADMIN_TOKEN must be at least 24 characters/,
    ],
    // A secret: the line ends without echoing the value.
    [
      { METRICS_TOKEN: 'short-scrape' },
      /^Invalid configuration: METRICS_TOKEN must be at least 24 characters$/,
    ],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it('derives the public base URL from host and port, without a trailing slash', () => {
    expect(loadConfig({ HOST: '0.0.0.0', PORT: '8080' }).publicBaseUrl).toBe('http://0.0.0.0:8080');
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tocsin.example.com/' }).publicBaseUrl).toBe(
      'https://tocsin.example.com',
    );
  });

  it.each([
    ['Mon-Fri', [1, 2, 3, 4, 5]],
    ['sun-thu', [1, 2, 3, 4, 7]],
    ['Mon,Wed,Fri', [1, 3, 5]],
    ['Sat-Mon', [1, 6, 7]],
  ])('reads business days %s', (value, days) => {
    expect(parseWeekdays(value)).toEqual(days);
  });

  it('reads the action reminder interval in hours, fractions allowed', () => {
    expect(loadConfig({}).actionReminderIntervalHours).toBe(24);
    expect(loadConfig({ ACTION_REMINDER_INTERVAL_HOURS: '0.5' }).actionReminderIntervalHours).toBe(0.5);
    expect(() => loadConfig({ ACTION_REMINDER_INTERVAL_HOURS: '0' })).toThrow(
      /^Invalid configuration: ACTION_REMINDER_INTERVAL_HOURS /,
    );
  });
});
