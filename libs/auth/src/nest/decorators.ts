import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { Action } from '../policy';
import { Principal } from '../principal';
import { principalOf } from './request-principal';

export const PUBLIC_ROUTE = 'trialstream:public-route';
export const REQUIRED_PERMISSION = 'trialstream:required-permission';

export interface PermissionRequirement {
  /** The action, or `null` for routes open to any authenticated principal. */
  action: Action | null;
  /** A route parameter naming the site the data belongs to; its value must be in the principal's site scope. */
  siteParam?: string;
}

/** Opens a route (or every route of a controller) to unauthenticated callers, e.g. /health. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);

/**
 * Declares what a route needs. Every authenticated route must declare something: a route without a
 * declaration is refused, so a forgotten decorator fails closed instead of opening data to every role.
 */
export const RequirePermission = (action: Action, options: { siteParam?: string } = {}): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSION, { action, siteParam: options.siteParam } satisfies PermissionRequirement);

/** For the few routes that any signed-in role may use, such as "who am I". */
export const AnyAuthenticatedRole = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_PERMISSION, { action: null } satisfies PermissionRequirement);

/** The principal the ApiKeyGuard authenticated for this request. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal | undefined =>
  principalOf(context.switchToHttp().getRequest()),
);
