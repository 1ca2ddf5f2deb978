import { CanActivate, ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import type { Actor } from '../auth/roles';
import { TokensService } from '../auth/tokens.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';

export const BOARD_COOKIE = 'tocsin_board';
/** A board session lasts a shift at most; the token itself may live longer. */
const MAX_AGE_SECONDS = 12 * 3600;

/**
 * How a browser holds a staff token for the board (README, "Design notes"): a browser cannot
 * put an Authorization header on a page load or an EventSource, and a token in the URL leaks
 * into logs and history. So the sign-in form posts the token once; it is kept in a cookie that
 * scripts cannot read (HttpOnly), that other sites cannot make the browser send (SameSite=Strict),
 * that only travels to /board, and over HTTPS only when PUBLIC_BASE_URL is https. Every request
 * checks the token again, so revoking it ends the session.
 */
@Injectable()
export class BoardSession {
  private readonly secure: boolean;

  constructor(
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.secure = config.publicBaseUrl.startsWith('https:');
  }

  async actor(request: {
    headers: Record<string, string | string[] | undefined>;
  }): Promise<Actor | undefined> {
    const token = readCookie(request.headers.cookie, BOARD_COOKIE);
    return token ? this.tokens.authenticate(token) : undefined;
  }

  authenticate(token: string): Promise<Actor | undefined> {
    return this.tokens.authenticate(token);
  }

  cookie(token: string): string {
    return `${BOARD_COOKIE}=${encodeURIComponent(token)}; Path=/board; Max-Age=${MAX_AGE_SECONDS}; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }

  clearedCookie(): string {
    return `${BOARD_COOKIE}=; Path=/board; Max-Age=0; HttpOnly; SameSite=Strict${this.secure ? '; Secure' : ''}`;
  }
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
    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: Record<string, string | string[] | undefined> }>();
    const actor = await this.session.actor(request);
    if (!actor) {
      throw new HttpException(
        { code: 'unauthenticated', message: 'Sign in to the board first' },
        HttpStatus.UNAUTHORIZED,
      );
    }
    request.actor = actor;
    return true;
  }
}
