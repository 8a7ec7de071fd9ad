import { parseCalendarDate } from '../clinical-time';
import { EventDraft } from '../envelope';
import { conversionProblems, type LabConversions } from '../lab-units';
import type { LabAnalyte } from '../events/lab';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, type ProtocolDefinition } from '../protocol';
import { accept, Decision, reject, RuleViolation } from '../rule-violation';
import { draftTrialEvent, ProtocolActivated } from './events';

/** A version of the protocol as the trial stream holds it. */
export interface ProtocolVersion {
  version: number;
  effectiveFrom: string;
  sourceSha256: string;
  definition: ProtocolDefinition;
}

/** The versions on the trial stream, in order. */
export const protocolVersionsFrom = (events: Iterable<{ type: string; data: unknown }>): ProtocolVersion[] => {
  const versions: ProtocolVersion[] = [];
  for (const event of events) {
    if (event.type !== 'ProtocolActivated') continue;
    const { version, effectiveFrom, sourceSha256, definition } = event.data as ProtocolActivated;
    versions.push({ version, effectiveFrom, sourceSha256, definition });
  }
  return versions;
};

/**
 * The version in force on a date (YYYY-MM-DD): the latest whose effective date is on or before it.
 * Data dated before the first version are judged by the first (the protocol precedes its trial).
 */
export const protocolInForce = (versions: readonly ProtocolVersion[], date: string): ProtocolVersion | undefined => {
  let inForce: ProtocolVersion | undefined = versions[0];
  for (const version of versions) if (version.effectiveFrom <= date) inForce = version;
  return inForce;
};

export type ProtocolViolation = RuleViolation;

const maskingKey = (analytes: readonly string[]): string => [...analytes].sort().join(', ');

/**
 * The analytes a trial masks for blinded readers. Amendments keep them (amendmentProblems), so the
 * first version says it for the whole trial; before any version, the built-in protocol's, which for
 * this protocol family is the safe side (a patient's data never precede their trial's protocol).
 */
export const trialMaskedAnalytes = (versions: readonly Pick<ProtocolVersion, 'definition'>[]): readonly LabAnalyte[] =>
  versions[0]?.definition.maskedAnalytes ?? ANTI_MAG_RITUXIMAB_PROTOCOL.maskedAnalytes;

/**
 * An amendment is a new version of the same trial. It may add visits, endpoints, dose levels or
 * move windows, but not re-label data already collected: the trial id, the design, the arms and
 * each existing visit's name and anchor stay, no dose level in use disappears, and each accepted
 * unit keeps its conversion.
 */
export const amendmentProblems = (current: ProtocolDefinition, next: ProtocolDefinition): ProtocolViolation[] => {
  const problems: ProtocolViolation[] = [];
  const add = (field: string, rule: string, message: string) => problems.push({ field, rule, message });
  if (current.id !== next.id) add('trial.id', 'same-trial', `an amendment keeps the trial id '${current.id}'`);
  if (current.design !== next.design) add('design.kind', 'design-unchanged', `an amendment keeps the design '${current.design}'`);
  const arms = (p: ProtocolDefinition) => p.randomization.arms.map((arm) => `${arm.code}:${arm.ratio}`).join(',');
  if (arms(current) !== arms(next))
    add('design.arms', 'arms-unchanged', 'an amendment keeps the arms and their ratio (patients are already allocated)');
  if (maskingKey(current.maskedAnalytes) !== maskingKey(next.maskedAnalytes))
    add(
      'blinding.unblindingRiskAnalytes',
      'masked-analytes-unchanged',
      `an amendment keeps the masked analytes (${maskingKey(current.maskedAnalytes) || 'none'}): values already collected were hidden, or shown, and signed by them`,
    );
  for (const level of current.doseLevelsMgPerM2) {
    if (!next.doseLevelsMgPerM2.includes(level))
      add('treatment.doseLevelsMgPerM2', 'dose-level-kept', `dose level ${level} mg/m² is in use and must stay`);
  }
  const nextVisits = new Map(next.schedule.assessmentVisits.map((visit, index) => [visit.visitId, { visit, index }]));
  for (const visit of current.schedule.assessmentVisits) {
    const kept = nextVisits.get(visit.visitId);
    if (!kept) add('visits', 'visit-kept', `visit '${visit.visitId}' names data already collected and must stay`);
    else if (kept.visit.anchor !== visit.anchor)
      add(`visits[${kept.index}].anchor`, 'anchor-unchanged', `visit '${visit.visitId}' keeps its anchor '${visit.anchor}'`);
  }
  problems.push(...conversionProblems(current.unitConversions, next.unitConversions));
  return problems;
};

export interface ProtocolActivationCommand {
  definition: ProtocolDefinition;
  effectiveFrom: string;
  sourceSha256: string;
  /**
   * How data logged before the first version were read (the default trial's built-in protocol): a
   * first version keeps those unit conversions, as an amendment keeps its predecessor's.
   */
  readBefore?: LabConversions;
}

/**
 * Loads a protocol version. The first version may take any effective date; an amendment must keep
 * what data already depend on (amendmentProblems), may not take effect before the version it
 * replaces, and must change something.
 */
export const decideProtocolActivation = (
  versions: readonly ProtocolVersion[],
  command: ProtocolActivationCommand,
  occurredAt: string,
): Decision<EventDraft<'ProtocolActivated', ProtocolActivated>> => {
  const problems: ProtocolViolation[] = [];
  if (parseCalendarDate(command.effectiveFrom) === null) {
    problems.push({ field: 'effectiveFrom', rule: 'invalid-date', message: 'effectiveFrom must be a date YYYY-MM-DD' });
  }
  const current = versions[versions.length - 1];
  if (!current && command.readBefore) problems.push(...conversionProblems(command.readBefore, command.definition.unitConversions));
  if (current) {
    problems.push(...amendmentProblems(current.definition, command.definition));
    if (command.effectiveFrom < current.effectiveFrom) {
      problems.push({
        field: 'effectiveFrom',
        rule: 'not-before-current-version',
        message: `an amendment takes effect on or after version ${current.version} (${current.effectiveFrom}): data already judged stay judged`,
      });
    }
    if (current.sourceSha256 === command.sourceSha256) {
      problems.push({ field: 'file', rule: 'unchanged', message: `the file is version ${current.version} already` });
    }
  }
  if (problems.length > 0) return reject(problems);
  return accept(
    draftTrialEvent('ProtocolActivated', occurredAt, {
      protocolId: command.definition.id,
      version: (current?.version ?? 0) + 1,
      effectiveFrom: command.effectiveFrom,
      sourceSha256: command.sourceSha256,
      definition: command.definition,
    }),
  );
};
