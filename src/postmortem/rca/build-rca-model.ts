import type { EntityManager } from 'typeorm';
import type { Incident } from '../../incident/entities/incident.entity';
import type { ActionItemRecord, PostmortemRecordData } from '../analysis/postmortem-record';
import type { RcaMeasure, RcaModel, RcaMoment } from './rca-model';

const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

function measure(item: ActionItemRecord): RcaMeasure {
  return {
    title: item.title,
    description: item.description,
    status: item.status,
    dueOn: item.dueOn,
    doneAt: iso(item.doneAt),
    owner: item.owner.name,
    trackerUrl: item.trackerUrl,
  };
}

/**
 * The report model of an incident from its approved analysis and its record: key moments
 * (declaration, impact, the delivery ledger's first accepted notices), services, impacted
 * customers, root cause, measures taken (done items) and planned (open ones).
 */
export async function buildRcaModel(
  em: EntityManager,
  incident: Incident,
  record: PostmortemRecordData,
): Promise<RcaModel> {
  const services: { name: string }[] = await em.query(
    `SELECT s.name FROM incident_services x JOIN services s ON s.id = x.service_id
      WHERE x.incident_id = $1 ORDER BY s.name`,
    [incident.id],
  );
  const impacted: { id: string; name: string }[] = await em.query(
    `SELECT c.id, c.name FROM impacted_customers ic JOIN customers c ON c.id = ic.customer_id
      WHERE ic.incident_id = $1 ORDER BY c.name, c.id`,
    [incident.id],
  );
  // The first customer report of the problem, when a support request revealed it before declaration.
  const [report]: { at: Date | null }[] = await em.query(
    `SELECT min(created_at) AS at FROM support_requests WHERE incident_id = $1`,
    [incident.id],
  );
  // A notice counts as sent when the relay first accepted it for some contact (the ledger's proof).
  const notices: { kind: string; message: string | null; at: Date | null }[] = await em.query(
    `SELECT n.kind, n.message, coalesce(min(d.accepted_at), n.approved_at) AS at
       FROM notifications n LEFT JOIN deliveries d ON d.notification_id = n.id AND d.status = 'accepted'
      WHERE n.incident_id = $1 AND n.status = 'approved' AND n.kind IN ('update','holding','resolution')
      GROUP BY n.id ORDER BY n.sequence`,
    [incident.id],
  );

  const timeline: RcaMoment[] = [];
  const add = (kind: RcaMoment['kind'], at: Date | string | null) => {
    const value = iso(at);
    if (value) timeline.push({ kind, at: value });
  };
  const detectedAt =
    report?.at && new Date(report.at) < incident.declaredAt ? new Date(report.at) : incident.declaredAt;
  if (detectedAt < incident.declaredAt) add('detected', detectedAt);
  add('declared', incident.declaredAt);
  add('impact_defined', incident.impactDefinedAt);
  add('first_notice', incident.firstResponseAt);
  for (const n of notices) add(n.kind === 'resolution' ? 'resolution_notice' : 'update', n.at);
  add('resolved', incident.resolvedAt);
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const { analysis, participants, actionItems } = record;
  const resolution = notices.filter((n) => n.kind === 'resolution').pop();
  return {
    schema: 1,
    incident: {
      id: incident.id,
      reference: incident.reference,
      title: incident.title,
      kind: incident.kind,
      severity: incident.severity,
      summary: incident.summary,
      declaredAt: incident.declaredAt.toISOString(),
      resolvedAt: iso(incident.resolvedAt),
      durationMinutes: incident.resolvedAt
        ? Math.max(0, Math.round((incident.resolvedAt.getTime() - detectedAt.getTime()) / 60_000))
        : null,
    },
    services: services.map((s) => s.name),
    impactedCustomerCount: impacted.length,
    impactedCustomers: impacted,
    timeline,
    rootCauses: analysis.rootCauses,
    contributingFactors: analysis.contributingFactors,
    resolutionMessage: resolution?.message ?? null,
    resolutionSummary: incident.resolutionSummary,
    measuresTaken: actionItems.filter((i) => i.status === 'done').map(measure),
    measuresPlanned: actionItems
      .filter((i) => i.status === 'open' || i.status === 'in_progress')
      .map(measure),
    internal: {
      wentWell: analysis.wentWell,
      wentBadly: analysis.wentBadly,
      failureCauses: analysis.failureCauses,
      securityDetails: analysis.securityDetails,
      internalNotes: analysis.internalNotes,
      participants: participants.map((p) => ({ name: p.name, role: p.role })),
      approvedAt: iso(analysis.approvedAt),
      approvedBy: analysis.approvedBy?.name ?? null,
      cancelledMeasures: actionItems.filter((i) => i.status === 'cancelled').map(measure),
    },
  };
}
