import { CanActivate, ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { authorize } from '../policy';
import { PermissionRequirement, PUBLIC_ROUTE, REQUIRED_PERMISSION } from './decorators';
import { principalOf } from './request-principal';

/** Applies the route's @RequirePermission through the pure policy; runs after ApiKeyGuard. */
@Injectable()
export class PermissionGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;

    const request = context.switchToHttp().getRequest<{ params?: Record<string, string> }>();
    const principal = principalOf(request);
    const requirement = this.reflector.getAllAndOverride<PermissionRequirement | undefined>(REQUIRED_PERMISSION, targets);
    if (!principal || !requirement) {
      throw new ForbiddenException({
        message: 'This route declares no permission and is closed',
        details: [{ field: 'path', rule: 'declared-permission' }],
      });
    }
    if (requirement.action === null) return true;

    const siteId = requirement.siteParam === undefined ? undefined : (request.params?.[requirement.siteParam] ?? '');
    const denial = authorize(principal, requirement.action, siteId);
    if (denial) throw new ForbiddenException({ message: denial.message, details: [{ field: denial.field, rule: denial.rule }] });
    return true;
  }
}
