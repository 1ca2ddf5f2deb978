import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock';
import { notifyChanges } from '../live/notify-change';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { mailAttachments } from './delivery-ledger';
import { MailContent } from './delivery.entity';
import { RelayRateLimiter } from './relay-rate-limiter';
import { sqlRows } from '../common/sql';
import { MailTransport, SendOutcome } from './smtp/mail-transport';
import { PreparedMail } from './smtp/prepared-mail';
import { SignedLinks } from '../links/signed-links';

interface ClaimedRow {
  id: string;
  kind: string;
  incident_id: string | null;
  content_id: string;
  to_address: string;
  to_name: string;
  recipient_type: string;
  customer_id: string | null;
  contact_id: string | null;
  message_id: string;
  thread_id: string | null;
  attempts: number;
  created_at: Date;
}

interface AcceptedRow {
  row: ClaimedRow;
  at: Date;
  response: string;
}

const BACKOFF_BASE_MS = 5_000;
/** An SMTP answer (e.g. "451 4.3.0 …"), as opposed to a connection error with none. */
const SMTP_REPLY = /^[0-9]{3}[ -]/;
const BACKOFF_MAX_MS = 5 * 60_000;

/**
 * Sends what the ledger says is due. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease,
 * so any number of workers share the queue and a crashed worker's rows return after the lease.
 * Per contact and incident, a row waits while an earlier one is still unsent (order), and
 * first notices go before every other kind (priority).
 */
