import type { IncidentKind } from '../../incident/entities/incident.entity';
import type { ActionItemStatus } from '../entities/action-item.entity';

/** A key moment of the incident shown in the report's timeline. */
export type RcaMomentKind =
  'detected' | 'declared' | 'impact_defined' | 'first_notice' | 'update' | 'resolution_notice' | 'resolved';

export interface RcaMoment {
  kind: RcaMomentKind;
  /** ISO 8601 UTC */
  at: string;
}

export interface RcaMeasure {
  title: string;
  description: string;
  status: ActionItemStatus;
  /** `YYYY-MM-DD` */
  dueOn: string;
  /** ISO 8601 UTC, for done measures */
  doneAt: string | null;
  /** Internal edition only */
  owner: string;
  /** Internal edition only */
  trackerUrl: string | null;
}

/**
 * The report as generated: language-free data (labels and date formats come at rendering),
 * stored as the version's immutable snapshot. Internal-only fields are marked; the customer
 * edition (customer-edition.ts) drops them and redacts other customers' names.
 */
export interface RcaModel {
  schema: 1;
  incident: {
    id: string;
    reference: string;
    title: string;
    kind: IncidentKind;
    severity: number;
    /** Internal edition only (the incident's own summary) */
    summary: string;
    declaredAt: string;
    resolvedAt: string | null;
    /** From detection (or declaration) to resolution */
    durationMinutes: number | null;
  };
  services: string[];
  impactedCustomerCount: number;
  /** Every impacted customer; the customer edition keeps at most the recipient. */
  impactedCustomers: { id: string; name: string }[];
  timeline: RcaMoment[];
  rootCauses: string;
  contributingFactors: string;
  /** Customer-facing wording of the resolution (the resolution notice), when one was written. */
  resolutionMessage: string | null;
  /** Internal edition only: what fixed it */
  resolutionSummary: string | null;
  measuresTaken: RcaMeasure[];
  measuresPlanned: RcaMeasure[];
  /** Internal edition only */
  internal: {
    wentWell: string;
    wentBadly: string;
    failureCauses: string;
    securityDetails: string;
    internalNotes: string;
    participants: { name: string; role: string }[];
    approvedAt: string | null;
    approvedBy: string | null;
    cancelledMeasures: RcaMeasure[];
  } | null;
}
