import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { InvestigationNote } from '../entities/investigation-note.entity';
import { lockOpenIncident } from '../investigation-record';

/** `POST …/notes`: an internal note of the team; nothing sends it to customers. */
@Injectable()
export class AddInvestigationNote {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
  ) {}

  execute(idOrReference: string, text: string, actor: Actor): Promise<InvestigationNote> {
    return this.db.transaction(async (em) => {
      const incident = await lockOpenIncident(em, this.store, idOrReference, actor);
      const at = this.clock.now();
      const note = await em.getRepository(InvestigationNote).save({
        incidentId: incident.id,
        at,
        actorId: actor.staffMemberId,
        actorName: actor.name,
        text,
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'investigation.note_added',
        at,
        actor,
        data: { noteId: note.id, text, internal: true },
      });
      return note;
    });
  }
}
