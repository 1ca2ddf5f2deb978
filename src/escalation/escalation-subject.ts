import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { sqlRows } from '../common/sql';
import { appendTimeline, ContactActor, SYSTEM_ACTOR } from '../incident/timeline';

export type SubjectKind = 'incident' | 'support_request';

/** What escalates: an incident or a support request, with the facts its escalation mail shows. */
export interface EscalationTarget {
  kind: SubjectKind;
  id: string;
  reference: string;
  title: string;
  severity: number;
  status: string;
  level: number;
  openedAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseAt: Date | null;
  /** Null while open (an incident not resolved, a request not closed). */
  resolvedAt: Date | null;
  owner: string;
}

export const SUBJECT_TABLE: Record<SubjectKind, string> = {
  incident: 'incidents',
  support_request: 'support_requests',
};
export const SUBJECT_COLUMN: Record<SubjectKind, string> = {
  incident: 'incident_id',
  support_request: 'support_request_id',
};

const SELECT: Record<SubjectKind, string> = {
  incident: `SELECT i.id, i.reference, i.title, i.severity, i.status, i.escalation_level AS level, i.declared_at AS opened_at,
                    i.response_due_at, i.resolution_due_at, i.first_response_at, i.resolved_at,
                    'Incident commander: ' || s.name AS owner
               FROM incidents i JOIN staff_members s ON s.id = i.commander_id`,
  support_request: `SELECT r.id, r.reference, r.company || ': ' || left(r.description, 80) AS title, r.severity, r.status,
                    r.escalation_level AS level, r.created_at AS opened_at, r.response_due_at, r.resolution_due_at,
                    r.first_response_at, CASE WHEN r.status = 'closed' THEN r.updated_at END AS resolved_at,
                    'Support team: ' || COALESCE(r.assigned_team, 'not assigned yet') AS owner
               FROM support_requests r`,
};

const OPEN: Record<SubjectKind, string> = {
  incident: `i.status IN ('declared','investigating','identified','monitoring')`,
  support_request: `r.status <> 'closed'`,
};

interface Row {
  id: string;
  reference: string;
  title: string;
  severity: number;
  status: string;
  level: number;
  opened_at: Date;
  response_due_at: Date;
  resolution_due_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  owner: string;
}

/** Open subjects of a kind (or the one with `id`); with `lock`, its row is locked, skipping a locked one. */
export async function loadTargets(
  em: EntityManager,
  kind: SubjectKind,
  options: { id?: string; openOnly?: boolean; lock?: boolean } = {},
): Promise<EscalationTarget[]> {
  const alias = kind === 'incident' ? 'i' : 'r';
  const where = [options.openOnly ? OPEN[kind] : 'true', options.id ? `${alias}.id = $1` : 'true'].join(
    ' AND ',
  );
  const lock = options.lock ? ` FOR UPDATE OF ${alias} SKIP LOCKED` : '';
  const rows = await sqlRows<Row>(
    em,
    `${SELECT[kind]} WHERE ${where}${lock}`,
    options.id ? [options.id] : [],
  );
  return rows.map((r) => ({
    kind,
    id: r.id,
    reference: r.reference,
    title: r.title,
    severity: r.severity,
    status: r.status,
    level: r.level,
    openedAt: new Date(r.opened_at),
    responseDueAt: new Date(r.response_due_at),
    resolutionDueAt: new Date(r.resolution_due_at),
    firstResponseAt: r.first_response_at ? new Date(r.first_response_at) : null,
    resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
    owner: r.owner,
  }));
}

/** The subject's own record: the incident timeline, or the request's history. */
export async function recordOnSubject(
  em: EntityManager,
  target: EscalationTarget,
  at: Date,
  actor: Pick<Actor, 'staffMemberId' | 'name'> | typeof SYSTEM_ACTOR | ContactActor,
  data: Record<string, unknown>,
): Promise<void> {
  if (target.kind === 'incident') {
    await appendTimeline(em, { incidentId: target.id, type: 'incident.escalated', at, actor, data });
    return;
  }
  await em.query(
    `INSERT INTO support_request_events (request_id, at, actor_id, actor_name, type, data) VALUES ($1, $2, $3, $4, $5, $6)`,
    [target.id, at, actor.staffMemberId, actor.name, 'support_request.escalated', JSON.stringify(data)],
  );
}
