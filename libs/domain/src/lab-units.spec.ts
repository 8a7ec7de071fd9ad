import { conversionProblems, labConversionsOf, type LabConversions } from './lab-units';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from './protocol';

const builtIn = ANTI_MAG_RITUXIMAB_PROTOCOL.unitConversions;
const withIgm = (units: LabConversions['IGM']): LabConversions => ({ ...builtIn, IGM: units });

describe('lab unit conversions of the protocol versions', () => {
  it('reads every unit any version accepted, each as it was accepted', () => {
    const first = withIgm({ 'g/L': { factor: 1, unit: 'g/L' } });
    const amendment = withIgm({ 'g/L': { factor: 1, unit: 'g/L' }, 'mg/dL': { factor: 0.01, unit: 'g/L' } });
    expect(labConversionsOf([]).IGM).toEqual({});
    expect(labConversionsOf([{ unitConversions: first }]).IGM).toEqual({ 'g/L': { factor: 1, unit: 'g/L' } });
    expect(labConversionsOf([{ unitConversions: first }, { unitConversions: amendment }]).IGM).toEqual(amendment.IGM);
  });

  it('lets a version add a unit or stop accepting one, never read a unit otherwise', () => {
    expect(conversionProblems(builtIn, withIgm({ ...builtIn.IGM, 'µmol/L': { factor: 0.97, unit: 'g/L' } }))).toEqual([]);
    expect(conversionProblems(builtIn, withIgm({ 'g/L': { factor: 1, unit: 'g/L' } }))).toEqual([]);
    expect(conversionProblems(builtIn, withIgm({ ...builtIn.IGM, 'mg/dL': { factor: 0.1, unit: 'g/L' } }))).toEqual([
      expect.objectContaining({ field: 'units.IGM["mg/dL"]', rule: 'conversion-kept' }),
    ]);
    expect(
      conversionProblems(builtIn, withIgm({ 'mg/dL': { factor: 1, unit: 'mg/dL' }, 'g/L': { factor: 100, unit: 'mg/dL' } })).map(
        (problem) => problem.field,
      ),
    ).toEqual(['units.IGM["g/L"]', 'units.IGM["mg/dL"]']);
  });
});
