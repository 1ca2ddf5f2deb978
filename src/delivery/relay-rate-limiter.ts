import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { sqlRows } from '../common/sql';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * RELAY_RATE_PER_SECOND across every instance: a token bucket row in PostgreSQL (a
 * per-process limit would multiply by the number of instances). Burst: one second's worth.
 */
@Injectable()
export class RelayRateLimiter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /** How many of `wanted` messages may be sent now (all of them when unlimited). */
  async take(relay: string, wanted: number): Promise<number> {
    const rate = this.config.mail.relayRatePerSecond;
    if (rate <= 0) return wanted;
    const now = this.clock.now();
    await this.db.query(
      `INSERT INTO relay_rate_limits (relay, available, updated_at) VALUES ($1, $2, $3) ON CONFLICT (relay) DO NOTHING`,
      [relay, rate, now],
    );
    const [row] = await sqlRows<{ granted: number }>(
      this.db,
      `WITH refilled AS (
         SELECT LEAST($2::float8, available + $2::float8 * GREATEST(0, EXTRACT(EPOCH FROM ($3::timestamptz - updated_at)))) AS tokens
           FROM relay_rate_limits WHERE relay = $1 FOR UPDATE)
       UPDATE relay_rate_limits r
          SET available = refilled.tokens - LEAST(floor(refilled.tokens), $4), updated_at = GREATEST(r.updated_at, $3)
         FROM refilled WHERE r.relay = $1
       RETURNING LEAST(floor(refilled.tokens), $4)::int AS granted`,
      [relay, rate, now, wanted],
    );
    return row?.granted ?? 0;
  }
}
