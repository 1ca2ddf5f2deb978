import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { sqlRows } from '../common/sql';
import { OPEN_STATUSES } from '../incident/domain/incident-status';
import type { IncidentStatus } from '../incident/domain/incident-status';
import { NoticeUpdate, NoticeUpdateRow, updatesByIncident } from '../pages/notice-updates';
import { HistoryDay, historyDays, ServiceState, stateForSeverity, worstState } from './service-state';

export const HISTORY_DAYS = 90;
const DAY_MS = 86_400_000;

export interface PublicIncident {
  id: string;
  reference: string;
  title: string;
  severity: number;
  status: IncidentStatus;
  open: boolean;
  state: ServiceState;
  declaredAt: Date;
  resolvedAt: Date | null;
  services: { id: string; name: string }[];
}

/** A public update: `at` is when the notice was approved. */
export type PublicUpdate = NoticeUpdate;

export interface ServiceStatus {
  id: string;
  name: string;
  description: string | null;
  state: ServiceState;
  history: HistoryDay[];
  /** Days of the strip that were not operational. */
  disruptedDays: number;
}

/**
 * What the public may know, read straight from the tables with the confidentiality rule in
 * every statement: security-breach incidents never leave here. Only the title, severity,
 * services, times and the customer-facing texts of notices that were sent (approved) are read;
 * never summaries, internal notes, timelines, customers or contacts.
 */
@Injectable()
export class StatusQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async overview(now: Date, timezone: string) {
    const incidents = await this.incidents(now);
    const services = await sqlRows<{ id: string; name: string; description: string | null }>(
      this.db,
      `SELECT id, name, description FROM services ORDER BY name`,
    );
    const statuses: ServiceStatus[] = services.map((service) => {
      const mine = incidents.filter((i) => i.services.some((s) => s.id === service.id));
      const history = historyDays(
        mine.map((i) => ({
          severity: i.severity,
          startedAt: i.declaredAt,
          endedAt: i.open ? null : i.resolvedAt,
        })),
        now,
        timezone,
        HISTORY_DAYS,
      );
      return {
        ...service,
        state: worstState(mine.filter((i) => i.open).map((i) => i.state)),
        history,
        disruptedDays: history.filter((d) => d.state !== 'operational').length,
      };
    });
    return {
      services: statuses,
      overall: worstState(statuses.map((s) => s.state)),
      open: incidents.filter((i) => i.open),
      past: incidents.filter((i) => !i.open),
    };
  }

  /** A public incident by reference with its sent updates, or undefined (also when confidential). */
  async incident(
    reference: string,
  ): Promise<{ incident: PublicIncident; updates: PublicUpdate[] } | undefined> {
    const [incident] = await this.select(`i.reference = $2`, [reference]);
    if (!incident) return undefined;
    const updates = await this.updates([incident.id]);
    return { incident, updates: updates.get(incident.id) ?? [] };
  }

  /** Open incidents and those resolved within the history window, newest first. */
  incidents(now: Date): Promise<PublicIncident[]> {
    return this.select(
      `(i.status = ANY($2) OR COALESCE(i.resolved_at, i.closed_at) >= $3) AND i.declared_at <= $4`,
      [[...OPEN_STATUSES], new Date(now.getTime() - HISTORY_DAYS * DAY_MS), now],
    );
  }

  /** Sent notices per incident, in order: the public updates. */
  async updates(incidentIds: string[]): Promise<Map<string, PublicUpdate[]>> {
    const rows = await sqlRows<NoticeUpdateRow>(
      this.db,
      `SELECT n.incident_id, n.kind, n.approved_at AS at, n.observed, n.actions, n.message, n.next_update_at
         FROM notifications n JOIN incidents i ON i.id = n.incident_id
        WHERE n.incident_id = ANY($1) AND n.status = 'approved' AND i.kind <> 'security_breach'
        ORDER BY n.incident_id, n.sequence`,
      [incidentIds],
    );
    return updatesByIncident(rows);
  }

  private async select(where: string, params: unknown[]): Promise<PublicIncident[]> {
    const rows = await sqlRows<{
      id: string;
      reference: string;
      title: string;
      severity: number;
      status: IncidentStatus;
      declared_at: Date;
      resolved_at: Date | null;
      closed_at: Date | null;
      services: { id: string; name: string }[];
    }>(
      this.db,
      `SELECT i.id, i.reference, i.title, i.severity, i.status, i.declared_at, i.resolved_at, i.closed_at,
              COALESCE(json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY s.name)
                         FILTER (WHERE s.id IS NOT NULL), '[]') AS services
         FROM incidents i
         LEFT JOIN incident_services x ON x.incident_id = i.id
         LEFT JOIN services s ON s.id = x.service_id
        WHERE i.kind <> 'security_breach' AND i.kind = $1 AND ${where}
        GROUP BY i.id
        ORDER BY i.declared_at DESC, i.reference DESC`,
      ['service_disruption', ...params],
    );
    return rows.map((r) => {
      const open = OPEN_STATUSES.includes(r.status);
      return {
        id: r.id,
        reference: r.reference,
        title: r.title,
        severity: r.severity,
        status: r.status,
        open,
        state: stateForSeverity(r.severity),
        declaredAt: new Date(r.declared_at),
        resolvedAt: r.resolved_at ? new Date(r.resolved_at) : r.closed_at ? new Date(r.closed_at) : null,
        services: r.services,
      };
    });
  }
}
