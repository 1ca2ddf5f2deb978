import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { debounceTime, groupBy, mergeMap, Observable, share, Subject } from 'rxjs';
import { DataSource } from 'typeorm';
import { Change, CHANGES_CHANNEL, parseChange } from './notify-change';
import { parseSessionSignal, SessionSignal, SESSIONS_CHANNEL } from './notify-session';

/** Changes to one incident closer together than this reach the views once. */
export const CHANGE_DEBOUNCE_MS = 150;
const RETRY_BASE_MS = 500;
const RETRY_MAX_MS = 30_000;

/**
 * LISTENs on `tocsin_changes` and `tocsin_sessions` with one dedicated connection (not a pool
 * client: a pooled connection would be handed to other queries), so changes made by any
 * process — another API instance, a separate delivery worker — reach this one's live views,
 * and so do revocations and deactivations, which end its board streams. Started on first use.
 * A lost connection is retried with capped exponential backoff; after reconnecting, views are
 * told to refresh everything and sessions to be re-checked, since notifications sent meanwhile
 * are gone.
 */
@Injectable()
export class ChangeListener implements OnApplicationShutdown {
  private readonly logger = new Logger(ChangeListener.name);
  private readonly raw = new Subject<Change>();
  private readonly sessions = new Subject<SessionSignal>();
  private readonly debounced: Observable<Change>;
  private readonly url: string;
  private client?: Client;
  private started = false;
  private stopped = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private ready?: Promise<void>;
  private onListening?: () => void;

  constructor(@InjectDataSource() db: DataSource) {
    this.url = (db.options as { url?: string }).url ?? '';
    this.debounced = this.raw.pipe(
      // One group per incident; an idle group ends (emitting what it held) after a minute.
      groupBy((change) => change.incidentId ?? '*', {
        duration: (group) => group.pipe(debounceTime(60_000)),
      }),
      mergeMap((group) => group.pipe(debounceTime(CHANGE_DEBOUNCE_MS))),
      share(),
    );
  }

  /** Debounced changes per incident, from every process. */
  changes(): Observable<Change> {
    this.start();
    return this.debounced;
  }

  /** Ended sessions from every process, undebounced (a stream must close at once). */
  sessionSignals(): Observable<SessionSignal> {
    this.start();
    return this.sessions.asObservable();
  }

  /** Resolves once the first LISTEN is in place (tests wait for it before changing things). */
  listening(): Promise<void> {
    this.start();
    return this.ready!;
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
    this.onListening?.();
    this.raw.complete();
    this.sessions.complete();
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    this.ready = new Promise((resolve) => (this.onListening = resolve));
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.url, application_name: 'tocsin-listener' });
    client.on('notification', (message) => {
      if (message.channel === CHANGES_CHANNEL) this.raw.next(parseChange(message.payload));
      else if (message.channel === SESSIONS_CHANNEL) this.sessions.next(parseSessionSignal(message.payload));
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      await client.query(`LISTEN ${SESSIONS_CHANNEL}`);
    } catch (error) {
      void client.end().catch(() => undefined);
      this.logger.warn({ err: error }, 'could not LISTEN for changes; retrying');
      this.retry();
      return;
    }
    if (this.stopped) {
      void client.end().catch(() => undefined);
      return;
    }
    const reconnected = this.failures > 0;
    this.client = client;
    this.failures = 0;
    this.onListening?.();
    if (reconnected) {
      this.raw.next({ incidentId: null, kind: 'listener.reconnected' });
      this.sessions.next({ recheck: true });
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.logger.warn({ err: error }, 'change listener connection lost; reconnecting');
    void client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    if (this.stopped) return;
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** this.failures);
    this.failures += 1;
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }
}
