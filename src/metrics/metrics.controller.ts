import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { InjectDataSource } from '@nestjs/typeorm';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { Public } from '../auth/auth.decorators';
import { sqlRows } from '../common/sql';

/**
 * Prometheus metrics, read from the ledger at scrape time (so every instance reports the
 * cluster's truth, not its own share). Counts only, no customer data; expose it only to the
 * operator's network.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  private readonly registry = new Registry();

  constructor(@InjectDataSource() db: DataSource) {
    collectDefaultMetrics({ register: this.registry, prefix: 'tocsin_process_' });
    new Gauge({
      name: 'tocsin_deliveries',
      help: 'Ledger rows by kind and status',
      labelNames: ['kind', 'status'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await sqlRows<{ kind: string; status: string; n: number }>(
          db,
          'SELECT kind, status, count(*)::int AS n FROM deliveries GROUP BY kind, status',
        );
        for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
      },
    });
    new Gauge({
      name: 'tocsin_ledger_depth',
      help: 'Deliveries waiting to be sent (pending, retrying or in flight)',
      registers: [this.registry],
      async collect() {
        const [row] = await sqlRows<{ n: number }>(
          db,
          `SELECT count(*)::int AS n FROM deliveries WHERE status IN ('pending','retrying','sending')`,
        );
        this.set(row.n);
      },
    });
    new Gauge({
      name: 'tocsin_first_notice_contacts',
      help: "First notices per contact by timeliness against the customer's 20/30-minute marks",
      labelNames: ['timeliness'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await sqlRows<{ timeliness: string; n: number }>(
          db,
          `SELECT CASE
                    WHEN d.status <> 'accepted' THEN 'not_accepted'
                    WHEN d.accepted_at <= ic.notify_target_at THEN 'before_target'
                    WHEN d.accepted_at <= ic.notify_deadline_at THEN 'before_deadline'
                    ELSE 'late' END AS timeliness, count(*)::int AS n
             FROM deliveries d
             JOIN impacted_customers ic ON ic.incident_id = d.incident_id AND ic.customer_id = d.customer_id
            WHERE d.kind = 'initial'
            GROUP BY 1`,
        );
        for (const r of rows) this.set({ timeliness: r.timeliness }, r.n);
      },
    });
    new Gauge({
      name: 'tocsin_open_incidents',
      help: 'Open incidents by severity',
      labelNames: ['severity'],
      registers: [this.registry],
      async collect() {
        this.reset();
        const rows = await sqlRows<{ severity: number; n: number }>(
          db,
          `SELECT severity, count(*)::int AS n FROM incidents
            WHERE status IN ('declared','investigating','identified','monitoring') GROUP BY severity`,
        );
        for (const r of rows) this.set({ severity: String(r.severity) }, r.n);
      },
    });
  }

  @Get()
  @Public()
  @SkipThrottle()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics: deliveries by outcome, ledger depth, first-notice timeliness',
  })
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
