/** Stream and subject naming shared by the write side, the relay and the projections. */

const PATIENT_STREAM_PREFIX = 'patient-';
const SITE_STREAM_PREFIX = 'site-';
const ACCESS_STREAM_PREFIX = 'access-';
const TRIAL_STREAM_NAME = 'trial';

/** A trial id as protocol files spell it (`trial.id`): no dot, so `<trialId>.` ends where it starts. */
const TRIAL_ID = /^[a-z][a-z0-9-]{0,39}$/;

/** The stream kinds that belong to one trial; accounts and log checkpoints belong to the deployment. */
export type TrialStreamKind = 'trial' | 'patient' | 'site' | 'access';

/**
 * How a deployment names its trial's streams. A trial's streams carry its id, `<trialId>.patient-<id>`,
 * so that several trials can later share one store and one broker without renaming anything. The
 * default trial (`trialId` null) is the one of a log begun before stream names carried a trial, or
 * without a protocol file: its streams keep the names they always had (`patient-<id>`, `site-<id>`,
 * `trial`, `access-<userId>`), since every stored event's hash covers its stream id.
 */
export class TrialStreams {
  constructor(readonly trialId: string | null) {
    if (trialId !== null && !TRIAL_ID.test(trialId)) throw new RangeError(`'${trialId}' is not a trial id`);
  }

  private named(name: string): string {
    return this.trialId === null ? name : `${this.trialId}.${name}`;
  }

  /** Trial-level facts: protocol versions, freeze, lock, unblinding. */
  get trial(): string {
    return this.named(TRIAL_STREAM_NAME);
  }

  patient(patientId: string): string {
    return this.named(`${PATIENT_STREAM_PREFIX}${patientId}`);
  }

  site(siteId: string): string {
    return this.named(`${SITE_STREAM_PREFIX}${siteId}`);
  }

  /** A reader's recorded reads of this trial's data. */
  access(userId: string): string {
    return this.named(`${ACCESS_STREAM_PREFIX}${userId}`);
  }
}

/** The default trial's names: those of every log written before stream names carried a trial. */
export const DEFAULT_TRIAL_STREAMS = new TrialStreams(null);

export const patientStreamId = (patientId: string): string => DEFAULT_TRIAL_STREAMS.patient(patientId);
export const siteStreamId = (siteId: string): string => DEFAULT_TRIAL_STREAMS.site(siteId);

export interface TrialStreamName {
  /** null: the default trial (a name without a trial id). */
  trialId: string | null;
  kind: TrialStreamKind;
  /** The patient, site or user id; empty for the trial stream. */
  id: string;
}

const KIND_PREFIXES: ReadonlyArray<[TrialStreamKind, string]> = [
  ['patient', PATIENT_STREAM_PREFIX],
  ['site', SITE_STREAM_PREFIX],
  ['access', ACCESS_STREAM_PREFIX],
];

const kindOf = (name: string): Omit<TrialStreamName, 'trialId'> | undefined => {
  if (name === TRIAL_STREAM_NAME) return { kind: 'trial', id: '' };
  for (const [kind, prefix] of KIND_PREFIXES) {
    if (name.startsWith(prefix) && name.length > prefix.length) return { kind, id: name.slice(prefix.length) };
  }
  return undefined;
};

/**
 * Reads a stream id of either form: `<trialId>.<name>` or, for the default trial, `<name>` alone.
 * Undefined for the deployment's own streams (`account-<userId>`, `audit-checkpoints`) and anything else.
 */
export const parseTrialStreamId = (streamId: string): TrialStreamName | undefined => {
  const dot = streamId.indexOf('.');
  if (dot > 0 && TRIAL_ID.test(streamId.slice(0, dot))) {
    const scoped = kindOf(streamId.slice(dot + 1));
    if (scoped) return { trialId: streamId.slice(0, dot), ...scoped };
  }
  const unscoped = kindOf(streamId);
  return unscoped && { trialId: null, ...unscoped };
};

/** The trial a stream belongs to, as read models key it: its trial id, '' for the default trial (names without one). */
export const trialKeyOfStream = (streamId: string): string => parseTrialStreamId(streamId)?.trialId ?? '';

/** The patient a stream belongs to, whichever trial's form its name has; undefined for other streams. */
export const patientIdOfStream = (streamId: string): string | undefined => {
  const parsed = parseTrialStreamId(streamId);
  return parsed?.kind === 'patient' ? parsed.id : undefined;
};

/** The pseudonymous subject number: the site keeps the log that links it to a person. */
export const patientIdFor = (siteId: string, screeningNumber: string): string => `${siteId}-${screeningNumber}`;
