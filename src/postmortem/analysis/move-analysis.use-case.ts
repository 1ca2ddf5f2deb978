import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, Not } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, FieldViolation } from '../../common/domain-error';
import { Incident } from '../../incident/entities/incident.entity';
import { appendTimeline } from '../../incident/timeline';
import { ActionItem } from '../entities/action-item.entity';
import { PostmortemAnalysis } from '../entities/postmortem-analysis.entity';
import { PostmortemParticipant } from '../entities/postmortem-participant.entity';
import { AnalysisAccess } from './analysis-access';
import { AnalysisReader } from './analysis-reader';
import { AnalysisView } from './analysis.view';
import { AnalysisAction, nextAnalysisStatus } from './domain/analysis-status';
import { assertCurrentVersion } from './edit-analysis.use-case';

/** What the review needs before it can start: the handbook's questions answered and a plan. */
const REQUIRED_TO_SUBMIT = [
  ['wentWell', 'what went well'],
  ['wentBadly', 'what went badly'],
  ['failureCauses', 'the causes of the failures'],
  ['rootCauses', 'the root cause(s)'],
] as const;

/**
 * `POST …/postmortem/{submit|approve|reopen}`. Approval stamps the incident
 * (`postmortem_approved_at`), which lets the commander close it. Reopening an approved
 * analysis takes that stamp back while the incident is still open; once the incident is closed
 * the stamp stays: it records the approval the close relied on, and nothing leaves `closed`.
 */
@Injectable()
export class MoveAnalysis {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly access: AnalysisAccess,
    private readonly reader: AnalysisReader,
  ) {}

  execute(
    idOrReference: string,
    action: AnalysisAction,
    input: { version?: number; reason?: string },
    actor: Actor,
  ): Promise<AnalysisView> {
    return this.db.transaction(async (em) => {
      const { incident, analysis } = await this.access.load(em, idOrReference, actor, { lock: true });
      const from = analysis.status;
      const to = nextAnalysisStatus(from, action);
      assertCurrentVersion(analysis, input.version);
      const at = this.clock.now();
      const data: Record<string, unknown> = { from, to };

      if (action === 'submit') {
        await this.assertComplete(em, analysis);
        analysis.submittedAt = at;
      } else if (action === 'approve') {
        analysis.approvedAt = at;
        analysis.approvedById = actor.staffMemberId;
        await em.getRepository(Incident).update(incident.id, { postmortemApprovedAt: at, updatedAt: at });
        data.incidentPostmortemApprovedAt = at;
      } else {
        data.reason = input.reason;
        const cleared = from === 'approved' && incident.status !== 'closed';
        if (cleared)
          await em.getRepository(Incident).update(incident.id, { postmortemApprovedAt: null, updatedAt: at });
        data.incidentApprovalCleared = cleared;
        Object.assign(analysis, { submittedAt: null, approvedAt: null, approvedById: null });
      }
      analysis.status = to;
      analysis.updatedAt = at;
      const saved = await em.getRepository(PostmortemAnalysis).save(analysis);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: `postmortem.${{ submit: 'submitted', approve: 'approved', reopen: 'reopened' }[action]}`,
        at,
        actor,
        data: { ...data, version: saved.version },
      });
      return this.reader.view(em, incident);
    });
  }

  /** 409 `postmortem.incomplete`, details naming every missing part as `{field, rule, message}`. */
  private async assertComplete(em: EntityManager, analysis: PostmortemAnalysis): Promise<void> {
    const missing: FieldViolation[] = REQUIRED_TO_SUBMIT.filter(([field]) => !analysis[field].trim()).map(
      ([field, what]) => ({
        field,
        rule: 'required',
        message: `${field} (${what}) must be written before review`,
      }),
    );
    const participants = await em
      .getRepository(PostmortemParticipant)
      .countBy({ incidentId: analysis.incidentId });
    if (participants === 0)
      missing.push({
        field: 'participants',
        rule: 'nonEmpty',
        message: 'participants must list at least one person',
      });
    const actions = await em
      .getRepository(ActionItem)
      .countBy({ incidentId: analysis.incidentId, status: Not('cancelled') });
    if (actions === 0)
      missing.push({
        field: 'actions',
        rule: 'nonEmpty',
        message: 'the action plan needs at least one item that is not cancelled',
      });
    if (missing.length) {
      throw new ConflictError(
        'postmortem.incomplete',
        `The analysis is not ready for review: ${missing.map((m) => m.field).join(', ')}`,
        missing,
      );
    }
  }
}