@Injectable()
export class DeliveryWorker {
  private readonly logger = new Logger(DeliveryWorker.name);
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  /** Composed MIME per content (one notice in one language), shared by all its recipients. */
  private readonly prepared = new Map<string, Promise<PreparedMail>>();
  private transport?: MailTransport;
  private relayUrl?: string;
  private stopping = false;
  /** A send failed with no SMTP answer at all (relay unreachable) since the relay last accepted. */
  private relayUnreachable = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly rateLimiter: RelayRateLimiter,
    private readonly links: SignedLinks,
  ) {}

  /** Where mail goes: SMTP_URL, or the mail catcher's URL on the embedded default. */
  useRelay(url: string): void {
    this.transport?.close();
    this.relayUrl = url;
    this.transport = new MailTransport(url, this.config.mail.poolSize);
  }

  /** Sends due rows until none is left (or `maxBatches`); returns how many were attempted. */
  async drain(maxBatches = Number.POSITIVE_INFINITY): Promise<number> {
    let total = 0;
    for (let batch = 0; batch < maxBatches && !this.stopping; batch++) {
      const sent = await this.runBatch();
      total += sent;
      if (sent === 0) break;
    }
    return total;
  }

  /** One claim and its sends. */
  async runBatch(): Promise<number> {
    if (!this.transport) throw new Error('DeliveryWorker has no relay: call useRelay() first');
    const allowed = await this.rateLimiter.take(this.relayUrl!, this.config.mail.batchSize);
    if (allowed === 0) return 0;
    const rows = await this.claim(allowed);
    if (rows.length === 0) return 0;
    await this.loadContents(rows);
    const concurrency = Math.max(1, this.config.mail.poolSize * 4);
    const accepted: AcceptedRow[] = [];
    let next = 0;
    // Set when this batch meets a relay that does not answer: the rest of the batch is put back
    // to retry without trying (they would fail the same way), so an outage costs a few
    // connection attempts per batch and no batch is still sending when the relay comes back.
    let unreachable: string | undefined;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
        while (next < rows.length) {
          const row = rows[next++];
          if (unreachable) {
            await this.record(row, { outcome: 'retry', error: unreachable });
            continue;
          }
          const outcome = await this.sendRow(row);
          if (outcome.outcome !== 'accepted') {
            if (outcome.outcome === 'retry' && !SMTP_REPLY.test(outcome.error)) {
              this.relayUnreachable = true;
              unreachable = outcome.error;
            }
            await this.record(row, outcome);
            continue;
          }
          if (this.relayUnreachable) await this.relayIsBack();
          accepted.push({ row, at: this.clock.now(), response: outcome.response });
          if (accepted.length >= this.config.mail.acceptedGroupSize)
            await this.recordAccepted(accepted.splice(0));
        }
      }),
    );
    await this.recordAccepted(accepted.splice(0));
    return rows.length;
  }

  /**
   * Accepted rows are written in small groups: one statement per group instead of one per
   * mail (DELIVERY_ACCEPTED_GROUP_SIZE). A crash before the write re-sends at most that group
   * and the sends still in flight (same Message-IDs).
   */
  private async recordAccepted(group: AcceptedRow[]): Promise<void> {
    if (group.length === 0) return;
    try {
      // The relay has these mails: losing the write would send them again, so a dropped
      // connection or a restarting database is waited out (within the lease) before giving up.
      // Both statements are idempotent, so a retry after a partial success changes nothing.
      await this.retryWithinLease(async () => {
        await this.db.query(
          `UPDATE deliveries d
            SET status = 'accepted', accepted_at = u.at, smtp_response = u.response, locked_until = NULL, last_error = NULL
           FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]) AS u(id, at, response)
          WHERE d.id = u.id AND d.locked_by = $4 AND d.status = 'sending'`,
          [
            group.map((a) => a.row.id),
            group.map((a) => a.at),
            group.map((a) => a.response.slice(0, 1000)),
            this.workerId,
          ],
        );
        // First response of an incident (README, "Notifying customers"): its first notice accepted by the relay.
        const firstByIncident = new Map<string, Date>();
        for (const { row, at } of group) {
          if (row.kind !== 'initial' || !row.incident_id) continue;
          const seen = firstByIncident.get(row.incident_id);
          if (!seen || at < seen) firstByIncident.set(row.incident_id, at);
        }
        for (const [incidentId, at] of firstByIncident) {
          await this.db.query(
            `UPDATE incidents SET first_response_at = $2 WHERE id = $1 AND (first_response_at IS NULL OR first_response_at > $2)`,
            [incidentId, at],
          );
        }
      });
      await this.announce(
        group.map((a) => a.row),
        'delivery.accepted',
      );
    } catch (error) {
      // The leases expire and the rows are sent again (same Message-IDs); nothing is lost.
      this.logger.error({ err: error, deliveries: group.length }, 'could not record accepted deliveries');
    }
  }

  /**
   * The relay answers again after being unreachable: every row waiting out a connection error is
   * due now, so the backlog drains by priority (first notices first) at the relay rate instead of
   * trickling out as each row's backoff (up to DELIVERY_RETRY_MAX_SECONDS) happens to end.
   * Rows the relay itself deferred (4xx answers) keep their backoff.
   */
  private async relayIsBack(): Promise<void> {
    this.relayUnreachable = false;
    const now = this.clock.now();
    try {
      const rows = await sqlRows(
        this.db,
        `UPDATE deliveries SET next_attempt_at = $1
          WHERE status = 'retrying' AND next_attempt_at > $1 AND last_error !~ '^[0-9]{3}'
          RETURNING id`,
        [now],
      );
      if (rows.length) this.logger.log(`relay reachable again: ${rows.length} deliveries due now`);
    } catch (error) {
      // Their own backoff still brings them back.
      this.logger.warn({ err: error }, 'could not bring retrying deliveries forward');
    }
  }

  /** Retries `work` for up to half the lease (real time), so no other worker has taken the rows yet. */
  private async retryWithinLease<T>(work: () => Promise<T>): Promise<T> {
    const giveUpAt = Date.now() + (this.config.mail.leaseSeconds * 1000) / 2;
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        return await work();
      } catch (error) {
        if (Date.now() + delay >= giveUpAt) throw error;
        this.logger.warn({ err: error, retryInMs: delay }, 'database unavailable while recording deliveries');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /** Graceful shutdown: the batch in flight finishes and is recorded; no further batch is claimed. */
  stop(): void {
    this.stopping = true;
  }

  /** Live views (the board, possibly in another process) learn of outcomes through NOTIFY. */
  private async announce(rows: ClaimedRow[], kind: string): Promise<void> {
    const incidents = rows.flatMap((r) => (r.incident_id ? [r.incident_id] : []));
    try {
      await notifyChanges(this.db, incidents, kind);
    } catch (error) {
      // The outcome is recorded; boards catch up at their next refresh (at most a minute).
      this.logger.warn({ err: error }, 'could not announce delivery outcomes to live views');
    }
  }

  close(): void {
    this.transport?.close();
    this.transport = undefined;
  }

  private async claim(limit: number): Promise<ClaimedRow[]> {
    const now = this.clock.now();
    const lease = new Date(now.getTime() + this.config.mail.leaseSeconds * 1000);
    return sqlRows<ClaimedRow>(
      this.db,
      `UPDATE deliveries d
          SET status = 'sending', locked_until = $2, next_attempt_at = $2, locked_by = $3, attempts = d.attempts + 1
        WHERE d.id IN (
          SELECT c.id FROM deliveries c
           WHERE c.status IN ('pending', 'retrying', 'sending') AND c.next_attempt_at <= $1
             AND (c.contact_id IS NULL OR NOT EXISTS (
                   SELECT 1 FROM deliveries e
                    WHERE e.incident_id = c.incident_id AND e.contact_id = c.contact_id AND e.seq < c.seq
                      AND e.status IN ('pending', 'retrying', 'sending')))
           ORDER BY c.priority, c.next_attempt_at, c.seq
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.kind, d.incident_id, d.content_id, d.to_address, d.to_name, d.recipient_type,
                  d.customer_id, d.contact_id, d.message_id, d.thread_id, d.attempts, d.created_at`,
      [now, lease, this.workerId, limit],
    );
  }

  private async loadContents(rows: ClaimedRow[]): Promise<void> {
    // Evict before working out what is missing: clearing afterwards would drop this batch's cached mails.
    if (this.prepared.size > 1000) this.prepared.clear();
    const missing = [...new Set(rows.map((r) => r.content_id))].filter((id) => !this.prepared.has(id));
    if (missing.length === 0) return;
    const found = await this.db.getRepository(MailContent).findBy({ id: In(missing) });
    // Notices have none: the extra query only runs for contents that carry a file (RCA copies).
    const attachments = await mailAttachments(
      this.db.manager,
      found.filter((c) => c.attachmentCount > 0).map((c) => c.id),
    );
    for (const content of found) {
      const prepared = PreparedMail.compose(this.config.mail.from, content, attachments.get(content.id));
      // A failed composition is not cached: the next batch tries again.
      prepared.catch(() => this.prepared.delete(content.id));
      this.prepared.set(content.id, prepared);
    }
  }

  private async sendRow(row: ClaimedRow): Promise<SendOutcome> {
    const mail = await this.prepared.get(row.content_id)!;
    let raw: Buffer;
    try {
      raw = mail.for(
        { name: row.to_name, address: row.to_address },
        row.message_id,
        row.thread_id,
        this.clock.now(),
        mail.hasRecipientLink ? this.recipientLink(row) : undefined,
      );
    } catch (error) {
      // A mail that cannot be built for this recipient never will be: fail the row, not the batch.
      return { outcome: 'failed', error: `could not build the message: ${(error as Error).message}` };
    }
    return this.transport!.send({ from: mail.fromAddress, to: row.to_address, raw });
  }

  /** A contact's own signed portal link, made at send time so its validity counts from the mail. */
  private recipientLink(row: ClaimedRow): string {
    if (row.recipient_type !== 'contact' || !row.customer_id || !row.contact_id) {
      throw new Error(`delivery ${row.id}: a portal link is only for customer contacts`);
    }
    return this.links.portalUrl(row.customer_id, row.contact_id);
  }

  /** Writes a refusal or a retry, only if this worker still holds the row's lease. */
  private async record(row: ClaimedRow, outcome: SendOutcome): Promise<void> {
    const now = this.clock.now();
    try {
      if (outcome.outcome === 'accepted')
        return this.recordAccepted([{ row, at: now, response: outcome.response }]);
      const expired =
        now.getTime() - new Date(row.created_at).getTime() > this.config.mail.giveUpMinutes * 60_000;
      if (outcome.outcome === 'failed' || expired) {
        await this.db.query(
          `UPDATE deliveries SET status = 'failed', failed_at = $2, last_error = $3, locked_until = NULL
            WHERE id = $1 AND locked_by = $4 AND status = 'sending'`,
          [
            row.id,
            now,
            (expired && outcome.outcome === 'retry' ? `gave up: ${outcome.error}` : outcome.error).slice(
              0,
              1000,
            ),
            this.workerId,
          ],
        );
        await this.announce([row], 'delivery.failed');
        return;
      }
      await this.db.query(
        `UPDATE deliveries SET status = 'retrying', next_attempt_at = $2, last_error = $3, locked_until = NULL
          WHERE id = $1 AND locked_by = $4 AND status = 'sending'`,
        [
          row.id,
          new Date(
            now.getTime() +
              backoffMs(
                row.attempts,
                Math.random,
                this.config.mail.retryBaseSeconds * 1000,
                this.config.mail.retryMaxSeconds * 1000,
              ),
          ),
          outcome.error.slice(0, 1000),
          this.workerId,
        ],
      );
    } catch (error) {
      // The lease expires and another claim retries the row; nothing is lost.
      this.logger.error({ err: error, deliveryId: row.id }, 'could not record a delivery outcome');
    }
  }
}

/** Exponential backoff with full jitter: by default up to 5 s, 10 s, 20 s … capped at 5 minutes. */
export function backoffMs(
  attempts: number,
  random = Math.random,
  baseMs = BACKOFF_BASE_MS,
  maxMs = BACKOFF_MAX_MS,
): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
