import { ConflictError } from '../../common/domain-error';

export const SUPPORT_REQUEST_STATUSES = ['new', 'triaged', 'in_progress', 'answered', 'closed'] as const;
export type SupportRequestStatus = (typeof SUPPORT_REQUEST_STATUSES)[number];

/** Statuses `POST …/status` may set; `triaged` and `answered` are reached by triage and by a reply. */
export const SETTABLE_STATUSES = ['in_progress', 'closed'] as const;
export type SettableStatus = (typeof SETTABLE_STATUSES)[number];

/**
 * The lifecycle: a specialist validates (triage), works on it, answers, closes. The requester
 * may come back after an answer (answered → in_progress). A reply answers a triaged request
 * directly. Nothing leaves `closed`, and an unvalidated request cannot be answered or closed.
 */
const NEXT: Record<SupportRequestStatus, readonly SupportRequestStatus[]> = {
  new: ['triaged'],
  triaged: ['in_progress', 'answered'],
  in_progress: ['answered'],
  answered: ['in_progress', 'closed'],
  closed: [],
};

export function canTransition(from: SupportRequestStatus, to: SupportRequestStatus): boolean {
  return NEXT[from].includes(to);
}

/** Throws the stable 409 `support_request.illegal_transition` unless `from → to` is allowed. */
export function assertTransition(from: SupportRequestStatus, to: SupportRequestStatus): void {
  if (!canTransition(from, to)) {
    throw new ConflictError(
      'support_request.illegal_transition',
      `A support request cannot go from ${from} to ${to}`,
      { from, to, allowed: NEXT[from] },
    );
  }
}

/** A reply is recorded on a validated, open request; the request is then `answered`. */
export function assertCanReply(from: SupportRequestStatus): void {
  if (from !== 'answered') assertTransition(from, 'answered');
}

/** Triage validates a new request; an open request may be re-triaged (its status is kept). */
export function statusAfterTriage(from: SupportRequestStatus): SupportRequestStatus {
  if (from === 'new') return 'triaged';
  if (from === 'closed') assertTransition(from, 'triaged');
  return from;
}
