import { fieldValueOf } from './field-value';

const study = {
  occurredAt: '2024-02-01',
  data: {
    limbTemperatureC: 31,
    nerves: [
      { nerve: 'ulnar', cmapAmplitudeMv: 6.1 },
      { nerve: 'sural', snapAmplitudeUv: 2 },
    ],
  },
};

describe('the value a queried field names', () => {
  it('reads top-level fields, list items and their fields, and the clinical time', () => {
    expect(fieldValueOf(study, 'limbTemperatureC')).toBe(31);
    expect(fieldValueOf(study, 'nerves[1].snapAmplitudeUv')).toBe(2);
    expect(fieldValueOf(study, 'nerves[0]')).toEqual({ nerve: 'ulnar', cmapAmplitudeMv: 6.1 });
    expect(fieldValueOf(study, 'occurredAt')).toBe('2024-02-01');
  });

  it('is undefined for what the entry no longer has, and for inherited names', () => {
    expect(fieldValueOf(study, 'nerves[5].snapAmplitudeUv')).toBeUndefined();
    expect(fieldValueOf(study, 'nerves.nerve')).toBeUndefined();
    expect(fieldValueOf(study, 'constructor')).toBeUndefined();
    expect(fieldValueOf({ occurredAt: '2024-02-01', data: { analyte: 'CD19', masked: true } }, 'value')).toBeUndefined();
  });
});
