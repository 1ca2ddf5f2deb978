import { ApiProperty } from '@nestjs/swagger';
import { StaffRef } from '../../incident/incident.view';
import { ACTION_ITEM_STATUSES, ActionItemStatus } from '../entities/action-item.entity';
import type { ActionItemRecord } from '../analysis/postmortem-record';
import { isOverdue } from './domain/overdue';

export class ActionIncidentRef {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'INC-2026-00042' }) reference: string;
  @ApiProperty() title: string;
}

export class ActionItemView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: ActionIncidentRef }) incident: ActionIncidentRef;
  @ApiProperty() title: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: StaffRef }) owner: StaffRef;
  @ApiProperty({ example: '2026-04-15', description: 'YYYY-MM-DD' }) dueOn: string;
  @ApiProperty({ enum: ACTION_ITEM_STATUSES }) status: ActionItemStatus;
  @ApiProperty({ description: 'Open or in progress and due before today (business time zone)' })
  overdue: boolean;
  @ApiProperty({ nullable: true, type: String }) trackerUrl: string | null;
  @ApiProperty() createdAt: Date;
  @ApiProperty() updatedAt: Date;
  @ApiProperty({ nullable: true, type: Date }) doneAt: Date | null;
  @ApiProperty({ nullable: true, type: Date, description: 'Last overdue reminder mailed to the owner' })
  lastRemindedAt: Date | null;

  static of(item: ActionItemRecord, incident: ActionIncidentRef, today: string): ActionItemView {
    return {
      id: item.id,
      incident: { id: incident.id, reference: incident.reference, title: incident.title },
      title: item.title,
      description: item.description,
      owner: item.owner,
      dueOn: item.dueOn,
      status: item.status,
      overdue: isOverdue(item, today),
      trackerUrl: item.trackerUrl,
      createdAt: item.createdAt,
      updatedAt: item.updatedAt,
      doneAt: item.doneAt,
      lastRemindedAt: item.lastRemindedAt,
    };
  }
}
