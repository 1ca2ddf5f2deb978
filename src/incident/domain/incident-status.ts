import { ConflictError } from '../../common/domain-error';

export const INCIDENT_STATUSES = [
  'declared',
  'investigating',
  'identified',
  'monitoring',
  'resolved',
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** Statuses a PATCH may set; `resolved` and `closed` are reached only through their actions. */
export const EDITABLE_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export type EditableStatus = (typeof EDITABLE_STATUSES)[number];

export const OPEN_STATUSES: readonly IncidentStatus[] = [
  'declared',
  'investigating',
  'identified',
  'monitoring',
];

/**
 * The lifecycle. Work may move back (a hypothesis proved wrong: identified → investigating;
 * a fix did not hold: monitoring → investigating) but never back to `declared`, and nothing
 * leaves `closed`. Resolved incidents only close.
 */
const NEXT: Record<IncidentStatus, readonly IncidentStatus[]> = {
  declared: ['investigating', 'identified', 'monitoring', 'resolved'],
  investigating: ['identified', 'monitoring', 'resolved'],
  identified: ['investigating', 'monitoring', 'resolved'],
  monitoring: ['investigating', 'identified', 'resolved'],
  resolved: ['closed'],
  closed: [],
};

export function isOpen(status: IncidentStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

export function canTransition(from: IncidentStatus, to: IncidentStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws the stable 409 `incident.illegal_transition` unless `from → to` is allowed. */
export function assertTransition(from: IncidentStatus, to: IncidentStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError('incident.illegal_transition', `An incident cannot go from ${from} to ${to}`, {
      from,
      to,
      allowed: NEXT[from],
    });
  }
}
