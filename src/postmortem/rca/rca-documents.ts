import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../../auth/roles';
import { ConflictError, NotFoundError, ValidationError } from '../../common/domain-error';
import { IncidentStore } from '../../incident/incident-store';
import { RcaCustomerEdition, RcaFormat, RenderedRca } from '../rca-publication';
import { customerEdition } from './customer-edition';
import { RcaLanguage, rcaLanguage } from './rca-labels';
import { RcaRenderer } from './rca-renderer';
import { RcaReport } from './rca-report.entity';
import { RcaVersionNotFound } from './domain/rca-versions';
import type { RcaEdition } from './rca-view';

export interface StaffDocumentRequest {
  format: RcaFormat;
  version?: number;
  edition: RcaEdition;
  language?: RcaLanguage;
  customerId?: string;
}

/**
 * The rendered report: any version for staff who may read the incident (internal edition, or
 * a customer edition as one impacted customer will read it), and the published customer
 * edition for the RCA copy requests (RcaCustomerEdition).
 */
@Injectable()
export class RcaDocuments extends RcaCustomerEdition {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly store: IncidentStore,
    private readonly renderer: RcaRenderer,
  ) {
    super();
  }

  async forStaff(idOrReference: string, request: StaffDocumentRequest, actor: Actor): Promise<RenderedRca> {
    const em = this.db.manager;
    const incident = await this.store.get(em, idOrReference, actor);
    const report = request.version
      ? await em.getRepository(RcaReport).findOneBy({ incidentId: incident.id, version: request.version })
      : await em
          .getRepository(RcaReport)
          .findOne({ where: { incidentId: incident.id }, order: { version: 'DESC' } });
    if (!report) throw new RcaVersionNotFound(incident.reference, request.version);
    if (request.edition === 'internal') {
      const view = this.renderer.view(report.content, info(report), {
        language: request.language ?? 'en',
        edition: 'internal',
      });
      return this.renderer.render(view, request.format, renderedAt(report));
    }
    if (!request.customerId) {
      throw ValidationError.field(
        'customerId',
        'required',
        'customerId is required for the customer edition: the impacted customer it is rendered for',
      );
    }
    if (!report.content.impactedCustomers.some((c) => c.id === request.customerId)) {
      throw ValidationError.field(
        'customerId',
        'impacted',
        'customerId must be a customer impacted by the incident (as recorded in this version)',
      );
    }
    return this.renderCustomer(em, report, request.customerId, request.language, request.format);
  }

  async render(
    em: EntityManager,
    request: { incidentId: string; version: number; customerId: string; language: string; format: RcaFormat },
  ): Promise<RenderedRca> {
    const report = await em
      .getRepository(RcaReport)
      .findOneBy({ incidentId: request.incidentId, version: request.version });
    if (!report) throw new NotFoundError('rca_version', `${request.incidentId} v${request.version}`);
    if (!report.publishedAt)
      throw new ConflictError('rca.not_published', `RCA version ${request.version} is not published`);
    return this.renderCustomer(em, report, request.customerId, rcaLanguage(request.language), request.format);
  }

  async latestPublishedVersion(em: EntityManager, incidentId: string): Promise<number | null> {
    const [row]: { version: number | null }[] = await em.query(
      `SELECT max(version) AS version FROM rca_reports WHERE incident_id = $1 AND published_at IS NOT NULL`,
      [incidentId],
    );
    return row?.version ?? null;
  }

  /**
   * Every other customer's name is taken out: the other impacted ones of the version, and every
   * other customer on record (a name may appear in free text without that customer being impacted).
   */
  private async renderCustomer(
    em: EntityManager,
    report: RcaReport,
    customerId: string,
    language: RcaLanguage | undefined,
    format: RcaFormat,
  ): Promise<RenderedRca> {
    const [customer]: { id: string; name: string; language: string }[] = await em.query(
      `SELECT id, name, language FROM customers WHERE id = $1`,
      [customerId],
    );
    if (!customer) throw new NotFoundError('customer', customerId);
    const others: { name: string }[] = await em.query(`SELECT name FROM customers WHERE id <> $1`, [
      customerId,
    ]);
    const lang = language ?? rcaLanguage(customer.language);
    const model = customerEdition(report.content, {
      recipient: { id: customer.id, name: customer.name },
      otherCustomerNames: others.map((o) => o.name),
      language: lang,
    });
    const view = this.renderer.view(model, info(report), {
      language: lang,
      edition: 'customer',
      recipientName: customer.name,
    });
    return this.renderer.render(view, format, renderedAt(report));
  }
}

/** The document date: the same version always renders the same document. */
const renderedAt = (report: RcaReport) => report.publishedAt ?? report.generatedAt;

function info(report: RcaReport) {
  return {
    version: report.version,
    generatedAt: report.generatedAt,
    publishedAt: report.publishedAt,
    correctionNote: report.correctionNote,
  };
}
