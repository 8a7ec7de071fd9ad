import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Accounts } from '../accounts';
import { AuthError } from '../auth-error';
import { csrfMatches } from '../secrets';
import { UserDirectory } from '../user-directory';
import { PUBLIC_ROUTE } from './decorators';
import { attachPrincipal, attachSession } from './request-principal';
import { CSRF_HEADER, isStateChanging, sessionTokenOf } from './session-cookie';

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const CHALLENGE = 'Send an API key as "Authorization: Bearer <token>", or log in at POST /auth/login';

type Request = { method: string; headers: Record<string, string | string[] | undefined> };

/**
 * Authenticates every HTTP request except @Public() routes and attaches the principal: an API key in
 * the Authorization header (machines), or a session cookie (people in the browser). A cookie is sent
 * by the browser on its own, so a state-changing request it authenticates must also carry the
 * session's CSRF token in a header that another site's page cannot set.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly users: UserDirectory,
    private readonly accounts: Accounts,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Message and event handlers (Kafka) are internal consumers, not callers with a key.
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()])) return true;

    const request = context.switchToHttp().getRequest<Request>();
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
      const principal = token ? await this.users.authenticate(token) : null;
      if (!principal)
        throw new UnauthorizedException(`The API key in the Authorization header is invalid, expired or revoked. ${CHALLENGE}`);
      attachPrincipal(request, principal);
      return true;
    }

    const sessionToken = sessionTokenOf(request);
    if (!sessionToken) throw new UnauthorizedException(`Missing Authorization header or session cookie. ${CHALLENGE}`);
    const session = await this.accounts.resolveSession(sessionToken);
    if (!session) {
      throw new AuthError(401, 'unauthenticated', 'The session has expired or was ended: log in again', [
        { field: 'session', rule: 'valid-session' },
      ]);
    }
    if (isStateChanging(request.method)) {
      if (!csrfMatches(request.headers[CSRF_HEADER], sessionToken)) {
        throw new AuthError(
          403,
          'forbidden',
          `A request made with the session cookie must carry the session's CSRF token in ${CSRF_HEADER}`,
          [{ field: 'X-CSRF-Token', rule: 'csrf-token' }],
        );
      }
    }
    attachPrincipal(request, session.principal);
    attachSession(request, { token: sessionToken, idHash: session.idHash, lastSignedAt: session.lastSignedAt, view: session.view });
    return true;
  }
}
