import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { TokensService } from '../auth/tokens.service';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { SignedLinks } from '../links/signed-links';

export const BOARD_COOKIE = 'tocsin_board';
/** A board session lasts a shift at most; the token itself may live longer. */
export const BOARD_SESSION_MS = 12 * 3600 * 1000;
/** Keeps the cookie's tag apart from every other use of the link key. */
const TAG_CONTEXT = 'board-session';

/** A signed-in board: who, and when the session ends at the latest. */
export interface BoardSessionState {
  actor: Actor;
  /** 12 h after sign-in, or the token's expiry if that comes first. */
  endsAt: Date;
}

export interface BoardRequest extends AuthenticatedRequest {
  boardSession?: BoardSessionState;
}

type Headers = { headers: Record<string, string | string[] | undefined> };

/**
 * How a browser holds a staff token for the board (README, "Design notes"): a browser cannot
 * put an Authorization header on a page load or an EventSource, and a token in the URL leaks
 * into logs and history. So the sign-in form posts the token once; it is kept in a cookie that
 * scripts cannot read (HttpOnly), that other sites cannot make the browser send (SameSite=Strict),
 * that only travels to /board, and over HTTPS only when PUBLIC_BASE_URL is https. The cookie
 * carries the sign-in time under an HMAC, so the server, not the browser's Max-Age, ends the
 * session after 12 hours. Every request checks the token again, so revoking it ends the session;
 * open event streams are watched by BoardSessionWatch.
 */
@Injectable()
export class BoardSession {
  private readonly secure: boolean;

  constructor(
    private readonly tokens: TokensService,
    private readonly links: SignedLinks,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secure = config.publicBaseUrl.startsWith('https:');
  }

  /** The session behind the request's cookie, if the cookie is genuine and neither it nor its token ended. */
  async resolve(request: Headers): Promise<BoardSessionState | undefined> {
    const value = readCookie(request.headers.cookie, BOARD_COOKIE);
    const opened = value ? openSessionCookie(value, (data) => this.tag(data)) : undefined;
    if (!opened) return undefined;
    const cookieEnd = opened.signedInAt + BOARD_SESSION_MS;
    if (cookieEnd <= this.clock.now().getTime()) return undefined;
    const token = await this.tokens.session(opened.token);
    if (!token) return undefined;
    const endsAt = Math.min(cookieEnd, token.expiresAt?.getTime() ?? Infinity);
    return { actor: token.actor, endsAt: new Date(endsAt) };
  }

  async actor(request: Headers): Promise<Actor | undefined> {
    return (await this.resolve(request))?.actor;
  }

  authenticate(token: string): Promise<Actor | undefined> {
    return this.tokens.authenticate(token);
  }

  /** The cookie set at sign-in: the token with the sign-in time, now. */
  cookie(token: string): string {
    const value = sealSessionCookie(token, this.clock.now().getTime(), (data) => this.tag(data));
    return `${BOARD_COOKIE}=${encodeURIComponent(value)}; Path=/board; Max-Age=${BOARD_SESSION_MS / 1000}; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }

  private tag(data: string): string {
    return this.links.tag(TAG_CONTEXT, data);
  }

  clearedCookie(): string {
    return `${BOARD_COOKIE}=; Path=/board; Max-Age=0; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }
}

/**
 * `<sign-in ms>.<HMAC of time and token>.<token>`: the token last, since a configured admin
 * token may contain dots. The HMAC binds the time to the token, so it cannot be moved.
 */
export function sealSessionCookie(token: string, signedInAt: number, tag: (data: string) => string): string {
  return `${signedInAt}.${tag(`${signedInAt}.${token}`)}.${token}`;
}

/** The token and sign-in time of a genuine cookie value; undefined for anything else (a bare token too). */
export function openSessionCookie(
  value: string,
  tag: (data: string) => string,
): { token: string; signedInAt: number } | undefined {
  const match = /^(\d{1,15})\.([\w-]+)\.(.+)$/s.exec(value);
  if (!match) return undefined;
  const [, at, given, token] = match;
  const expected = Buffer.from(tag(`${at}.${token}`), 'utf8');
  const actual = Buffer.from(given, 'utf8');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return undefined;
  return { token, signedInAt: Number(at) };
}

export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  const value = Array.isArray(header) ? header.join('; ') : (header ?? '');
  for (const part of value.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      try {
        return decodeURIComponent(rest.join('=')) || undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** For the board's event stream: 401 without a valid session cookie (no redirect for EventSource). */
@Injectable()
export class BoardSessionGuard implements CanActivate {
  constructor(private readonly session: BoardSession) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<BoardRequest & Headers>();
    const session = await this.session.resolve(request);
    if (!session) {
      throw new HttpException(
        { code: 'unauthenticated', message: 'Sign in to the board first' },
        HttpStatus.UNAUTHORIZED,
      );
    }
    request.actor = session.actor;
    request.boardSession = session;
    return true;
  }
}
