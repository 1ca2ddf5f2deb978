import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { DataSource, In } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { MailContent } from './delivery.entity';
import { RelayRateLimiter } from './relay-rate-limiter';
import { sqlRows } from '../common/sql';
import { MailTransport, SendOutcome } from './smtp/mail-transport';

interface ClaimedRow {
  id: string;
  kind: string;
  incident_id: string | null;
  content_id: string;
  to_address: string;
  to_name: string;
  message_id: string;
  thread_id: string | null;
  attempts: number;
  created_at: Date;
}

const BACKOFF_BASE_MS = 5_000;
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
  private readonly contents = new Map<string, MailContent>();
  private transport?: MailTransport;
  private relayUrl?: string;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly rateLimiter: RelayRateLimiter,
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
    for (let batch = 0; batch < maxBatches; batch++) {
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
    const concurrency = Math.max(1, this.config.mail.poolSize * 2);
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, rows.length) }, async () => {
        while (next < rows.length) {
          const row = rows[next++];
          await this.record(row, await this.sendRow(row));
        }
      }),
    );
    return rows.length;
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
          SET status = 'sending', locked_until = $2, locked_by = $3, attempts = d.attempts + 1
        WHERE d.id IN (
          SELECT c.id FROM deliveries c
           WHERE ((c.status IN ('pending', 'retrying') AND c.next_attempt_at <= $1)
                  OR (c.status = 'sending' AND c.locked_until < $1))
             AND (c.contact_id IS NULL OR NOT EXISTS (
                   SELECT 1 FROM deliveries e
                    WHERE e.incident_id = c.incident_id AND e.contact_id = c.contact_id AND e.seq < c.seq
                      AND e.status IN ('pending', 'retrying', 'sending')))
           ORDER BY c.priority, c.next_attempt_at, c.seq
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.kind, d.incident_id, d.content_id, d.to_address, d.to_name, d.message_id, d.thread_id,
                  d.attempts, d.created_at`,
      [now, lease, this.workerId, limit],
    );
  }

  private async loadContents(rows: ClaimedRow[]): Promise<void> {
    const missing = [...new Set(rows.map((r) => r.content_id))].filter((id) => !this.contents.has(id));
    if (missing.length === 0) return;
    const found = await this.db.getRepository(MailContent).findBy({ id: In(missing) });
    if (this.contents.size > 1000) this.contents.clear();
    for (const content of found) this.contents.set(content.id, content);
  }

  private async sendRow(row: ClaimedRow): Promise<SendOutcome> {
    const content = this.contents.get(row.content_id)!;
    return this.transport!.send({
      from: this.config.mail.from,
      to: { name: row.to_name, address: row.to_address },
      subject: content.subject,
      html: content.html,
      text: content.text,
      messageId: row.message_id,
      threadId: row.thread_id,
    });
  }

  /** Writes the outcome, only if this worker still holds the row's lease. */
  private async record(row: ClaimedRow, outcome: SendOutcome): Promise<void> {
    const now = this.clock.now();
    try {
      if (outcome.outcome === 'accepted') {
        await this.db.query(
          `UPDATE deliveries SET status = 'accepted', accepted_at = $2, smtp_response = $3, locked_until = NULL, last_error = NULL
            WHERE id = $1 AND locked_by = $4 AND status = 'sending'`,
          [row.id, now, outcome.response.slice(0, 1000), this.workerId],
        );
        if (row.kind === 'initial' && row.incident_id) {
          // First response of the incident (DESIGN.md, "People"): the first notice accepted.
          await this.db.query(
            `UPDATE incidents SET first_response_at = $2 WHERE id = $1 AND (first_response_at IS NULL OR first_response_at > $2)`,
            [row.incident_id, now],
          );
        }
        return;
      }
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
        return;
      }
      await this.db.query(
        `UPDATE deliveries SET status = 'retrying', next_attempt_at = $2, last_error = $3, locked_until = NULL
          WHERE id = $1 AND locked_by = $4 AND status = 'sending'`,
        [
          row.id,
          new Date(now.getTime() + backoffMs(row.attempts)),
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

/** Exponential backoff with full jitter: up to 5 s, 10 s, 20 s … capped at 5 minutes. */
export function backoffMs(attempts: number, random = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
