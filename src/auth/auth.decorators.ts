import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Actor, Role } from './roles';

export const PUBLIC_ROUTE = 'tocsin:public';
export const REQUIRED_ROLES = 'tocsin:roles';

/** No staff token needed (health, status page, signed customer links). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Any of these roles may call the route; admin may call everything. Without it, any staff role may. */
export const Roles = (...roles: Role[]) => SetMetadata(REQUIRED_ROLES, roles);

export interface AuthenticatedRequest {
  actor?: Actor;
}

/** The caller resolved by the bearer guard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});
