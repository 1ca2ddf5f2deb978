import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/roles';
import { sqlRows } from '../common/sql';
import { OPEN_STATUSES } from '../incident/domain/incident-status';
import { Incident } from '../incident/entities/incident.entity';
import { IncidentStore } from '../incident/incident-store';
import { acceptedChart } from './accepted-chart';

interface Progress {
  incident_id: string;
  total: number;
  accepted: number;
  failed: number;
  target: Date | null;
  deadline: Date | null;
}

/**
 * What the incident board shows, as one snapshot: the open incidents the actor may see (the
 * confidentiality rule of IncidentStore), each with its first-notice progress read from the
 * ledger (initial deliveries to the impacted customers' contacts), its clocks and its chart.
 */
@Injectable()
export class BoardQueries {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
  ) {}

  async snapshot(actor: Actor, now: Date) {
    const qb = this.db
      .getRepository(Incident)
      .createQueryBuilder('i')
      .leftJoinAndSelect('i.commander', 'commander')
      .leftJoinAndSelect('i.services', 'service')
      .where('i.status IN (:...open)', { open: OPEN_STATUSES });
    this.store.applyVisibility(qb, actor);
    const incidents = await qb
      .orderBy('i.severity', 'ASC')
      .addOrderBy('i.declared_at', 'ASC')
      .addOrderBy('service.name', 'ASC')
      .getMany();
    const ids = incidents.map((i) => i.id);
    const progress = new Map(
      (
        await sqlRows<Progress>(
          this.db,
          `SELECT ic.incident_id, count(cc.id)::int AS total,
                  count(d.id) FILTER (WHERE d.status = 'accepted')::int AS accepted,
                  count(d.id) FILTER (WHERE d.status = 'failed')::int AS failed,
                  min(ic.notify_target_at) AS target, min(ic.notify_deadline_at) AS deadline
             FROM impacted_customers ic
             LEFT JOIN customer_contacts cc ON cc.customer_id = ic.customer_id AND cc.receives_notices
             LEFT JOIN deliveries d ON d.incident_id = ic.incident_id AND d.contact_id = cc.id AND d.kind = 'initial'
            WHERE ic.incident_id = ANY($1)
            GROUP BY ic.incident_id`,
          [ids],
        )
      ).map((p) => [p.incident_id, p]),
    );
    const points = new Map<string, { at: Date; count: number }[]>();
    for (const row of await sqlRows<{ incident_id: string; at: Date; n: number }>(
      this.db,
      `SELECT incident_id, date_trunc('second', accepted_at) AS at, count(*)::int AS n
         FROM deliveries
        WHERE incident_id = ANY($1) AND kind = 'initial' AND status = 'accepted' AND contact_id IS NOT NULL
        GROUP BY 1, 2 ORDER BY 1, 2`,
      [ids],
    )) {
      const list = points.get(row.incident_id) ?? [];
      list.push({ at: new Date(row.at), count: row.n });
      points.set(row.incident_id, list);
    }

    const cards = incidents.map((incident) => {
      const p = progress.get(incident.id);
      const notice =
        incident.impactDefinedAt && p
          ? {
              total: p.total,
              accepted: p.accepted,
              failed: p.failed,
              pending: Math.max(0, p.total - p.accepted - p.failed),
              target: p.target ? new Date(p.target) : null,
              deadline: p.deadline ? new Date(p.deadline) : null,
              complete: p.total > 0 && p.accepted === p.total,
            }
          : null;
      return {
        id: incident.id,
        reference: incident.reference,
        title: incident.title,
        severity: incident.severity,
        status: incident.status,
        confidential: incident.confidential,
        commander: incident.commander?.name ?? '',
        services: (incident.services ?? []).map((s) => s.name),
        declaredAt: incident.declaredAt,
        impactDefinedAt: incident.impactDefinedAt,
        notice,
        nextUpdateDueAt: incident.nextUpdateDueAt,
        responseDueAt: incident.responseDueAt,
        firstResponseAt: incident.firstResponseAt,
        responseMet: incident.firstResponseAt !== null && incident.firstResponseAt <= incident.responseDueAt,
        resolutionDueAt: incident.resolutionDueAt,
        chart:
          notice && notice.target && notice.deadline
            ? acceptedChart({
                start: incident.impactDefinedAt!,
                target: notice.target,
                deadline: notice.deadline,
                now,
                total: notice.total,
                points: points.get(incident.id) ?? [],
              })
            : null,
      };
    });
    const totals = {
      incidents: cards.length,
      accepted: cards.reduce((n, c) => n + (c.notice?.accepted ?? 0), 0),
      pending: cards.reduce((n, c) => n + (c.notice?.pending ?? 0), 0),
      failed: cards.reduce((n, c) => n + (c.notice?.failed ?? 0), 0),
    };
    return { now, cards, totals };
  }
}
