import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { Clock } from '../../common/clock';
import { NotFoundError, ValidationError } from '../../common/domain-error';
import { Page } from '../../common/pagination';
import { Incident } from '../../incident/entities/incident.entity';
import { IncidentStore } from '../../incident/incident-store';
import { appendTimeline } from '../../incident/timeline';
import { requireActiveStaff } from '../../staff/active-staff';
import { AnalysisAccess } from '../analysis/analysis-access';
import { ActionItem } from '../entities/action-item.entity';
import { ActionItemQuery, CreateActionItemDto, UpdateActionItemDto } from './action-items.dto';
import { ActionIncidentRef, ActionItemView } from './action-item.view';
import { PENDING_ACTION_STATUSES } from './domain/overdue';

type Changes = Record<string, { from: unknown; to: unknown }>;

const view = (item: ActionItem, incident: ActionIncidentRef, today: string) =>
  ActionItemView.of(
    {
      ...item,
      owner: { id: item.ownerId, name: item.owner?.name ?? '', email: item.owner?.email ?? '' },
    },
    incident,
    today,
  );

/**
 * The action plan: measures that reduce the risk of recurrence, each with an owner, a due date,
 * a status and a tracker link. Items stay editable after the analysis is approved (that is when
 * the work happens) and after the incident is closed; the timeline records each change.
 */
@Injectable()
export class ActionItems {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly store: IncidentStore,
    private readonly access: AnalysisAccess,
  ) {}

  list(idOrReference: string, actor: Actor): Promise<ActionItemView[]> {
    return this.db.transaction(async (em) => {
      const { incident } = await this.access.load(em, idOrReference, actor);
      const items = await em.getRepository(ActionItem).find({
        where: { incidentId: incident.id },
        relations: { owner: true },
        order: { createdAt: 'ASC', id: 'ASC' },
      });
      const today = this.access.today();
      return items.map((item) => view(item, incident, today));
    });
  }

  add(idOrReference: string, input: CreateActionItemDto, actor: Actor): Promise<ActionItemView> {
    return this.db.transaction(async (em) => {
      const { incident } = await this.access.load(em, idOrReference, actor, { lock: true });
      await requireActiveStaff(em, input.ownerId, 'ownerId');
      const at = this.clock.now();
      const status = input.status ?? 'open';
      const { id } = await em.getRepository(ActionItem).save({
        incidentId: incident.id,
        title: input.title,
        description: input.description ?? '',
        ownerId: input.ownerId,
        dueOn: input.dueOn,
        status,
        trackerUrl: input.trackerUrl ?? null,
        createdAt: at,
        updatedAt: at,
        doneAt: status === 'done' ? at : null,
        lastRemindedAt: null,
      });
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'postmortem.action_added',
        at,
        actor,
        data: { actionId: id, title: input.title, ownerId: input.ownerId, dueOn: input.dueOn, status },
      });
      return this.load(em, id, incident);
    });
  }

  update(
    idOrReference: string,
    actionId: string,
    input: UpdateActionItemDto,
    actor: Actor,
  ): Promise<ActionItemView> {
    if (Object.values(input).every((value) => value === undefined)) {
      throw ValidationError.field('body', 'nonEmpty', 'Give at least one field to change');
    }
    return this.db.transaction(async (em) => {
      const { incident } = await this.access.load(em, idOrReference, actor, { lock: true });
      const item = await em.getRepository(ActionItem).findOneBy({ id: actionId, incidentId: incident.id });
      if (!item) throw new NotFoundError('action_item', actionId);
      if (input.ownerId !== undefined && input.ownerId !== item.ownerId)
        await requireActiveStaff(em, input.ownerId, 'ownerId');

      const at = this.clock.now();
      const changes = this.apply(item, input, at);
      if (Object.keys(changes).length === 0) return this.load(em, item.id, incident);
      item.updatedAt = at;
      await em.getRepository(ActionItem).save(item);
      await appendTimeline(em, {
        incidentId: incident.id,
        type: 'postmortem.action_updated',
        at,
        actor,
        data: { actionId: item.id, title: item.title, changes },
      });
      return this.load(em, item.id, incident);
    });
  }

  /** `GET /api/v1/actions`: across incidents, confidential ones only for their participants and admins. */
  async search(query: ActionItemQuery, actor: Actor): Promise<Page<ActionItemView>> {
    const today = this.access.today();
    const qb = this.db
      .getRepository(ActionItem)
      .createQueryBuilder('a')
      .innerJoinAndMapOne('a.incident', Incident, 'i', 'i.id = a.incident_id')
      .leftJoinAndSelect('a.owner', 'o');
    this.store.applyVisibility(qb, actor);
    const overdue = `(a.status IN (:...pending) AND a.due_on < :today)`;
    if (query.overdue !== undefined) {
      qb.andWhere(query.overdue ? overdue : `NOT ${overdue}`, { pending: PENDING_ACTION_STATUSES, today });
    }
    if (query.ownerId) qb.andWhere('a.owner_id = :ownerId', { ownerId: query.ownerId });
    if (query.status?.length) qb.andWhere('a.status IN (:...status)', { status: query.status });
    if (query.incidentId) qb.andWhere('a.incident_id = :incidentId', { incidentId: query.incidentId });
    const [items, total] = await qb
      .orderBy('a.due_on', 'ASC')
      .addOrderBy('a.created_at', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
    return {
      items: items.map((item) => view(item, (item as ActionItem & { incident: Incident }).incident, today)),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** Sets what differs and says what changed. A new owner or due date restarts the reminders. */
  private apply(item: ActionItem, input: UpdateActionItemDto, at: Date): Changes {
    const changes: Changes = {};
    const set = <K extends 'title' | 'description' | 'ownerId' | 'dueOn' | 'status' | 'trackerUrl'>(
      key: K,
      value: ActionItem[K] | undefined,
    ) => {
      if (value === undefined || value === item[key]) return;
      changes[key] = { from: item[key], to: value };
      item[key] = value;
    };
    set('title', input.title);
    set('description', input.description === null ? '' : input.description);
    set('ownerId', input.ownerId);
    set('dueOn', input.dueOn);
    set('status', input.status);
    set('trackerUrl', input.trackerUrl);
    if (changes.status) item.doneAt = item.status === 'done' ? at : null;
    if (changes.ownerId || changes.dueOn) item.lastRemindedAt = null;
    if (changes.ownerId) item.owner = undefined;
    return changes;
  }

  private async load(em: EntityManager, id: string, incident: ActionIncidentRef): Promise<ActionItemView> {
    const item = await em
      .getRepository(ActionItem)
      .findOneOrFail({ where: { id }, relations: { owner: true } });
    return view(item, incident, this.access.today());
  }
}
