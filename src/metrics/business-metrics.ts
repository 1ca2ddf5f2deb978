import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { sqlRows } from '../common/sql';

/**
 * Which incidents a scrape may count. A security breach is confidential (IncidentStore): on a
 * public /metrics a gauge that moved when one was declared, or when its notices queued, would
 * announce it, so the public view leaves out the incident and every delivery about it.
 */
export type MetricsView = 'public' | 'full';

/** SQL conditions per view: on incidents `i`, and on deliveries `d` (most have an incident). */
const SCOPE: Record<MetricsView, { incidents: string; deliveries: string }> = {
  public: {
    incidents: `i.kind <> 'security_breach'`,
    deliveries: `NOT EXISTS (SELECT 1 FROM incidents ci WHERE ci.id = d.incident_id AND ci.kind = 'security_breach')`,
  },
  full: { incidents: 'true', deliveries: 'true' },
};

/**
 * The business gauges, read from the ledger at scrape time (so every instance reports the
 * cluster's truth, not its own share). Counts by fixed labels only: no customer, contact or
 * incident appears in a label.
 */
export function businessMetrics(db: DataSource, view: MetricsView): Registry {
  const registry = new Registry();
  const scope = SCOPE[view];
  new Gauge({
    name: 'tocsin_deliveries',
    help: 'Ledger rows by kind and status',
    labelNames: ['kind', 'status'],
    registers: [registry],
    async collect() {
      const rows = await sqlRows<{ kind: string; status: string; n: number }>(
        db,
        `SELECT kind, status, count(*)::int AS n FROM deliveries d WHERE ${scope.deliveries} GROUP BY kind, status`,
      );
      this.reset();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, r.n);
    },
  });
  new Gauge({
    name: 'tocsin_ledger_depth',
    help: 'Deliveries waiting to be sent (pending, retrying or in flight)',
    registers: [registry],
    async collect() {
      const [row] = await sqlRows<{ n: number }>(
        db,
        `SELECT count(*)::int AS n FROM deliveries d
          WHERE d.status IN ('pending','retrying','sending') AND ${scope.deliveries}`,
      );
      this.set(row.n);
    },
  });
  new Gauge({
    name: 'tocsin_first_notice_contacts',
    help: "First notices per contact by timeliness against the customer's 20/30-minute marks",
    labelNames: ['timeliness'],
    registers: [registry],
    async collect() {
      const rows = await sqlRows<{ timeliness: string; n: number }>(
        db,
        `SELECT CASE
                  WHEN d.status <> 'accepted' THEN 'not_accepted'
                  WHEN d.accepted_at <= ic.notify_target_at THEN 'before_target'
                  WHEN d.accepted_at <= ic.notify_deadline_at THEN 'before_deadline'
                  ELSE 'late' END AS timeliness, count(*)::int AS n
           FROM deliveries d
           JOIN impacted_customers ic ON ic.incident_id = d.incident_id AND ic.customer_id = d.customer_id
           JOIN incidents i ON i.id = d.incident_id
          WHERE d.kind = 'initial' AND ${scope.incidents}
          GROUP BY 1`,
      );
      this.reset();
      for (const r of rows) this.set({ timeliness: r.timeliness }, r.n);
    },
  });
  new Gauge({
    name: 'tocsin_open_incidents',
    help: 'Open incidents by severity',
    labelNames: ['severity'],
    registers: [registry],
    async collect() {
      const rows = await sqlRows<{ severity: number; n: number }>(
        db,
        `SELECT severity, count(*)::int AS n FROM incidents i
          WHERE status IN ('declared','investigating','identified','monitoring') AND ${scope.incidents}
          GROUP BY severity`,
      );
      this.reset();
      for (const r of rows) this.set({ severity: String(r.severity) }, r.n);
    },
  });
  return registry;
}
