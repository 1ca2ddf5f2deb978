import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { Clock } from '../common/clock';
import { NotFoundError, ValidationError } from '../common/domain-error';
import { Page } from '../common/pagination';
import { StaffMember } from '../staff/staff-member.entity';
import { preparedQuery } from '../database/prepared-query';
import { notifySessionEnd } from '../live/notify-session';
import { ApiToken } from './api-token.entity';
import type { Actor, Role } from './roles';
import { generateTokenSecret, hashTokenSecret, tokenPrefix } from './token-secret';

export interface IssueTokenInput {
  staffMemberId: string;
  name: string;
  roles: Role[];
  expiresAt?: Date;
}

/** An authenticated token with the end of its life, for sessions that outlive a request (the board). */
export interface TokenSession {
  actor: Actor;
  expiresAt: Date | null;
}

/** How often last_used_at is refreshed: often enough to audit, rarely enough not to write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
/** Serialises the first-start admin bootstrap across instances. */
const BOOTSTRAP_LOCK = 7_301_001;

@Injectable()
export class TokensService implements OnApplicationBootstrap {
  private readonly logger = new Logger(TokensService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * The actor behind a bearer token, checked against the database on every request (revocation
   * takes effect at once; instances share nothing in memory): one indexed lookup by hash with
   * the staff member's name, in plain SQL, on the hot path of every API call.
   */
  async authenticate(secret: string): Promise<Actor | undefined> {
    return (await this.session(secret))?.actor;
  }

  /** As `authenticate`, with the token's expiry. */
  async session(secret: string): Promise<TokenSession | undefined> {
    const now = this.clock.now();
    const [token] = await preparedQuery<{
      id: string;
      staff_member_id: string;
      roles: Role[];
      last_used_at: Date | null;
      expires_at: Date | null;
      name: string;
    }>(
      this.db,
      'tocsin_authenticate',
      `SELECT t.id, t.staff_member_id, t.roles, t.last_used_at, t.expires_at, s.name
         FROM api_tokens t JOIN staff_members s ON s.id = t.staff_member_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > $2) AND s.active`,
      [hashTokenSecret(secret), now],
    );
    if (!token) return undefined;
    if (!token.last_used_at || now.getTime() - token.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      await this.db.getRepository(ApiToken).update(token.id, { lastUsedAt: now });
    }
    return {
      actor: {
        staffMemberId: token.staff_member_id,
        name: token.name,
        tokenId: token.id,
        roles: token.roles,
      },
      expiresAt: token.expires_at,
    };
  }

  /**
   * Which of `tokenIds` still authenticate now (not revoked, not expired, staff member active):
   * one primary-key lookup for a whole batch, so re-checking every open board stream of an
   * instance costs one query however many there are.
   */
  async stillValid(tokenIds: readonly string[]): Promise<Set<string>> {
    if (tokenIds.length === 0) return new Set();
    const rows = await preparedQuery<{ id: string }>(
      this.db,
      'tocsin_tokens_still_valid',
      `SELECT t.id FROM api_tokens t JOIN staff_members s ON s.id = t.staff_member_id
        WHERE t.id = ANY($1::uuid[]) AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > $2) AND s.active`,
      [tokenIds, this.clock.now()],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Creates a token; the returned secret is never retrievable again. */
  async issue(
    input: IssueTokenInput,
    em: EntityManager = this.db.manager,
  ): Promise<{ token: ApiToken; secret: string }> {
    const staff = await em.findOneBy(StaffMember, { id: input.staffMemberId });
    if (!staff)
      throw ValidationError.field(
        'staffMemberId',
        'exists',
        `staffMemberId ${input.staffMemberId} is not a staff member`,
      );
    if (input.expiresAt && input.expiresAt <= this.clock.now()) {
      throw ValidationError.field('expiresAt', 'future', 'expiresAt must be in the future');
    }
    const secret = generateTokenSecret();
    const token = await this.store(em, input, secret);
    token.staffMember = staff;
    return { token, secret };
  }

  /** Oldest first, revoked and expired ones included; id breaks ties so pages never overlap. */
  async list(limit: number, offset: number): Promise<Page<ApiToken>> {
    const [items, total] = await this.db.getRepository(ApiToken).findAndCount({
      relations: { staffMember: true },
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items, total, limit, offset };
  }

  /** Revokes; open board streams of the token, on every instance, end when this commits. */
  async revoke(id: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const result = await em
        .getRepository(ApiToken)
        .update({ id, revokedAt: IsNull() }, { revokedAt: this.clock.now() });
      if (result.affected) return notifySessionEnd(em, { tokenId: id });
      const exists = await em.getRepository(ApiToken).existsBy({ id });
      if (!exists) throw new NotFoundError('token', id);
    });
  }

  /**
   * First start: make sure someone can log in. A configured TOCSIN_ADMIN_TOKEN is registered
   * (so a lost token is recovered by setting one and restarting); otherwise, when no admin
   * token exists yet, one is generated and printed once to stdout, never logged.
   */
  async onApplicationBootstrap(): Promise<void> {
    const printed = await this.db.transaction(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [BOOTSTRAP_LOCK]);
      const configured = this.config.adminToken;
      if (configured) {
        const known = await em.getRepository(ApiToken).existsBy({ tokenHash: hashTokenSecret(configured) });
        if (!known) await this.store(em, await this.adminInput(em), configured);
        return undefined;
      }
      const [{ count }] = await em.query(
        `SELECT count(*)::int AS count FROM api_tokens WHERE 'admin' = ANY(roles) AND revoked_at IS NULL`,
      );
      if (count > 0) return undefined;
      const secret = generateTokenSecret();
      await this.store(em, await this.adminInput(em), secret);
      return secret;
    });
    if (printed) {
      process.stdout.write(
        `\nFirst start: an admin token was created. It is shown only this once; keep it:\n\n  ${printed}\n\n`,
      );
      this.logger.log('bootstrap admin token created and printed to stdout');
    }
  }

  private async adminInput(em: EntityManager): Promise<IssueTokenInput> {
    const email = 'admin@example.com';
    const staff =
      (await em.getRepository(StaffMember).findOneBy({ email })) ??
      (await em.getRepository(StaffMember).save({ name: 'Tocsin administrator', email, phone: null }));
    return { staffMemberId: staff.id, name: 'bootstrap admin', roles: ['admin'] };
  }

  private store(em: EntityManager, input: IssueTokenInput, secret: string): Promise<ApiToken> {
    return em.getRepository(ApiToken).save({
      staffMemberId: input.staffMemberId,
      name: input.name,
      roles: [...new Set(input.roles)],
      tokenHash: hashTokenSecret(secret),
      prefix: tokenPrefix(secret),
      expiresAt: input.expiresAt ?? null,
    });
  }
}
