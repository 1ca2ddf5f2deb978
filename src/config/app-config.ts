import { resolve } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { HANDBOOK_TARGETS, parseTargetTable, TargetTable } from '../incident/domain/severity-targets';

/**
 * The whole process configuration, read once from the environment at start-up.
 * Nothing else in the code base reads process.env (README, "Configuration").
 */
export interface AppConfig {
  port: number;
  host: string;
  publicBaseUrl: string;
  /** Unset → the service starts an embedded PostgreSQL under `dataDir`. */
  databaseUrl: string | undefined;
  databasePoolSize: number;
  embeddedPgPort: number;
  dataDir: string;
  role: 'api' | 'worker' | 'all';
  /** Unset → generated on first start and printed once. */
  adminToken: string | undefined;
  /** Set → /metrics needs it as bearer token and counts every incident; unset → public, no confidential ones. */
  metricsToken: string | undefined;
  links: LinkConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  /** Requests per minute per client address, across the API. */
  rateLimitPerMinute: number;
  businessCalendar: BusinessCalendarConfig;
  /** Response and resolution targets per severity (handbook table 1 unless SEVERITY_TARGETS says otherwise). */
  severityTargets: TargetTable;
  mail: MailConfig;
  notice: NoticeConfig;
  escalation: EscalationConfig;
  /** Hours between two reminders to the owner of an overdue action item (fractions allowed). */
  actionReminderIntervalHours: number;
  /** Milliseconds between scheduler ticks; 0 turns ticks off (tests drive them by hand). */
  tickIntervalMs: number;
}

export interface EscalationConfig {
  /** Share of the resolution target after which resolution is "at risk". */
  atRiskShare: number;
  /** Minutes between two climbs of the chain; unset → the severity's response target. */
  intervalMinutes: number | undefined;
}

export interface MailConfig {
  /** Unset → the built-in loopback mail catcher. */
  smtpUrl: string | undefined;
  from: string;
  catcherPort: number;
  poolSize: number;
  /** Cluster-wide messages per second to the relay; 0 = unlimited. */
  relayRatePerSecond: number;
  batchSize: number;
  leaseSeconds: number;
  /** Accepted rows are recorded in groups of this size: a crash may resend up to one group per worker. */
  acceptedGroupSize: number;
  /** Retry backoff after a 4xx or connection error: doubles from the base up to the max (full jitter). */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** A delivery still not accepted after this long is failed. */
  giveUpMinutes: number;
}

export interface NoticeConfig {
  targetMinutes: number;
  autosendMinutes: number;
  deadlineMinutes: number;
  /** Minutes between status updates per severity; 0 = on change only. */
  cadenceMinutes: Record<1 | 2 | 3 | 4, number>;
}

export interface BusinessCalendarConfig {
  timezone: string;
  /** ISO weekday numbers, Monday = 1 … Sunday = 7. */
  days: number[];
  /** Local dates (YYYY-MM-DD) that are not business days. */
  holidays: string[];
}

export interface LinkConfig {
  /** HMAC key for customers' links; unset → generated once and kept in the database. */
  signingSecret: string | undefined;
  /** How long a portal link in a customer mail stays valid. */
  portalTtlDays: number;
  /** How long an RCA download link stays valid. */
  rcaTtlDays: number;
}

export const APP_CONFIG = Symbol('APP_CONFIG');

/** Thrown with one line naming the variable and what is wrong with it. */
export class ConfigError extends Error {}

const DEFAULT_CADENCE_VALUE = { 1: 30, 2: 60, 3: 240, 4: 0 } as const;
const DEFAULT_CADENCE: Record<1 | 2 | 3 | 4, number> = { ...DEFAULT_CADENCE_VALUE };

