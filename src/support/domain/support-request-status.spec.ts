import { DomainError } from '../../common/domain-error';
import {
  assertCanReply,
  assertTransition,
  canTransition,
  statusAfterTriage,
  SUPPORT_REQUEST_STATUSES,
} from './support-request-status';

function expectIllegal(action: () => void, from: string, to: string) {
  try {
    action();
    throw new Error('expected a refusal');
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).kind).toBe('conflict');
    expect((error as DomainError).code).toBe('support_request.illegal_transition');
    expect((error as DomainError).details).toMatchObject({ from, to });
  }
}

describe('support request status transitions', () => {
  it.each([
    ['new', 'triaged'],
    ['triaged', 'in_progress'],
    ['triaged', 'answered'],
    ['in_progress', 'answered'],
    ['answered', 'closed'],
    ['answered', 'in_progress'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(canTransition(from, to)).toBe(true);
    expect(() => assertTransition(from, to)).not.toThrow();
  });

  it.each([
    ['new', 'in_progress'],
    ['new', 'answered'],
    ['new', 'closed'],
    ['triaged', 'closed'],
    ['in_progress', 'closed'],
    ['in_progress', 'triaged'],
    ['answered', 'new'],
    ['closed', 'in_progress'],
    ['closed', 'answered'],
    ['in_progress', 'in_progress'],
  ] as const)('refuses %s → %s with a stable code', (from, to) => {
    expect(canTransition(from, to)).toBe(false);
    expectIllegal(() => assertTransition(from, to), from, to);
  });

  it('nothing leaves closed, and only answered reaches it', () => {
    for (const status of SUPPORT_REQUEST_STATUSES) {
      expect(canTransition('closed', status)).toBe(false);
      expect(canTransition(status, 'closed')).toBe(status === 'answered');
    }
  });

  it('a reply needs a validated, open request; a further reply keeps it answered', () => {
    expect(() => assertCanReply('triaged')).not.toThrow();
    expect(() => assertCanReply('in_progress')).not.toThrow();
    expect(() => assertCanReply('answered')).not.toThrow();
    expectIllegal(() => assertCanReply('new'), 'new', 'answered');
    expectIllegal(() => assertCanReply('closed'), 'closed', 'answered');
  });

  it('triage validates a new request and keeps the status of an open one', () => {
    expect(statusAfterTriage('new')).toBe('triaged');
    expect(statusAfterTriage('triaged')).toBe('triaged');
    expect(statusAfterTriage('in_progress')).toBe('in_progress');
    expect(statusAfterTriage('answered')).toBe('answered');
    expectIllegal(() => statusAfterTriage('closed'), 'closed', 'triaged');
  });
});
