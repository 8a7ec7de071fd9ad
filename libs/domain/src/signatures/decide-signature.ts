import { DecisionContext } from '../protocol';
import { PatientState } from '../patient-state';
import { accept, Decision, reject } from '../rule-violation';
import { EventDraft } from '../envelope';
import {
  draftSignatureEvent,
  RecordSigned,
  SIGNATURE_MEANINGS,
  SignatureManifest,
  SignatureMeaning,
  SignatureScope,
  Signer,
} from './events';
import { signatureScopeContent } from './signature-scope';

export interface SignCommand {
  signatureId: string;
  meaning: SignatureMeaning;
  scope: SignatureScope;
  /** Who signs: already re-authenticated by password by the caller. */
  signer: Signer;
  /** The patient's stream version the signature is decided against. */
  streamVersion: number;
}

/**
 * Signs a patient's casebook or one visit. The hash function is passed in (SHA-256 on the server),
 * so that this library stays free of I/O and platform modules.
 */
export function decideSignature(
  state: PatientState,
  command: SignCommand,
  ctx: DecisionContext & { digest: (content: string) => string },
): Decision<ReturnType<typeof draftSignatureEvent<'RecordSigned'>>> {
  if (!(SIGNATURE_MEANINGS as readonly string[]).includes(command.meaning)) {
    return reject([{ field: 'meaning', rule: 'one-of', message: `meaning must be one of ${SIGNATURE_MEANINGS.join(', ')}` }]);
  }
  const scoped = signatureScopeContent(state, command.scope, ctx.protocol.schedule, ctx.now, ctx.protocol);
  if (!scoped.ok) return reject(scoped.violations);
  const signedAt = ctx.now.toISOString();
  const signed: RecordSigned = {
    signatureId: command.signatureId,
    meaning: command.meaning,
    scope: command.scope,
    signer: command.signer,
    signedAt,
    signedStreamVersion: command.streamVersion,
    coverage: scoped.content.coverage,
    contentHash: ctx.digest(scoped.content.canonicalContent),
  };
  return accept(draftSignatureEvent('RecordSigned', signedAt, signed));
}

/** Puts the re-authenticated signer's manifest on every event of an accepted decision (freeze, lock, unblinding, code-break). */
export function withSignature<E extends EventDraft>(decision: Decision<E>, signature: SignatureManifest | undefined): Decision<E> {
  if (!decision.ok || signature === undefined) return decision;
  return { ok: true, events: decision.events.map((event) => ({ ...event, data: { ...(event.data as object), signature } })) };
}
