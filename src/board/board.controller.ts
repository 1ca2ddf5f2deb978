import {
  Controller,
  Get,
  Headers,
  Logger,
  MessageEvent,
  OnModuleDestroy,
  Post,
  Query,
  Req,
  Res,
  Sse,
  UseGuards,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  asyncScheduler,
  catchError,
  concatMap,
  EMPTY,
  filter,
  from,
  interval,
  map,
  merge,
  Observable,
  of,
  Subject,
  takeUntil,
  throttleTime,
} from 'rxjs';
import { Public } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { ChangeListener } from '../live/change-listener';
import { sendHtml } from '../pages/html-reply';
import { Language, pickLanguage } from '../pages/language';
import { PageRenderer } from '../pages/page-renderer';
import { BoardQueries } from './board.queries';
import { BoardRequest, BoardSession, BoardSessionGuard, BoardSessionState } from './board-session';
import { BoardSessionWatch } from './session-watch';

/** At most one snapshot per connection per this interval, however many changes arrive. */
const SNAPSHOT_THROTTLE_MS = 200;
/** A full refresh now and then, whatever happened (clocks cross marks; a NOTIFY may be lost). */
const RESYNC_MS = 60_000;
/** A comment-like event that keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;
/** How long a new stream waits for the LISTEN connection before sending its first snapshot anyway. */
const LISTEN_WAIT_MS = 2_000;

/**
 * The incident board for commanders: an HTML page, a sign-in form (the staff token goes into an
 * HttpOnly cookie, see BoardSession) and a server-sent event stream. The stream sends a snapshot
 * on connect and again after every change announced on `tocsin_changes` (LISTEN/NOTIFY, so a
 * delivery worker in another process counts too), and ends when the session does (revocation,
 * deactivation, expiry, 12 h after sign-in; BoardSessionWatch). Routes are @Public for the bearer
 * guard because the board authenticates with its cookie instead. HTML, so left out of OpenAPI.
 */
@ApiExcludeController()
@Controller('board')
@Public()
export class BoardController implements OnModuleDestroy {
  private readonly logger = new Logger(BoardController.name);
  private readonly closing = new Subject<void>();

  constructor(
    private readonly queries: BoardQueries,
    private readonly session: BoardSession,
    private readonly pages: PageRenderer,
    private readonly listener: ChangeListener,
    private readonly watch: BoardSessionWatch,
    private readonly clock: Clock,
  ) {}

  /** Ends open streams before the HTTP server closes, so shutdown does not wait for browsers. */
  onModuleDestroy(): void {
    this.closing.next();
    this.closing.complete();
  }

  @Get()
  async board(
    @Req() request: FastifyRequest,
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const actor = await this.session.actor(request);
    if (!actor) return reply.redirect('/board/login', 303);
    const lang = pickLanguage(langParam, accept);
    const snapshot = await this.queries.snapshot(actor, this.clock.now());
    const html = this.pages.page(
      'board/index',
      lang,
      { ...snapshot, actor, eventsUrl: `/board/events${lang === 'en' ? '' : `?lang=${lang}`}` },
      { title: this.pages.message(lang, 'board.title'), scripts: ['board.js'] },
    );
    return sendHtml(reply, html);
  }

  @Get('login')
  loginForm(
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    return this.renderLogin(reply, pickLanguage(langParam, accept), undefined, 200);
  }

  @Post('login')
  async login(
    @Req() request: FastifyRequest,
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
    @Res() reply: FastifyReply,
  ) {
    const lang = pickLanguage(langParam, accept);
    const body = (request.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token.trim() : '';
    const actor = token ? await this.session.authenticate(token) : undefined;
    if (!actor) return this.renderLogin(reply, lang, this.pages.message(lang, 'board.login.invalid'), 401);
    return reply.header('set-cookie', this.session.cookie(token)).redirect('/board', 303);
  }

  @Post('logout')
  logout(@Res() reply: FastifyReply) {
    return reply.header('set-cookie', this.session.clearedCookie()).redirect('/board/login', 303);
  }

  @Sse('events')
  @UseGuards(BoardSessionGuard)
  async events(
    @Req() request: BoardRequest & FastifyRequest,
    @Query('lang') langParam: unknown,
    @Headers('accept-language') accept: string | undefined,
  ): Promise<Observable<MessageEvent>> {
    const session = request.boardSession!;
    const lang = pickLanguage(langParam, accept);
    // Listen before the first snapshot, so no change (and no revocation) falls between the two.
    await this.listenerReady();
    const snapshots = merge(of(null), this.listener.changes(), interval(RESYNC_MS)).pipe(
      throttleTime(SNAPSHOT_THROTTLE_MS, asyncScheduler, { leading: true, trailing: true }),
      concatMap(() =>
        from(this.snapshotEvent(session, lang)).pipe(
          catchError((error: unknown) => {
            this.logger.warn({ err: error }, 'board snapshot failed; the next change retries');
            return EMPTY;
          }),
        ),
      ),
      filter((event): event is MessageEvent => event !== undefined),
    );
    const heartbeat = interval(HEARTBEAT_MS).pipe(map((): MessageEvent => ({ type: 'ping', data: '' })));
    // Ending the session completes the stream (Nest then ends the response) and drops a snapshot
    // still being built; unsubscribing stops the watch and every interval above.
    return merge(snapshots, heartbeat).pipe(takeUntil(merge(this.watch.ended(session), this.closing)));
  }

  /** Waits for the LISTEN connection, at most LISTEN_WAIT_MS; the timer is cleared either way. */
  private async listenerReady(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.listener.listening(),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, LISTEN_WAIT_MS))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A snapshot, or undefined if the session ended while it was built (nothing is sent then). */
  private async snapshotEvent(session: BoardSessionState, lang: Language): Promise<MessageEvent | undefined> {
    const snapshot = await this.queries.snapshot(session.actor, this.clock.now());
    const html = this.pages.fragment('board/cards', lang, snapshot);
    // Asked after the read: a snapshot goes out only if the token still authenticated afterwards.
    if (!(await this.watch.stillOpen(session))) return undefined;
    return { type: 'snapshot', data: { now: snapshot.now.toISOString(), totals: snapshot.totals, html } };
  }

  private renderLogin(reply: FastifyReply, lang: Language, error: string | undefined, status: number) {
    const html = this.pages.page(
      'board/login',
      lang,
      { error },
      { title: this.pages.message(lang, 'board.login.title'), languageLinks: true, path: '/board/login' },
    );
    return sendHtml(reply, html, { status });
  }
}
