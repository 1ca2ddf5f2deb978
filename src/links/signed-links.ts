import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { ForbiddenError } from '../common/domain-error';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/**
 * What a customer link grants. `portal`: the customer's pages, on behalf of one contact;
 * `rca`: one published RCA version in the customer edition, in one language.
 */
export type LinkGrant =
  | { purpose: 'portal'; customerId: string; contactId: string }
  | {
      purpose: 'rca';
      customerId: string;
      contactId: string;
      incidentId: string;
      version: number;
      language: string;
    };

export type VerifiedLink = LinkGrant & { expiresAt: Date };

const SECRET_NAME = 'link_signing_key';
/** Domain separation: a signature made for something else with the same key never verifies here. */
const CONTEXT = 'tocsin-link-v1.';

/**
 * Signed, expiring links for customers (README, "Customer portal"): the token is the grant in
 * base64url JSON plus an HMAC-SHA256 over it. Nothing is stored per link, so a link works on
 * every instance and survives restarts; changing the key revokes every link at once.
 */
@Injectable()
export class SignedLinks implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    this.key = Buffer.from(this.config.links.signingSecret ?? (await this.storedSecret()), 'utf8');
  }

  /** A token for `grant`, valid for `ttlDays` from now. */
  sign(grant: LinkGrant, ttlDays: number): string {
    const expires = Math.floor(this.clock.now().getTime() / 1000 + ttlDays * 86_400);
    const payload = Buffer.from(JSON.stringify({ ...grant, exp: expires }), 'utf8').toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** The portal link a mail to `contactId` carries. */
  portalUrl(customerId: string, contactId: string): string {
    const token = this.sign({ purpose: 'portal', customerId, contactId }, this.config.links.portalTtlDays);
    return `${this.config.publicBaseUrl}/portal/${token}`;
  }

  /**
   * The grant inside `token`, or 403 `link.invalid` (forged, altered, truncated, or meant for
   * another purpose) / `link.expired`. Both say nothing about what the link pointed to.
   */
  verify<P extends LinkGrant['purpose']>(token: string, purpose: P): Extract<VerifiedLink, { purpose: P }> {
    const [payload, mac, extra] = typeof token === 'string' ? token.split('.') : [];
    if (!payload || !mac || extra !== undefined || !this.macMatches(payload, mac)) throw invalidLink();
    let claims: Record<string, unknown>;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw invalidLink();
    }
    if (claims?.purpose !== purpose || typeof claims.exp !== 'number') throw invalidLink();
    if (claims.exp * 1000 <= this.clock.now().getTime()) {
      throw new ForbiddenError('link.expired', 'This link has expired; ask for a new one');
    }
    const { exp, ...grant } = claims;
    return { ...(grant as LinkGrant), expiresAt: new Date(exp * 1000) } as Extract<
      VerifiedLink,
      { purpose: P }
    >;
  }

  /**
   * An HMAC under the link key for another use, e.g. the portal's form nonces. Its own prefix
   * keeps a tag from ever passing for a link signature, and `context` keeps uses apart.
   */
  tag(context: string, data: string): string {
    if (!this.key) throw new Error('SignedLinks used before the module initialised');
    return createHmac('sha256', this.key).update(`tocsin-tag-v1.${context}.${data}`).digest('base64url');
  }

  private mac(payload: string): string {
    if (!this.key) throw new Error('SignedLinks used before the module initialised');
    return createHmac('sha256', this.key)
      .update(CONTEXT + payload)
      .digest('base64url');
  }

  private macMatches(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload), 'utf8');
    const given = Buffer.from(mac, 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Generated once per database; concurrent first starts agree on whichever insert won. */
  private async storedSecret(): Promise<string> {
    await this.db.query(
      `INSERT INTO app_secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
      [SECRET_NAME, randomBytes(32).toString('base64url')],
    );
    const [row] = await this.db.query(`SELECT value FROM app_secrets WHERE name = $1`, [SECRET_NAME]);
    return row.value;
  }
}

function invalidLink(): ForbiddenError {
  return new ForbiddenError('link.invalid', 'This link is not valid');
}
