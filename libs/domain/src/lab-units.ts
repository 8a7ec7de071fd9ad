import { LAB_ANALYTES, type LabAnalyte } from './events/lab';
import { ANTI_MAG_RITUXIMAB_PROTOCOL, type ProtocolDefinition } from './protocol';
import type { RuleViolation } from './rule-violation';

/** Per analyte, each accepted unit with its canonical unit and the factor to it (the protocol file's `units`). */
export type LabConversions = ProtocolDefinition['unitConversions'];

/**
 * The conversions a trial's data are read with: those of every protocol version it logged. An amendment
 * may add units but keeps each unit's canonical unit and factor (`conversionProblems`), so the versions
 * never disagree and the union converts every value as the version that accepted it would.
 */
export const labConversionsOf = (definitions: Iterable<Pick<ProtocolDefinition, 'unitConversions'>>): LabConversions => {
  const merged: Record<LabAnalyte, Record<string, { factor: number; unit: string }>> = { IGM: {}, ANTI_MAG: {}, CD19: {}, CD20: {} };
  for (const definition of definitions) {
    for (const analyte of LAB_ANALYTES) {
      for (const [unit, conversion] of Object.entries(definition.unitConversions[analyte] ?? {})) merged[analyte][unit] ??= conversion;
    }
  }
  return merged;
};

/** The conversion of one reported unit, if the protocol knows it. */
export const conversionOf = (conversions: LabConversions, analyte: LabAnalyte, unit: string) =>
  Object.prototype.hasOwnProperty.call(conversions[analyte] ?? {}, unit) ? conversions[analyte][unit] : undefined;

/**
 * Units whose reading `next` would change: a unit `earlier` accepted must keep its canonical unit and
 * factor, since data in it were read that way (a file may add units or stop accepting one).
 */
export const conversionProblems = (earlier: LabConversions, next: LabConversions): RuleViolation[] =>
  LAB_ANALYTES.flatMap((analyte) =>
    Object.entries(earlier[analyte] ?? {}).flatMap(([unit, before]) => {
      const after = conversionOf(next, analyte, unit);
      if (!after || (after.factor === before.factor && after.unit === before.unit)) return [];
      return [
        {
          field: `units.${analyte}["${unit}"]`,
          rule: 'conversion-kept',
          message: `${analyte} in ${unit} is read as ${before.unit} × ${before.factor}: data already judged keep that reading`,
        },
      ];
    }),
  );

/**
 * What a trial's data were read with before it logged a protocol version: the default trial (stream
 * names without a trial id: logs begun without a protocol file) was run by the built-in first
 * protocol, and its first version keeps those readings; a trial with an id starts from its file.
 */
export const labConversionsBeforeVersions = (trialId: string | null): LabConversions =>
  labConversionsOf(trialId === null ? [ANTI_MAG_RITUXIMAB_PROTOCOL] : []);
