import { AssessmentVisitDefinition, FormCode, labForm, LAB_ANALYTES, NumericRange, ProtocolDefinition } from '@trialstream/domain';
import type { ProtocolFile, ProtocolProblem } from './protocol-file';

const problem = (field: string, rule: string, message: string): ProtocolProblem => ({ field, rule, message });

const rangeProblems = (field: string, range: NumericRange): ProtocolProblem[] =>
  range.min > range.max ? [problem(`${field}.min`, 'min-above-max', `must not exceed max (${range.max})`)] : [];

const unitRangeProblems = (file: ProtocolFile): ProtocolProblem[] =>
  LAB_ANALYTES.flatMap((analyte) =>
    Object.entries(file.units[analyte]).flatMap(([unit, accepted]) => {
      const field = `units.${analyte}["${unit}"]`;
      const canonical = file.units[analyte][accepted.canonical];
      const problems = rangeProblems(`${field}.range`, accepted.range);
      if (!canonical || canonical.canonical !== accepted.canonical || canonical.factor !== 1) {
        problems.push(
          problem(
            `${field}.canonical`,
            'unknown-canonical-unit',
            `'${accepted.canonical}' must itself be an accepted unit of ${analyte}, canonical to itself with factor 1`,
          ),
        );
      }
      return problems;
    }),
  );

/** Stream names are `<trial id>.patient-<id>`: a trial id that reads as a stream name would make them ambiguous. */
const trialIdProblems = (trialId: string): ProtocolProblem[] =>
  /^(patient|site|access|account)-|^trial$|^audit-checkpoints$/.test(trialId)
    ? [problem('trial.id', 'not-a-stream-name', `'${trialId}' reads as a stream name (patient-, site-, access-, account-, trial)`)]
    : [];

/** The design agrees with the blinding, and the arms with the block sizes. */
const designProblems = ({ design, blinding }: ProtocolFile): ProtocolProblem[] => {
  const problems: ProtocolProblem[] = [];
  if (design.kind === 'open-label' && blinding.unblindingRiskAnalytes.length > 0) {
    problems.push(
      problem('blinding.unblindingRiskAnalytes', 'open-label-masks-nothing', 'must be empty: nothing is masked in an open-label trial'),
    );
  }
  if (design.kind === 'double-blind-placebo-controlled') {
    if (design.arms.length < 2) problems.push(problem('design.arms', 'min-two-arms', 'a placebo-controlled trial needs at least two arms'));
    if (!design.arms.some((arm) => arm.placebo))
      problems.push(problem('design.arms', 'placebo-arm-required', 'a placebo-controlled trial needs an arm with placebo: true'));
  }
  const armCodes = new Set<string>();
  design.arms.forEach((arm, index) => {
    if (armCodes.has(arm.code)) problems.push(problem(`design.arms[${index}].code`, 'unique', `'${arm.code}' is used twice`));
    armCodes.add(arm.code);
  });
  const ratioSum = design.arms.reduce((sum, arm) => sum + arm.ratio, 0);
  design.blockSizes.forEach((size, index) => {
    if (size % ratioSum !== 0)
      problems.push(problem(`design.blockSizes[${index}]`, 'multiple-of-ratio', `must be a multiple of the arms' ratio sum (${ratioSum})`));
  });
  return problems;
};

const siteIdPatternProblems = (pattern: string): ProtocolProblem[] => {
  const problems: ProtocolProblem[] = [];
  try {
    new RegExp(pattern);
  } catch {
    problems.push(problem('siteIdPattern', 'regular-expression', 'must be a valid regular expression'));
  }
  if (!pattern.startsWith('^') || !pattern.endsWith('$'))
    problems.push(problem('siteIdPattern', 'anchored', 'must be anchored with ^ and $'));
  return problems;
};

/** Visit names are unique, each visit asks for something, and one of them is the baseline. Also answers where each visit is. */
const visitProblems = (visits: ProtocolFile['visits']): { problems: ProtocolProblem[]; visitIndex: Map<string, number> } => {
  const problems: ProtocolProblem[] = [];
  const visitIndex = new Map<string, number>();
  visits.forEach((visit, index) => {
    if (visitIndex.has(visit.name)) problems.push(problem(`visits[${index}].name`, 'unique', `'${visit.name}' is used twice`));
    else visitIndex.set(visit.name, index);
    if (visit.forms.length === 0 && visit.analytes.length === 0)
      problems.push(problem(`visits[${index}].forms`, 'required', 'a visit requires at least one form or analyte'));
  });
  if (!visitIndex.has('baseline'))
    problems.push(problem('visits', 'baseline-required', "needs a visit named 'baseline' (the pre-treatment baseline)"));
  return { problems, visitIndex };
};

