import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../../auth/auth.decorators';
import { DomainError, ForbiddenError } from '../../common/domain-error';
import { SignedLinks } from '../../links/signed-links';
import { RcaCustomerEdition } from '../rca-publication';
import { RcaEntitlement } from './rca-entitlement';
import { RcaLinkQuery } from './rca-requests.dto';

/**
 * The signed link in an RCA copy mail (no token: the link is the credential). Serves the
 * customer edition of the version that was mailed, PDF by default or `?format=html`, after
 * checking again that the contact's customer is still entitled and the version published.
 * A browser gets a short HTML page for a refused link; anything else the JSON error.
 */
@ApiExcludeController()
@Controller('rca')
@Public()
export class RcaLinkController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly links: SignedLinks,
    private readonly entitlement: RcaEntitlement,
    private readonly edition: RcaCustomerEdition,
  ) {}

  // A wildcard, not `:token`: a token (three ids and a MAC) is longer than Fastify's 100-character limit on parameters.
  @Get('*')
  async open(
    @Param('*') token: string,
    @Query() query: RcaLinkQuery,
    @Headers('accept') accept: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const grant = this.links.verify(token, 'rca');
      const em = this.db.manager;
      const contact = await this.entitlement.contact(em, grant.contactId);
      const published = await this.edition.latestPublishedVersion(em, grant.incidentId);
      if (
        !contact ||
        contact.customerId !== grant.customerId ||
        published === null ||
        grant.version > published ||
        !(await this.entitlement.isEntitled(em, grant.incidentId, grant.customerId))
      ) {
        throw new ForbiddenError('link.revoked', 'This link no longer gives access to the report');
      }
      const rendered = await this.edition.render(em, {
        incidentId: grant.incidentId,
        version: grant.version,
        customerId: grant.customerId,
        language: grant.language,
        format: query.format ?? 'pdf',
      });
      void reply
        .status(200)
        .header('content-type', rendered.contentType)
        .header('content-disposition', `inline; filename="${rendered.filename.replace(/[^\w.-]+/g, '_')}"`)
        // The token is in the URL: keep it out of caches and other sites' referrers.
        .header('cache-control', 'private, no-store')
        .header('referrer-policy', 'no-referrer')
        .header('x-robots-tag', 'noindex')
        .send(rendered.content);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === 'forbidden') || !/text\/html/.test(accept ?? '')) {
        throw error;
      }
      void reply
        .status(403)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .send(refusedPage(error.code));
    }
  }
}

const MESSAGES: Record<string, [string, string]> = {
  'link.expired': [
    'This link has expired. Ask our support desk for a new copy of the report.',
    'Ce lien a expiré. Demandez un nouvel exemplaire du rapport à notre support.',
  ],
  'link.revoked': [
    'This link no longer gives access to the report. Contact our support desk.',
    'Ce lien ne donne plus accès au rapport. Contactez notre support.',
  ],
  'link.invalid': [
    'This link is not valid. Check that it was copied whole, or contact our support desk.',
    'Ce lien n’est pas valide. Vérifiez qu’il a été copié en entier, ou contactez notre support.',
  ],
};

/** Fixed texts only: nothing from the request is echoed into the page. */
function refusedPage(code: string): string {
  const [en, fr] = MESSAGES[code] ?? MESSAGES['link.invalid'];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Link refused</title></head>
<body><main><h1>Link refused</h1><p>${en}</p><p lang="fr">${fr}</p><p><code>${MESSAGES[code] ? code : 'link.invalid'}</code></p></main></body></html>
`;
}
