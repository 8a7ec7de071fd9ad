import { ENDPOINT_MEASURES, LAB_ANALYTES } from '@trialstream/domain';

/**
 * The JSON Schema (draft 2020-12 subset, checked by ajv) of a protocol file. It fixes the shape;
 * rules that relate parts of the file to each other (an endpoint's visit exists, nothing is masked
 * in an open-label trial, ...) are checked after it, in protocol-rules.ts.
 */
const nonNegative = { type: 'integer', minimum: 0 } as const;
const positive = { type: 'number', exclusiveMinimum: 0 } as const;
const name = { type: 'string', pattern: '^[a-z][a-z0-9-]{0,39}$' } as const;
const label = { type: 'string', minLength: 1, maxLength: 200 } as const;

const range = {
  type: 'object',
  additionalProperties: false,
  required: ['min', 'max'],
  properties: {
    min: { type: 'number' },
    max: { type: 'number' },
    minExclusive: { type: 'boolean' },
    integer: { type: 'boolean' },
  },
} as const;

const window = {
  type: 'object',
  additionalProperties: false,
  required: ['before', 'after'],
  properties: { before: nonNegative, after: nonNegative },
} as const;

const ranges = (keys: readonly string[]) => ({
  type: 'object',
  additionalProperties: false,
  required: keys,
  properties: Object.fromEntries(keys.map((key) => [key, range])),
});

export const PROTOCOL_FILE_SCHEMA = {
  $id: 'https://trialstream.example/protocol.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['trial', 'design', 'blinding', 'treatment', 'visits', 'endpoints', 'units', 'measures', 'siteIdPattern'],
  properties: {
    trial: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'title'],
      properties: { id: name, title: label },
    },
    design: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'arms', 'strata', 'blockSizes'],
      properties: {
        kind: { enum: ['open-label', 'double-blind-placebo-controlled'] },
        arms: {
          type: 'array',
          minItems: 1,
          maxItems: 6,
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['code', 'label', 'ratio'],
            properties: { code: name, label, ratio: { type: 'integer', minimum: 1, maximum: 10 }, placebo: { type: 'boolean' } },
          },
        },
        strata: { type: 'array', uniqueItems: true, items: { enum: ['site'] } },
        blockSizes: { type: 'array', minItems: 1, uniqueItems: true, items: { type: 'integer', minimum: 1, maximum: 100 } },
        plannedPatients: { type: 'integer', minimum: 1 },
      },
    },
    blinding: {
      type: 'object',
      additionalProperties: false,
      required: ['unblindingRiskAnalytes'],
      properties: { unblindingRiskAnalytes: { type: 'array', uniqueItems: true, items: { enum: LAB_ANALYTES } } },
    },
    treatment: {
      type: 'object',
      additionalProperties: false,
      required: [
        'doseLevelsMgPerM2',
        'infusionsPerCycle',
        'intervalDays',
        'windowDays',
        'deviationThreshold',
        'firstInfusion',
        'administeredDoseMg',
      ],
      properties: {
        doseLevelsMgPerM2: { type: 'array', minItems: 1, uniqueItems: true, items: positive },
        infusionsPerCycle: { type: 'integer', minimum: 1, maximum: 52 },
        intervalDays: { type: 'integer', minimum: 1, maximum: 365 },
        windowDays: nonNegative,
        deviationThreshold: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
        firstInfusion: {
          type: 'object',
          additionalProperties: false,
          required: ['daysAfterRandomization', 'window'],
          properties: { daysAfterRandomization: nonNegative, window },
        },
        administeredDoseMg: range,
      },
    },
    visits: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'anchor', 'day', 'window', 'forms', 'analytes'],
        properties: {
          name,
          label,
          anchor: { enum: ['consent', 'randomization', 'first-infusion'] },
          day: { type: 'integer', minimum: -365, maximum: 3650 },
          window,
          forms: { type: 'array', uniqueItems: true, items: { enum: ['neurography', 'clinical-assessment'] } },
          analytes: { type: 'array', uniqueItems: true, items: { enum: LAB_ANALYTES } },
        },
      },
    },
    endpoints: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'measure', 'visit', 'population', 'missing', 'test'],
        properties: {
          name,
          label,
          primary: { type: 'boolean' },
          measure: { enum: ENDPOINT_MEASURES },
          visit: name,
          responder: {
            type: 'object',
            additionalProperties: false,
            required: ['direction', 'by', 'scale'],
            properties: {
              direction: { enum: ['decrease', 'increase'] },
              by: positive,
              scale: { enum: ['points', 'percent'] },
              strict: { type: 'boolean' },
            },
          },
          population: { enum: ['randomized', 'treated'] },
          missing: { enum: ['non-responder', 'exclude'] },
          test: { enum: ['fisher-exact', 'welch-mean-difference', 'none'] },
          byDoseLevel: { type: 'boolean' },
        },
      },
    },
    units: {
      type: 'object',
      additionalProperties: false,
      required: LAB_ANALYTES,
      properties: Object.fromEntries(
        LAB_ANALYTES.map((analyte) => [
          analyte,
          {
            type: 'object',
            minProperties: 1,
            propertyNames: { minLength: 1, maxLength: 20 },
            additionalProperties: {
              type: 'object',
              additionalProperties: false,
              required: ['canonical', 'factor', 'range'],
              properties: { canonical: { type: 'string', minLength: 1 }, factor: positive, range },
            },
          },
        ]),
      ),
    },
    measures: {
      type: 'object',
      additionalProperties: false,
      required: ['limbTemperatureThresholdC', 'allowedClockSkewMinutes', 'anthropometry', 'neurography', 'scores'],
      properties: {
        limbTemperatureThresholdC: { type: 'number' },
        allowedClockSkewMinutes: nonNegative,
        anthropometry: ranges(['heightCm', 'weightKg']),
        neurography: ranges([
          'limbTemperatureC',
          'motorConductionVelocityMs',
          'distalMotorLatencyMs',
          'cmapAmplitudeMv',
          'snapAmplitudeUv',
          'fWaveLatencyMs',
          'distalDistanceMm',
        ]),
        scores: ranges(['incatArms', 'incatLegs', 'sensorySumScore', 'mrcSumScore', 'tenMetreWalkSeconds']),
      },
    },
    siteIdPattern: { type: 'string', minLength: 2, maxLength: 200 },
  },
} as const;
