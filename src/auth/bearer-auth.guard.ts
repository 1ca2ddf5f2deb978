import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../common/domain-error';
import { AuthenticatedRequest, PUBLIC_ROUTE, REQUIRED_ROLES } from './auth.decorators';
import type { Role } from './roles';
import { TokensService } from './tokens.service';

/** Global guard: every route needs a valid staff bearer token unless marked @Public(). */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokensService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context
      .switchToHttp()
      .getRequest<AuthenticatedRequest & { headers: Record<string, string> }>();
    const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
    const actor = match ? await this.tokens.authenticate(match[1]) : undefined;
    if (!actor) {
      throw new HttpException(
        { code: 'unauthenticated', message: 'A valid bearer token is required' },
        HttpStatus.UNAUTHORIZED,
      );
    }
    request.actor = actor;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, targets);
    if (required && !actor.roles.includes('admin') && !required.some((role) => actor.roles.includes(role))) {
      throw new ForbiddenError(
        'forbidden',
        `This action needs one of the roles: ${['admin', ...required].join(', ')}`,
      );
    }
    return true;
  }
}
