import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { UserDirectory } from '../user-directory';
import { PUBLIC_ROUTE } from './decorators';
import { attachPrincipal } from './request-principal';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const CHALLENGE = 'Send an API key as "Authorization: Bearer <token>"';

/** Authenticates every HTTP request except @Public() routes and attaches the principal to it. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserDirectory,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Message and event handlers (Kafka) are internal consumers, not callers with a key.
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;

    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) throw new UnauthorizedException(`Missing Authorization header. ${CHALLENGE}`);

    const principal = await this.users.authenticate(token);
    if (!principal) throw new UnauthorizedException(`The API key in the Authorization header is invalid or revoked. ${CHALLENGE}`);
    attachPrincipal(request, principal);
    return true;
  }
}
