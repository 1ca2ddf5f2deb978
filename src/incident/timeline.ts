import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import { notifyChange } from '../live/notify-change';

/** The platform itself (ticks, automatic sends) as the actor of a timeline entry. */
export const SYSTEM_ACTOR = { staffMemberId: null, name: 'Tocsin' } as const;

/**
 * A customer contact acting through the portal (its signed link names it): no staff id, so the
 * entry's actor is the contact's name with its company, and the ids go into the entry's data.
 */
export interface ContactActor {
  staffMemberId: null;
  name: string;
  customerId: string;
  contactId: string;
}

export interface TimelineEvent {
  incidentId: string;
  type: string;
  at: Date;
  actor: Pick<Actor, 'staffMemberId' | 'name'> | typeof SYSTEM_ACTOR | ContactActor;
  data?: Record<string, unknown>;
}

/**
 * Appends one entry; call it inside the transaction of the change it records. Every recorded
 * change is also announced to live views (the board), delivered at commit.
 */
export async function appendTimeline(em: EntityManager, event: TimelineEvent): Promise<void> {
  await em.query(
    `INSERT INTO incident_timeline (incident_id, occurred_at, actor_id, actor_name, type, data)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      event.incidentId,
      event.at,
      event.actor.staffMemberId,
      event.actor.name,
      event.type,
      JSON.stringify(event.data ?? {}),
    ],
  );
  await notifyChange(em, { incidentId: event.incidentId, kind: event.type });
}
