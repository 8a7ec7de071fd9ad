import type { SessionView } from '../accounts';
import { Principal } from '../principal';

const PRINCIPAL = Symbol('trialstream.principal');
const SESSION = Symbol('trialstream.session');

/** The browser session behind a request; kept off the principal so that logging a principal never logs a session id. */
export interface RequestSession {
  token: string;
  idHash: Buffer;
  lastSignedAt: Date | null;
  view: SessionView;
}

type RequestWithPrincipal = { [PRINCIPAL]?: Principal; [SESSION]?: RequestSession };

/** Kept under a symbol so that no body-parsing or client-controlled property can pose as the principal. */
export function attachPrincipal(request: object, principal: Principal): void {
  (request as RequestWithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(request: object): Principal | undefined {
  return (request as RequestWithPrincipal)[PRINCIPAL];
}

export function attachSession(request: object, session: RequestSession): void {
  (request as RequestWithPrincipal)[SESSION] = session;
}

export function sessionOf(request: object): RequestSession | undefined {
  return (request as RequestWithPrincipal)[SESSION];
}
