import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { ConflictError, FieldViolation, ValidationError } from '../../common/domain-error';
import { appendTimeline } from '../../incident/timeline';
import { StaffMember } from '../../staff/staff-member.entity';
import { PostmortemAnalysis } from '../entities/postmortem-analysis.entity';
import { PostmortemParticipant } from '../entities/postmortem-participant.entity';
import { AnalysisAccess } from './analysis-access';
import { AnalysisParticipantDto, UpdateAnalysisDto } from './analysis.dto';
import { AnalysisReader } from './analysis-reader';
import { AnalysisView } from './analysis.view';
import { assertAnalysisEditable } from './domain/analysis-status';

export const ANALYSIS_TEXT_FIELDS = [
  'wentWell',
  'wentBadly',
  'failureCauses',
  'rootCauses',
  'contributingFactors',
  'securityDetails',
  'internalNotes',
] as const;

/** The version the client read is stale: someone saved in between (409 `postmortem.stale_version`). */
export function assertCurrentVersion(analysis: PostmortemAnalysis, version: number | undefined): void {
  if (version !== undefined && version !== analysis.version) {
    throw new ConflictError(
      'postmortem.stale_version',
      `The analysis is at version ${analysis.version}, not ${version}: reload it and apply the change again`,
      { currentVersion: analysis.version, givenVersion: version },
    );
  }
}

/**
 * `PUT …/postmortem`: edits the text and the participant list while in draft or in review.
 * The timeline records which fields changed and who joined or left, not the text itself.
 */
@Injectable()
export class EditAnalysis {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly access: AnalysisAccess,
    private readonly reader: AnalysisReader,
  ) {}

  execute(idOrReference: string, input: UpdateAnalysisDto, actor: Actor): Promise<AnalysisView> {
    return this.db.transaction(async (em) => {
      const { incident, analysis } = await this.access.load(em, idOrReference, actor, { lock: true });
      assertAnalysisEditable(analysis.status);
      assertCurrentVersion(analysis, input.version);

      const fields = ANALYSIS_TEXT_FIELDS.filter(
        (field) => input[field] !== undefined && input[field] !== analysis[field],
      );
      const participants = input.participants
        ? await this.replaceParticipants(em, incident.id, input.participants)
        : { added: [], removed: [], roleChanged: [] };
      const participantsChanged = Object.values(participants).some((list) => list.length > 0);
      if (fields.length === 0 && !participantsChanged) return this.reader.view(em, incident);

      const at = this.clock.now();
      for (const field of fields) analysis[field] = input[field]!;
      analysis.updatedAt = at;
      // The version column moves on every save: the edit everyone else now has to start from.
      const saved = await em.getRepository(PostmortemAnalysis).save(analysis);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'postmortem.updated',
        at,
        actor,
        data: {
          status: saved.status,
          version: saved.version,
          fields,
          ...(participantsChanged ? { participants } : {}),
        },
      });
      return this.reader.view(em, incident);
    });
  }

  /** Makes the stored list equal to `wanted`; people new to the analysis must be active staff. */
  private async replaceParticipants(em: EntityManager, incidentId: string, wanted: AnalysisParticipantDto[]) {
    const repo = em.getRepository(PostmortemParticipant);
    const current = new Map((await repo.findBy({ incidentId })).map((p) => [p.staffMemberId, p]));
    const newcomers = wanted.filter((w) => !current.has(w.staffMemberId));
    const active = new Set(
      newcomers.length
        ? (
            await em
              .getRepository(StaffMember)
              .createQueryBuilder('s')
              .where('s.id IN (:...ids) AND s.active', { ids: newcomers.map((n) => n.staffMemberId) })
              .getMany()
          ).map((s) => s.id)
        : [],
    );
    const violations: FieldViolation[] = wanted.flatMap((w, i) =>
      !current.has(w.staffMemberId) && !active.has(w.staffMemberId)
        ? [
            {
              field: `participants[${i}].staffMemberId`,
              rule: 'exists',
              message: `participants[${i}].staffMemberId ${w.staffMemberId} is not an active staff member`,
            },
          ]
        : [],
    );
    if (violations.length) throw new ValidationError(violations);

    const keep = new Set(wanted.map((w) => w.staffMemberId));
    const removed = [...current.values()].filter((p) => !keep.has(p.staffMemberId));
    if (removed.length) await repo.delete(removed.map((p) => p.id));
    const added: { staffMemberId: string; role: string }[] = [];
    const roleChanged: { staffMemberId: string; from: string; to: string }[] = [];
    for (const w of wanted) {
      const existing = current.get(w.staffMemberId);
      if (!existing) {
        const role = w.role ?? 'reviewer';
        await repo.insert({ incidentId, staffMemberId: w.staffMemberId, role });
        added.push({ staffMemberId: w.staffMemberId, role });
      } else if (w.role !== undefined && w.role !== existing.role) {
        roleChanged.push({ staffMemberId: w.staffMemberId, from: existing.role, to: w.role });
        await repo.update(existing.id, { role: w.role });
      }
    }
    return {
      added,
      removed: removed.map((p) => ({ staffMemberId: p.staffMemberId, role: p.role })),
      roleChanged,
    };
  }
}
