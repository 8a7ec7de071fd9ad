import 'reflect-metadata';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { RecordInfusionFields, RecordNeurographyFields } from './clinical-data.dto';

const failedRules = (cls: new () => object, body: object, field: string): string[] =>
  validateSync(plainToInstance(cls, body)).flatMap((error) => (error.property === field ? Object.keys(error.constraints ?? {}) : []));

describe('request limits come from the protocol definition', () => {
  const { anthropometry, administeredDoseMg, neurography } = ANTI_MAG_RITUXIMAB_PROTOCOL;
  const infusion = { doseLevelMgPerM2: 375, administeredDoseMg: 700 };

  it.each([
    ['heightCm', anthropometry.heightCm],
    ['weightKg', anthropometry.weightKg],
    ['administeredDoseMg', administeredDoseMg],
  ])("admits the protocol's %s range and refuses just outside it", (field, range) => {
    expect(failedRules(RecordInfusionFields, { ...infusion, [field]: range.min }, field)).toEqual([]);
    expect(failedRules(RecordInfusionFields, { ...infusion, [field]: range.max }, field)).toEqual([]);
    expect(failedRules(RecordInfusionFields, { ...infusion, [field]: range.min - 1 }, field)).toEqual(['min']);
    expect(failedRules(RecordInfusionFields, { ...infusion, [field]: range.max + 1 }, field)).toEqual(['max']);
  });

  it('refuses a height the protocol refuses (60 cm), which the request once admitted', () => {
    expect(failedRules(RecordInfusionFields, { ...infusion, heightCm: 60 }, 'heightCm')).toEqual(['min']);
  });

  it("bounds the limb temperature by the protocol's range", () => {
    const range = neurography.limbTemperatureC;
    expect(failedRules(RecordNeurographyFields, { limbTemperatureC: range.max + 1, nerves: [] }, 'limbTemperatureC')).toEqual(['max']);
    expect(failedRules(RecordNeurographyFields, { limbTemperatureC: range.min, nerves: [] }, 'limbTemperatureC')).toEqual([]);
  });
});
