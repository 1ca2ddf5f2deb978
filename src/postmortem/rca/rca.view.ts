import { ApiProperty } from '@nestjs/swagger';
import { ActorRef } from '../../investigation/investigation.view';
import type { RcaReport } from './rca-report.entity';

export class RcaVersionView {
  @ApiProperty({ minimum: 1 }) version: number;
  @ApiProperty() generatedAt: Date;
  @ApiProperty({ type: ActorRef }) generatedBy: ActorRef;
  @ApiProperty({ nullable: true, type: String }) correctionNote: string | null;
  @ApiProperty({ nullable: true, type: Date }) publishedAt: Date | null;
  @ApiProperty({ nullable: true, type: ActorRef }) publishedBy: ActorRef | null;
  @ApiProperty({ nullable: true, type: Boolean }) sentToImpactedCustomers: boolean | null;
  @ApiProperty({ description: 'Customers impacted, as recorded in this version' })
  impactedCustomerCount: number;
  @ApiProperty({
    description: 'Where to fetch this version',
    example: { html: '/api/v1/incidents/INC-2026-00042/rca.html?version=1' },
  })
  links: { html: string; pdf: string; md: string };

  static of(reference: string, r: RcaReport): RcaVersionView {
    const link = (format: string) => `/api/v1/incidents/${reference}/rca.${format}?version=${r.version}`;
    return {
      version: r.version,
      generatedAt: r.generatedAt,
      generatedBy: { id: r.generatedById, name: r.generatedByName },
      correctionNote: r.correctionNote,
      publishedAt: r.publishedAt,
      publishedBy: r.publishedAt ? { id: r.publishedById, name: r.publishedByName ?? '' } : null,
      sentToImpactedCustomers: r.sentToImpactedCustomers,
      impactedCustomerCount: r.content.impactedCustomerCount,
      links: { html: link('html'), pdf: link('pdf'), md: link('md') },
    };
  }
}

export class RcaVersionsView {
  @ApiProperty({ format: 'uuid' }) incidentId: string;
  @ApiProperty() reference: string;
  @ApiProperty({ nullable: true, type: Number, description: 'The latest published version' })
  publishedVersion: number | null;
  @ApiProperty({ type: [RcaVersionView], description: 'Oldest first' }) versions: RcaVersionView[];
}
