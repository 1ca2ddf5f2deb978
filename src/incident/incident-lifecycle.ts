import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/roles';
import type { Incident } from './entities/incident.entity';

export interface IncidentResolvedEvent {
  em: EntityManager;
  incident: Incident;
  actor: Actor;
  /** Customer-facing wording of the resolution; null → the template's default. */
  customerMessage: string | null;
}

type ResolvedHandler = (event: IncidentResolvedEvent) => Promise<void>;

/**
 * Lets the team modules act on an incident's lifecycle inside the same transaction, without
 * the incident module importing them (the notification module sends the resolution notice).
 */
@Injectable()
export class IncidentLifecycle {
  private readonly resolvedHandlers: ResolvedHandler[] = [];

  onResolved(handler: ResolvedHandler): void {
    this.resolvedHandlers.push(handler);
  }

  async resolved(event: IncidentResolvedEvent): Promise<void> {
    for (const handler of this.resolvedHandlers) await handler(event);
  }
}
