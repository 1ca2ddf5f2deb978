import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Observable, Subscription } from 'rxjs';
import { TokensService } from '../auth/tokens.service';
import { Clock } from '../common/clock';
import { ChangeListener } from '../live/change-listener';
import type { SessionSignal } from '../live/notify-session';
import type { BoardSessionState } from './board-session';

/**
 * How often open streams are re-checked against the database and the clock: a NOTIFY lost while
 * the listener reconnects, an expiry or the end of the cookie's 12 hours closes a stream within
 * this plus one query.
 */
export const SESSION_RECHECK_MS = 1_000;

interface Watched {
  session: BoardSessionState;
  end(): void;
}

/**
 * Ends the board's event streams when their session ends (README, "Status page and incident
 * board"): at once on a `tocsin_sessions` notification (a revocation or deactivation committed
 * on any instance), and on a one-second tick that compares each session's end with the injected
 * Clock and asks the database, in one query for every open stream of this instance, which tokens
 * still authenticate. The tick, not a timer set for each session's end, handles expiry: it reads
 * the same Clock as the token check, so a clock step (or a test's FakeClock) cannot make the two
 * disagree, and it is needed anyway for lost notifications. It runs only while a stream is open.
 */
@Injectable()
export class BoardSessionWatch implements OnApplicationShutdown {
  private readonly logger = new Logger(BoardSessionWatch.name);
  private readonly watched = new Set<Watched>();
  private signals?: Subscription;
  private timer?: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly tokens: TokensService,
    private readonly listener: ChangeListener,
    private readonly clock: Clock,
  ) {}

  /** Emits once, then completes, when `session` ends; unsubscribing stops watching it. */
  ended(session: BoardSessionState): Observable<void> {
    return new Observable<void>((subscriber) => {
      const entry: Watched = {
        session,
        end: () => {
          subscriber.next();
          subscriber.complete();
        },
      };
      if (this.over(session)) {
        entry.end();
        return undefined;
      }
      this.add(entry);
      return () => this.remove(entry);
    });
  }

  /**
   * Whether `session` is still valid now, asked of the database and the clock: the snapshot path
   * checks it after building a snapshot, so one built while the session ended is never sent. A
   * session found over ends its streams here rather than at the next tick.
   */
  async stillOpen(session: BoardSessionState): Promise<boolean> {
    const tokenId = session.actor.tokenId;
    if (!this.over(session) && !(await this.tokens.stillValid([tokenId])).has(tokenId)) {
      this.endWhere((s) => s.actor.tokenId === tokenId);
      return false;
    }
    if (!this.over(session)) return true;
    this.endWhere((s) => this.over(s));
    return false;
  }

  onApplicationShutdown(): void {
    this.stop();
    this.watched.clear();
  }

  private add(entry: Watched): void {
    this.watched.add(entry);
    if (this.timer) return;
    this.signals = this.listener.sessionSignals().subscribe((signal) => this.onSignal(signal));
    this.timer = setInterval(() => this.tick(), SESSION_RECHECK_MS);
  }

  private remove(entry: Watched): void {
    this.watched.delete(entry);
    if (this.watched.size === 0) this.stop();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.signals?.unsubscribe();
    this.signals = undefined;
  }

  private onSignal(signal: SessionSignal): void {
    if ('tokenId' in signal) this.endWhere((s) => s.actor.tokenId === signal.tokenId);
    else if ('staffMemberId' in signal) this.endWhere((s) => s.actor.staffMemberId === signal.staffMemberId);
    else void this.recheck();
  }

  /** The clock on every tick, even while a slow query holds the database check back. */
  private tick(): void {
    this.endWhere((s) => this.over(s));
    void this.recheck();
  }

  /** One query for the tokens of every open stream; one at a time. */
  private async recheck(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const asked = new Set([...this.watched].map((w) => w.session.actor.tokenId));
      if (asked.size === 0) return;
      const valid = await this.tokens.stillValid([...asked]);
      // Only the tokens asked about: a stream opened during the query waits for the next tick.
      this.endWhere((s) => asked.has(s.actor.tokenId) && !valid.has(s.actor.tokenId));
    } catch (error) {
      // Streams stay open: without the database no snapshot can be built for them either.
      this.logger.warn({ err: error }, 'board session re-check failed; the next tick retries');
    } finally {
      this.checking = false;
    }
  }

  private over(session: BoardSessionState): boolean {
    return this.clock.now().getTime() >= session.endsAt.getTime();
  }

  private endWhere(ended: (session: BoardSessionState) => boolean): void {
    for (const entry of [...this.watched]) {
      if (ended(entry.session)) entry.end();
    }
  }
}
