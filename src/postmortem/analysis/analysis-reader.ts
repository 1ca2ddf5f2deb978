import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import type { Incident } from '../../incident/entities/incident.entity';
import { AnalysisAccess } from './analysis-access';
import { AnalysisView } from './analysis.view';
import { PostmortemRecord } from './postmortem-record';

/** `GET …/postmortem`, and the view every analysis call answers with. */
@Injectable()
export class AnalysisReader {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly access: AnalysisAccess,
    private readonly record: PostmortemRecord,
  ) {}

  /** In a transaction: the first read of an incident resolved before analyses existed opens it. */
  get(idOrReference: string, actor: Actor): Promise<AnalysisView> {
    return this.db.transaction(async (em) => {
      const { incident } = await this.access.load(em, idOrReference, actor);
      return this.view(em, incident);
    });
  }

  async view(em: EntityManager, incident: Incident): Promise<AnalysisView> {
    const record = await this.record.get(em, incident.id);
    return AnalysisView.of(incident, record!, this.access.today());
  }
}
