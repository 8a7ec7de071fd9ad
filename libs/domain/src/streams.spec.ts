import { patientIdFor, patientStreamId, siteStreamId } from './streams';

describe('stream and subject naming', () => {
  it('names a patient stream and a site stream', () => {
    expect(patientStreamId('ZH01-007')).toBe('patient-ZH01-007');
    expect(siteStreamId('ZH01')).toBe('site-ZH01');
  });

  it('makes the pseudonymous subject number from site and screening number', () => {
    expect(patientIdFor('ZH01', '007')).toBe('ZH01-007');
  });
});
