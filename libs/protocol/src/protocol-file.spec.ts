import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { amendmentProblems, ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { describeProblem, loadProtocolFile, parseProtocolYaml, seedProtocolPath, validateProtocolFile } from '.';

const seed = (name: 'pilot' | 'placebo') => parse(readFileSync(seedProtocolPath(name), 'utf8'));
const problemsOf = (file: unknown) => {
  const result = validateProtocolFile(file);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.problems;
};
const definitionOf = (file: unknown) => {
  const result = validateProtocolFile(file);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.definition;
};

describe('protocol files', () => {
  it('loads both seed trials and the placebo-controlled one carries the rules the platform enforced as literals', () => {
    const placebo = loadProtocolFile(seedProtocolPath('placebo'));
    const pilot = loadProtocolFile(seedProtocolPath('pilot'));
    if (!placebo.ok || !pilot.ok) throw new Error('seed protocols must load');
    const { definition } = placebo;
    for (const key of [
      'doseTolerance',
      'infusionsPerCycle',
      'infusionIntervalDays',
      'infusionWindowDays',
      'maskedAnalytes',
      'limbTemperatureThresholdC',
      'allowedClockSkewMinutes',
      'anthropometry',
      'administeredDoseMg',
      'neurography',
      'scores',
    ] as const) {
      expect(definition[key]).toEqual(ANTI_MAG_RITUXIMAB_PROTOCOL[key]);
    }
    expect(definition.labs.IGM).toEqual(ANTI_MAG_RITUXIMAB_PROTOCOL.labs.IGM);
    expect(definition.schedule.infusionDays).toEqual([1, 8, 15, 22]);
    expect(definition.schedule.assessmentVisits.find((visit) => visit.visitId === 'month-8')).toMatchObject({
      anchor: 'first-infusion',
      daysAfterAnchor: 240,
      window: { daysBefore: 14, daysAfter: 14 },
    });
    expect(definition.endpoints.find((endpoint) => endpoint.primary)).toMatchObject({
      name: 'incat-leg-responders',
      measure: 'INCAT_LEGS',
      visit: 'month-8',
      test: 'fisher-exact',
      responder: { direction: 'decrease', by: 1, scale: 'points', strict: false },
    });
    expect(pilot.definition).toMatchObject({ design: 'open-label', maskedAnalytes: [], doseLevelsMgPerM2: [375, 750] });
    expect(new RegExp(pilot.definition.siteIdPattern).test('SITE-A')).toBe(true);
    expect(new RegExp(definition.siteIdPattern).test('SITE-A')).toBe(false);
    expect(pilot.definition.unitConversions.CD19['10*6/L']).toEqual({ factor: 1, unit: 'cells/µL' });
  });

  it('names the place in the file and the rule of a shape error', () => {
    const file = seed('placebo');
    file.visits[3].window.before = -1;
    delete file.trial.title;
    file.visits[0].colour = 'blue';
    file.design.kind = 'single-blind';
    const problems = problemsOf(file);
    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'visits[3].window.before', rule: 'minimum', message: 'must be >= 0' },
        { field: 'trial.title', rule: 'required', message: 'is required' },
        { field: 'visits[0].colour', rule: 'unknown-field', message: 'is not a field of a protocol file' },
        expect.objectContaining({ field: 'design.kind', rule: 'not-one-of' }),
      ]),
    );
  });

  it('refuses an endpoint naming an unknown visit, naming the field', () => {
    const file = seed('placebo');
    file.endpoints[0].visit = 'month-7';
    const problems = problemsOf(file);
    expect(problems).toEqual([expect.objectContaining({ field: 'endpoints[0].visit', rule: 'unknown-visit' })]);
    expect(describeProblem(problems[0])).toMatch(/^endpoints\[0\]\.visit: 'month-7' is not a visit of the protocol/);
  });

  it('refuses masked analytes in an open-label trial, a placebo trial without placebo arm, duplicate visits, a bad site pattern and a trial id that reads as a stream name', () => {
    const pilot = seed('pilot');
    pilot.blinding.unblindingRiskAnalytes = ['CD19'];
    pilot.visits[3].name = 'month-3';
    pilot.siteIdPattern = '^[A-Z';
    pilot.trial.id = 'patient-pilot';
    const placebo = seed('placebo');
    delete placebo.design.arms[1].placebo;
    placebo.design.blockSizes = [3];
    placebo.units.IGM['mg/dL'].canonical = 'mg/dL';
    expect(problemsOf(pilot).map((p) => `${p.field} ${p.rule}`)).toEqual(
      expect.arrayContaining([
        'blinding.unblindingRiskAnalytes open-label-masks-nothing',
        'visits[3].name unique',
        'siteIdPattern regular-expression',
        'trial.id not-a-stream-name',
      ]),
    );
    expect(problemsOf(placebo).map((p) => `${p.field} ${p.rule}`)).toEqual([
      'design.arms placebo-arm-required',
      'design.blockSizes[0] multiple-of-ratio',
      'units.IGM["mg/dL"].canonical unknown-canonical-unit',
    ]);
  });

  it('reports a YAML syntax error with its line', () => {
    const result = parseProtocolYaml('trial:\n  id: x\n   title: [');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ field: '(file)', rule: 'yaml-syntax', message: expect.stringMatching(/line \d/) });
  });

  it('accepts an amendment that adds a visit and moves a window, refuses one that drops or re-anchors a visit with data, changes arms or changes what is masked', () => {
    const current = definitionOf(seed('placebo'));
    const amended = seed('placebo');
    amended.visits.push({
      name: 'month-12',
      anchor: 'first-infusion',
      day: 364,
      window: { before: 14, after: 14 },
      forms: ['clinical-assessment'],
      analytes: [],
    });
    amended.visits[5].window.after = 21;
    expect(amendmentProblems(current, definitionOf(amended))).toEqual([]);

    const bad = seed('placebo');
    bad.visits = bad.visits.filter((visit: { name: string }) => visit.name !== 'month-6');
    bad.visits[1].anchor = 'randomization';
    bad.design.arms[0].ratio = 2;
    bad.design.blockSizes = [3];
    bad.blinding.unblindingRiskAnalytes = ['CD20'];
    expect(amendmentProblems(current, definitionOf(bad)).map((p) => `${p.field} ${p.rule}`)).toEqual([
      'design.arms arms-unchanged',
      'blinding.unblindingRiskAnalytes masked-analytes-unchanged',
      'visits[1].anchor anchor-unchanged',
      'visits visit-kept',
    ]);
  });

  it('round-trips: the seed files stay valid YAML documents of the schema', () => {
    expect(parseProtocolYaml(stringify(seed('pilot'))).ok).toBe(true);
  });
});
