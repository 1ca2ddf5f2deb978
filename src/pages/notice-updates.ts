import type { NotificationKind } from '../notification/notification.entity';

/** One approved notice as a page shows it: the status page's public updates, the portal's. */
export interface NoticeUpdate {
  kind: NotificationKind;
  /** When it went out: approval (status page) or queued to the customer's contacts (portal). */
  at: Date;
  observed: string | null;
  actions: string | null;
  message: string | null;
  /** The next update it promised; none after the resolution. */
  nextUpdateAt: Date | null;
}

/** A notice row as the pages' queries select it (`at` under whichever name the query gives it). */
export interface NoticeUpdateRow {
  incident_id: string;
  kind: NotificationKind;
  at: Date | string;
  observed: string | null;
  actions: string | null;
  message: string | null;
  next_update_at: Date | string | null;
}

/** Rows ordered by incident and sequence → each incident's updates, oldest first. */
export function updatesByIncident(rows: NoticeUpdateRow[]): Map<string, NoticeUpdate[]> {
  const byIncident = new Map<string, NoticeUpdate[]>();
  for (const r of rows) {
    const list = byIncident.get(r.incident_id) ?? [];
    list.push({
      kind: r.kind,
      at: new Date(r.at),
      observed: r.observed,
      actions: r.actions,
      message: r.message,
      nextUpdateAt: r.kind === 'resolution' || !r.next_update_at ? null : new Date(r.next_update_at),
    });
    byIncident.set(r.incident_id, list);
  }
  return byIncident;
}
