import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  isAllocationRevealing,
  protocolVersionsFrom,
  trialMaskedAnalytes,
  upcastStoredEvent,
  type EventEnvelope,
  type ProtocolDefinition,
  type ProtocolVersion,
} from '@trialstream/domain';
import type { FieldKeyring } from './keyring';

/**
 * Field encryption of the values a protocol marks as unblinding-risk (its masked analytes), for transport
 * (Kafka). A sealed lab result keeps only its analyte in clear; value, unit, qualifier and specimen go into
 * one AES-256-GCM token bound to the event id, padded to a fixed size so that its length says nothing.
 */
const TOKEN_PREFIX = 'fc1';
/** Every lab payload of a masked analyte fits one block; the token length is then the same for all. */
const PAD_BLOCK = 512;
const IV_BYTES = 12;
const TAG_BYTES = 16;

type Fields = Record<string, unknown>;

export class SealedFieldError extends Error {}

function pad(plaintext: Buffer): Buffer {
  const length = Math.ceil((plaintext.length + 2) / PAD_BLOCK) * PAD_BLOCK;
  const padded = Buffer.alloc(length);
  padded.writeUInt16BE(plaintext.length, 0);
  plaintext.copy(padded, 2);
  return padded;
}

function seal(fields: Fields, eventId: string, keyring: FieldKeyring): string {
  const key = keyring.keys.get(keyring.currentId)!;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(eventId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(pad(Buffer.from(JSON.stringify(fields), 'utf8'))), cipher.final()]);
  const token = Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString('base64url');
  return `${TOKEN_PREFIX}.${keyring.currentId}.${token}`;
}

function open(token: string, eventId: string, keyring: FieldKeyring): Fields {
  const [prefix, keyId, body] = token.split('.');
  if (prefix !== TOKEN_PREFIX || !keyId || !body) throw new SealedFieldError('sealed field: not a field token');
  const key = keyring.keys.get(keyId);
  if (!key) throw new SealedFieldError(`sealed field: no key ${keyId} in FIELD_KEYS`);
  const bytes = Buffer.from(body, 'base64url');
  const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(eventId, 'utf8'));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  let padded: Buffer;
  try {
    padded = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new SealedFieldError(`sealed field: does not open with key ${keyId} (altered, or sealed for another event)`);
  }
  return JSON.parse(padded.subarray(2, 2 + padded.readUInt16BE(0)).toString('utf8')) as Fields;
}

/** The only event types sealing reads (a trial's versions) or changes (lab payloads). */
export const SEALER_EVENT_TYPES: ReadonlySet<string> = new Set(['ProtocolActivated', 'LabResulted', 'EntryCorrected']);

/** The lab payload of the event, wherever its type keeps it, and a way to put a replacement there. */
function labPayloadOf(event: EventEnvelope): { lab: Fields; withLab: (lab: Fields) => unknown } | null {
  if (!SEALER_EVENT_TYPES.has(event.type)) return null;
  const data = event.data as Fields;
  if (event.type === 'LabResulted') return { lab: data, withLab: (lab) => lab };
  if (event.type === 'EntryCorrected' && typeof data?.data === 'object' && data.data !== null) {
    return { lab: data.data as Fields, withLab: (lab) => ({ ...data, data: lab }) };
  }
  return null;
}

/** The event with its masked values sealed; every other event as it is. */
export function sealMaskedFields(
  event: EventEnvelope,
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
  keyring: FieldKeyring,
): EventEnvelope {
  if (!isAllocationRevealing(protocol, event)) return event;
  const payload = labPayloadOf(event);
  if (!payload) return event;
  const { analyte, ...hidden } = payload.lab;
  return { ...event, data: payload.withLab({ analyte, sealed: seal(hidden, event.eventId, keyring) }) };
}

/**
 * The event as this reader may have it: sealed values opened with the keyring, or, without one (a blinded
 * side such as monitoring), replaced by the same placeholder a blinded reader gets (`{ analyte, masked: true }`).
 * Throws SealedFieldError for a token no key of the keyring opens.
 */
export function openMaskedFields(event: EventEnvelope, keyring: FieldKeyring | null): EventEnvelope {
  const payload = labPayloadOf(event);
  if (!payload || typeof payload.lab.sealed !== 'string') return event;
  const { analyte, sealed } = payload.lab;
  const lab = keyring ? { analyte, ...open(sealed, event.eventId, keyring) } : { analyte, masked: true };
  return { ...event, data: payload.withLab(lab) };
}

/**
 * Seals by the trial's masking (`trialMaskedAnalytes`, the same as monitoring masks by) as the log states it:
 * the trial stream's versions when the sealer was made, and every `ProtocolActivated` of that stream that passes
 * through it later. The relay and the store feeds seal in log order, so a version logged by another process is
 * known before any data logged after it; the protocol a process was started with (in a relay of its own, the
 * built-in one) plays no part.
 */
export class TrialFieldSealer {
  /** Events of other types pass through seal unread and unchanged: a publisher may send them as they are. */
  readonly eventTypes = SEALER_EVENT_TYPES;
  private readonly versions = new Map<number, ProtocolVersion>();
  private masking: Pick<ProtocolDefinition, 'maskedAnalytes'>;

  constructor(
    private readonly trialStreamId: string,
    versions: readonly ProtocolVersion[],
    private readonly keyring: FieldKeyring,
  ) {
    this.masking = this.learn(versions);
  }

  readonly seal = (event: EventEnvelope): EventEnvelope => {
    this.observe(event);
    return sealMaskedFields(event, this.masking, this.keyring);
  };

  /** Learns a version of the trial from an event read otherwise (from Kafka, where the relay sealed it). */
  readonly observe = (event: EventEnvelope): void => {
    if (event.type !== 'ProtocolActivated' || event.streamId !== this.trialStreamId) return;
    const { data } = upcastStoredEvent(event.type, event.schemaVersion, event.data);
    this.masking = this.learn(protocolVersionsFrom([{ type: event.type, data }]));
  };

  /** A republished page passes again: a version counts once. */
  private learn(versions: readonly ProtocolVersion[]): Pick<ProtocolDefinition, 'maskedAnalytes'> {
    for (const version of versions) this.versions.set(version.version, version);
    const inOrder = [...this.versions.values()].sort((a, b) => a.version - b.version);
    return { maskedAnalytes: trialMaskedAnalytes(inOrder) };
  }
}