/** One endpoint: read at a visit counted from the first infusion, with a responder rule where its test needs one. */
const endpointProblems = (
  file: ProtocolFile,
  endpoint: ProtocolFile['endpoints'][number],
  field: string,
  visitIndex: ReadonlyMap<string, number>,
): ProtocolProblem[] => {
  const problems: ProtocolProblem[] = [];
  const visit = visitIndex.get(endpoint.visit);
  if (visit === undefined) {
    problems.push(
      problem(
        `${field}.visit`,
        'unknown-visit',
        `'${endpoint.visit}' is not a visit of the protocol (${[...visitIndex.keys()].join(', ')})`,
      ),
    );
  } else if (file.visits[visit].anchor !== 'first-infusion') {
    problems.push(problem(`${field}.visit`, 'anchored-on-first-infusion', 'endpoints are read at visits counted from the first infusion'));
  }
  const needsRule = !['B_CELL_DEPLETION', 'GLOBAL_STATUS'].includes(endpoint.measure);
  if (!needsRule && endpoint.responder)
    problems.push(problem(`${field}.responder`, 'not-applicable', `${endpoint.measure} is a yes/no endpoint: no responder rule`));
  if (endpoint.test === 'fisher-exact' && needsRule && !endpoint.responder) {
    problems.push(problem(`${field}.responder`, 'required', "Fisher's exact test compares responders: a responder rule is required"));
  }
  if (endpoint.missing === 'non-responder' && needsRule && !endpoint.responder) {
    problems.push(
      problem(`${field}.missing`, 'responder-rule-required', 'only a responder endpoint can count a missing value as non-responder'),
    );
  }
  const masked = file.blinding.unblindingRiskAnalytes;
  if (endpoint.measure === 'B_CELL_DEPLETION' && masked.some((analyte) => analyte === 'CD19' || analyte === 'CD20') && endpoint.primary) {
    problems.push(problem(`${field}.measure`, 'masked-primary', 'a masked measure cannot be the primary endpoint of a blinded trial'));
  }
  return problems;
};

/** Endpoint names are unique and at most one endpoint is primary. */
const endpointsProblems = (file: ProtocolFile, visitIndex: ReadonlyMap<string, number>): ProtocolProblem[] => {
  const endpointNames = new Set<string>();
  const problems = file.endpoints.flatMap((endpoint, index) => {
    const field = `endpoints[${index}]`;
    const unique = endpointNames.has(endpoint.name) ? [problem(`${field}.name`, 'unique', `'${endpoint.name}' is used twice`)] : [];
    endpointNames.add(endpoint.name);
    return [...unique, ...endpointProblems(file, endpoint, field, visitIndex)];
  });
  const primaries = file.endpoints.filter((endpoint) => endpoint.primary).length;
  return primaries > 1 ? [...problems, problem('endpoints', 'one-primary', 'at most one endpoint is primary')] : problems;
};

const measureProblems = (file: ProtocolFile): ProtocolProblem[] =>
  Object.entries({ ...file.measures.anthropometry, ...file.measures.neurography, ...file.measures.scores }).flatMap(([group, values]) =>
    rangeProblems(`measures.${group}`, values),
  );

/**
 * Rules that relate parts of the file to each other, checked once the shape is right. Each names
 * the place in the file and the rule.
 */
export const protocolFileProblems = (file: ProtocolFile): ProtocolProblem[] => {
  const visits = visitProblems(file.visits);
  return [
    ...trialIdProblems(file.trial.id),
    ...designProblems(file),
    ...siteIdPatternProblems(file.siteIdPattern),
    ...visits.problems,
    ...endpointsProblems(file, visits.visitIndex),
    ...unitRangeProblems(file),
    ...measureProblems(file),
  ];
};

const formsOf = (visit: ProtocolFile['visits'][number]): FormCode[] => [
  ...visit.analytes.map((analyte) => labForm(analyte)),
  ...visit.forms,
];