/** Never echoed back in an error line: they may hold passwords. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'TOCSIN_ADMIN_TOKEN',
  'TOCSIN_SIGNING_SECRET',
  'METRICS_TOKEN',
  'SMTP_URL',
]);

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const port = z.coerce.number().int().min(1).max(65535);

const schema = z.object({
  PORT: port.default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  TOCSIN_EMBEDDED_PG_PORT: port.default(5433),
  TOCSIN_DATA_DIR: z.string().min(1).default('var'),
  TOCSIN_ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  TOCSIN_ADMIN_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  TOCSIN_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PORTAL_LINK_TTL_DAYS: z.coerce.number().positive().default(30),
  RCA_LINK_TTL_DAYS: z.coerce.number().positive().default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  MAIL_FROM: z.string().min(3).default('Tocsin <noreply@localhost>'),
  MAIL_CATCHER_PORT: port.default(2525),
  SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(5),
  RELAY_RATE_PER_SECOND: z.coerce.number().min(0).default(0),
  DELIVERY_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(200),
  DELIVERY_LEASE_SECONDS: z.coerce.number().min(1).default(60),
  DELIVERY_ACCEPTED_GROUP_SIZE: z.coerce.number().int().min(1).max(1000).default(25),
  DELIVERY_RETRY_BASE_SECONDS: z.coerce.number().positive().default(5),
  DELIVERY_RETRY_MAX_SECONDS: z.coerce.number().positive().default(300),
  DELIVERY_GIVE_UP_MINUTES: z.coerce
    .number()
    .min(1)
    .default(24 * 60),
  NOTICE_TARGET_MINUTES: z.coerce.number().positive().default(20),
  NOTICE_AUTOSEND_MINUTES: z.coerce.number().positive().default(25),
  NOTICE_DEADLINE_MINUTES: z.coerce.number().positive().default(30),
  UPDATE_CADENCE_MINUTES: z
    .string()
    .transform((value, ctx) => {
      const cadence = parseCadence(value);
      if (!cadence)
        ctx.addIssue({
          code: 'custom',
          message: 'must list minutes per severity such as S1=30,S2=60,S3=240,S4=0',
        });
      return cadence ?? DEFAULT_CADENCE;
    })
    .default({ ...DEFAULT_CADENCE_VALUE }),
  TICK_INTERVAL_MS: z.coerce.number().int().min(0).default(1000),
  ESCALATION_AT_RISK_SHARE: z.coerce.number().gt(0).lt(1).default(0.75),
  ESCALATION_INTERVAL_MINUTES: z.coerce.number().positive().optional(),
  ACTION_REMINDER_INTERVAL_HOURS: z.coerce.number().positive().default(24),
  SEVERITY_TARGETS: z
    .string()
    .transform((value, ctx) => {
      const table = parseTargetTable(value);
      if (!table) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must give response/resolution per severity such as S1=30m/2h,S2=1h/3h,S3=2h/12h,S4=24h/3bd',
        });
      }
      return table ?? HANDBOOK_TARGETS;
    })
    .default(HANDBOOK_TARGETS),
  BUSINESS_TIMEZONE: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), 'must be an IANA time zone such as Europe/Paris')
    .default('Europe/Paris'),
  BUSINESS_DAYS: z
    .string()
    .transform((value, ctx) => {
      const days = parseWeekdays(value);
      if (!days)
        ctx.addIssue({
          code: 'custom',
          message: 'must be a day range or list such as Mon-Fri or Mon,Wed,Fri',
        });
      return days ?? [];
    })
    .default([1, 2, 3, 4, 5]),
  BUSINESS_HOLIDAYS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((day) => day.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.iso.date('each holiday must be a date YYYY-MM-DD')))
    .default([]),
});

/** Reads and validates the environment; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // An empty variable means "unset", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0]);
    const got = SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name])})`;
    throw new ConfigError(`Invalid configuration: ${name} ${describeIssue(issue)}${got}`);
  }
  const e = parsed.data;
  const config: AppConfig = {
    port: e.PORT,
    host: e.HOST,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/+$/, ''),
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    embeddedPgPort: e.TOCSIN_EMBEDDED_PG_PORT,
    dataDir: resolve(e.TOCSIN_DATA_DIR),
    role: e.TOCSIN_ROLE,
    adminToken: e.TOCSIN_ADMIN_TOKEN,
    metricsToken: e.METRICS_TOKEN,
    links: {
      signingSecret: e.TOCSIN_SIGNING_SECRET,
      portalTtlDays: e.PORTAL_LINK_TTL_DAYS,
      rcaTtlDays: e.RCA_LINK_TTL_DAYS,
    },
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    businessCalendar: { timezone: e.BUSINESS_TIMEZONE, days: e.BUSINESS_DAYS, holidays: e.BUSINESS_HOLIDAYS },
    severityTargets: e.SEVERITY_TARGETS,
    mail: {
      smtpUrl: e.SMTP_URL,
      from: e.MAIL_FROM,
      catcherPort: e.MAIL_CATCHER_PORT,
      poolSize: e.SMTP_POOL_SIZE,
      relayRatePerSecond: e.RELAY_RATE_PER_SECOND,
      batchSize: e.DELIVERY_BATCH_SIZE,
      leaseSeconds: e.DELIVERY_LEASE_SECONDS,
      acceptedGroupSize: e.DELIVERY_ACCEPTED_GROUP_SIZE,
      retryBaseSeconds: e.DELIVERY_RETRY_BASE_SECONDS,
      retryMaxSeconds: Math.max(e.DELIVERY_RETRY_MAX_SECONDS, e.DELIVERY_RETRY_BASE_SECONDS),
      giveUpMinutes: e.DELIVERY_GIVE_UP_MINUTES,
    },
    notice: {
      targetMinutes: e.NOTICE_TARGET_MINUTES,
      autosendMinutes: e.NOTICE_AUTOSEND_MINUTES,
      deadlineMinutes: e.NOTICE_DEADLINE_MINUTES,
      cadenceMinutes: e.UPDATE_CADENCE_MINUTES,
    },
    escalation: { atRiskShare: e.ESCALATION_AT_RISK_SHARE, intervalMinutes: e.ESCALATION_INTERVAL_MINUTES },
    actionReminderIntervalHours: e.ACTION_REMINDER_INTERVAL_HOURS,
    tickIntervalMs: e.TICK_INTERVAL_MS,
  };
  checkNoticeOrder(config.notice);
  return config;
}

function checkNoticeOrder(notice: NoticeConfig): void {
  if (!(notice.targetMinutes <= notice.autosendMinutes && notice.autosendMinutes <= notice.deadlineMinutes)) {
    throw new ConfigError(
      `Invalid configuration: NOTICE_AUTOSEND_MINUTES must lie between NOTICE_TARGET_MINUTES and NOTICE_DEADLINE_MINUTES (got ${notice.targetMinutes} / ${notice.autosendMinutes} / ${notice.deadlineMinutes})`,
    );
  }
}

/** "S1=30,S2=60,S3=240,S4=0" → minutes per severity; every severity must be given. */
export function parseCadence(value: string): Record<1 | 2 | 3 | 4, number> | undefined {
  const cadence: Partial<Record<1 | 2 | 3 | 4, number>> = {};
  for (const part of value.split(',').map((p) => p.trim())) {
    const match = /^S([1-4])\s*=\s*(\d+(\.\d+)?)$/i.exec(part);
    if (!match) return undefined;
    cadence[Number(match[1]) as 1 | 2 | 3 | 4] = Number(match[2]);
  }
  return [1, 2, 3, 4].every((s) => s in cadence) ? (cadence as Record<1 | 2 | 3 | 4, number>) : undefined;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'string'
        ? `must be at least ${String(issue.minimum)} characters`
        : `must be at least ${String(issue.minimum)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'must be a URL with the expected scheme' : issue.message;
    default:
      return issue.message;
  }
}

/** "Mon-Fri", "mon,tue,thu", "Sun-Thu" → ISO weekday numbers; undefined when malformed. */
export function parseWeekdays(value: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of value
    .toLowerCase()
    .split(',')
    .map((p) => p.trim())) {
    const [from, to] = part.split('-').map((d) => WEEKDAYS.indexOf(d.slice(0, 3)) + 1);
    if (!from || (part.includes('-') && !to)) return undefined;
    if (!to) {
      days.add(from);
      continue;
    }
    for (let day = from; ; day = (day % 7) + 1) {
      days.add(day);
      if (day === to) break;
    }
  }
  return days.size > 0 ? [...days].sort() : undefined;
}
