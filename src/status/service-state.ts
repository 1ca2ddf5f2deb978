import { DateTime } from 'luxon';

export const SERVICE_STATES = ['operational', 'degraded', 'major_outage'] as const;
export type ServiceState = (typeof SERVICE_STATES)[number];

/**
 * The public rule: an open, non-confidential incident on a service makes it a major outage at
 * severity 1 and degraded at severities 2–4; no such incident → operational. A service shows
 * the worst state among its incidents.
 */
export function stateForSeverity(severity: number): ServiceState {
  return severity === 1 ? 'major_outage' : 'degraded';
}

export function worstState(states: Iterable<ServiceState>): ServiceState {
  let worst: ServiceState = 'operational';
  for (const state of states)
    if (SERVICE_STATES.indexOf(state) > SERVICE_STATES.indexOf(worst)) worst = state;
  return worst;
}

export interface PublicIncidentSpan {
  severity: number;
  startedAt: Date;
  /** When it was resolved; null while open. */
  endedAt: Date | null;
}

export interface HistoryDay {
  /** Local date (YYYY-MM-DD) in the business time zone. */
  date: string;
  state: ServiceState;
}

/** One entry per local day, oldest first, ending today: the worst state of any incident that overlapped the day. */
export function historyDays(
  incidents: PublicIncidentSpan[],
  now: Date,
  timezone: string,
  days = 90,
): HistoryDay[] {
  const today = DateTime.fromJSDate(now, { zone: timezone }).startOf('day');
  const result: HistoryDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = today.minus({ days: i });
    const from = start.toMillis();
    const to = start.plus({ days: 1 }).toMillis();
    const states = incidents
      .filter((incident) => {
        const begin = incident.startedAt.getTime();
        const end = (incident.endedAt ?? now).getTime();
        return begin < to && end >= from;
      })
      .map((incident) => stateForSeverity(incident.severity));
    result.push({ date: start.toISODate()!, state: worstState(states) });
  }
  return result;
}