/** The visit schedule: assessment visits as the file names them, infusion days from the treatment's cycle. */
const scheduleOf = (file: ProtocolFile): ProtocolDefinition['schedule'] => {
  const { treatment } = file;
  return {
    protocolId: file.trial.id,
    assessmentVisits: file.visits.map((visit): AssessmentVisitDefinition => ({
      visitId: visit.name,
      label: visit.label ?? visit.name,
      anchor: visit.anchor,
      daysAfterAnchor: visit.day,
      window: { daysBefore: visit.window.before, daysAfter: visit.window.after },
      forms: formsOf(visit),
    })),
    firstInfusion: {
      daysAfterRandomization: treatment.firstInfusion.daysAfterRandomization,
      window: { daysBefore: treatment.firstInfusion.window.before, daysAfter: treatment.firstInfusion.window.after },
    },
    infusionDays: Array.from({ length: treatment.infusionsPerCycle }, (_, index) => 1 + index * treatment.intervalDays),
    infusionWindow: { daysBefore: treatment.windowDays, daysAfter: treatment.windowDays },
  };
};

/** Each analyte's accepted units with their ranges, and the conversion of each to its canonical unit. */
const labsOf = (file: ProtocolFile): Pick<ProtocolDefinition, 'labs' | 'unitConversions'> => {
  const acceptedUnits = (analyte: (typeof LAB_ANALYTES)[number]) => Object.entries(file.units[analyte]);
  return {
    labs: Object.fromEntries(
      LAB_ANALYTES.map((analyte) => [
        analyte,
        { units: Object.fromEntries(acceptedUnits(analyte).map(([unit, accepted]) => [unit, accepted.range])) },
      ]),
    ) as ProtocolDefinition['labs'],
    unitConversions: Object.fromEntries(
      LAB_ANALYTES.map((analyte) => [
        analyte,
        Object.fromEntries(acceptedUnits(analyte).map(([unit, accepted]) => [unit, { factor: accepted.factor, unit: accepted.canonical }])),
      ]),
    ) as ProtocolDefinition['unitConversions'],
  };
};

const randomizationOf = ({ design }: ProtocolFile): ProtocolDefinition['randomization'] => ({
  arms: design.arms.map((arm) => ({ code: arm.code, label: arm.label, ratio: arm.ratio, placebo: arm.placebo ?? false })),
  strata: design.strata,
  blockSizes: design.blockSizes,
  ...(design.plannedPatients === undefined ? {} : { plannedPatients: design.plannedPatients }),
});

const endpointsOf = (file: ProtocolFile): ProtocolDefinition['endpoints'] =>
  file.endpoints.map((endpoint) => ({
    name: endpoint.name,
    label: endpoint.label ?? endpoint.name,
    primary: endpoint.primary ?? false,
    measure: endpoint.measure,
    visit: endpoint.visit,
    ...(endpoint.responder ? { responder: { ...endpoint.responder, strict: endpoint.responder.strict ?? false } } : {}),
    population: endpoint.population,
    missing: endpoint.missing,
    test: endpoint.test,
    byDoseLevel: endpoint.byDoseLevel ?? false,
  }));

/** The ProtocolDefinition every module reads, from a file whose shape and rules passed. */
export const toProtocolDefinition = (file: ProtocolFile): ProtocolDefinition => {
  const { treatment, measures } = file;
  const { labs, unitConversions } = labsOf(file);
  return {
    id: file.trial.id,
    title: file.trial.title,
    doseLevelsMgPerM2: treatment.doseLevelsMgPerM2,
    doseTolerance: treatment.deviationThreshold,
    infusionsPerCycle: treatment.infusionsPerCycle,
    infusionIntervalDays: treatment.intervalDays,
    infusionWindowDays: treatment.windowDays,
    maskedAnalytes: file.design.kind === 'open-label' ? [] : file.blinding.unblindingRiskAnalytes,
    limbTemperatureThresholdC: measures.limbTemperatureThresholdC,
    allowedClockSkewMinutes: measures.allowedClockSkewMinutes,
    anthropometry: measures.anthropometry,
    administeredDoseMg: treatment.administeredDoseMg,
    labs,
    neurography: measures.neurography,
    scores: measures.scores,
    design: file.design.kind,
    randomization: randomizationOf(file),
    schedule: scheduleOf(file),
    endpoints: endpointsOf(file),
    siteIdPattern: file.siteIdPattern,
    unitConversions,
  };
};
