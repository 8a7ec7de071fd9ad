import { Principal } from '../principal';

const PRINCIPAL = Symbol('trialstream.principal');

type RequestWithPrincipal = { [PRINCIPAL]?: Principal };

/** Kept under a symbol so that no body-parsing or client-controlled property can pose as the principal. */
export function attachPrincipal(request: object, principal: Principal): void {
  (request as RequestWithPrincipal)[PRINCIPAL] = principal;
}

export function principalOf(request: object): Principal | undefined {
  return (request as RequestWithPrincipal)[PRINCIPAL];
}
