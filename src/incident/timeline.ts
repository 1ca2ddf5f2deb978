import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';

/** The platform itself (ticks, automatic sends) as the actor of a timeline entry. */
export const SYSTEM_ACTOR = { staffMemberId: null, name: 'Tocsin' } as const;

export interface TimelineEvent {
  incidentId: string;
  type: string;
  at: Date;
  actor: Pick<Actor, 'staffMemberId' | 'name'> | typeof SYSTEM_ACTOR;
  data?: Record<string, unknown>;
}

/** Appends one entry; call it inside the transaction of the change it records. */
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
}
