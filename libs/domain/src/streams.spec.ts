import {
  DEFAULT_TRIAL_STREAMS,
  parseTrialStreamId,
  patientIdFor,
  patientIdOfStream,
  patientStreamId,
  siteStreamId,
  TrialStreams,
} from './streams';

describe('stream and subject naming', () => {
  it('names the default trial streams as every log before trial ids named them', () => {
    expect(patientStreamId('ZH01-007')).toBe('patient-ZH01-007');
    expect(siteStreamId('ZH01')).toBe('site-ZH01');
    expect(DEFAULT_TRIAL_STREAMS.trial).toBe('trial');
    expect(DEFAULT_TRIAL_STREAMS.access('u-1')).toBe('access-u-1');
  });

  it("puts a trial's id in front of each of its stream names", () => {
    const rct = new TrialStreams('anti-mag-rituximab-rct');
    expect([rct.trial, rct.patient('ZH01-007'), rct.site('ZH01'), rct.access('u-1')]).toEqual([
      'anti-mag-rituximab-rct.trial',
      'anti-mag-rituximab-rct.patient-ZH01-007',
      'anti-mag-rituximab-rct.site-ZH01',
      'anti-mag-rituximab-rct.access-u-1',
    ]);
  });

  it('refuses a trial id that a stream name could not carry', () => {
    expect(() => new TrialStreams('Trial.One')).toThrow(RangeError);
    expect(() => new TrialStreams('')).toThrow(RangeError);
  });

  it('reads both forms back: an unscoped name is the default trial', () => {
    expect(parseTrialStreamId('anti-mag-rituximab-pilot.patient-SITE-A-01')).toEqual({
      trialId: 'anti-mag-rituximab-pilot',
      kind: 'patient',
      id: 'SITE-A-01',
    });
    expect(parseTrialStreamId('patient-SITE-A-01')).toEqual({ trialId: null, kind: 'patient', id: 'SITE-A-01' });
    expect(parseTrialStreamId('rct.trial')).toEqual({ trialId: 'rct', kind: 'trial', id: '' });
    expect(parseTrialStreamId('trial')).toEqual({ trialId: null, kind: 'trial', id: '' });
    expect(parseTrialStreamId('rct.site-S01')).toEqual({ trialId: 'rct', kind: 'site', id: 'S01' });
    // a dot inside a default trial's id is not a trial id: site ids may allow dots
    expect(parseTrialStreamId('patient-S.1-01')).toEqual({ trialId: null, kind: 'patient', id: 'S.1-01' });
  });

  it("leaves the deployment's own streams and unknown names out", () => {
    expect(parseTrialStreamId('account-u-1')).toBeUndefined();
    expect(parseTrialStreamId('audit-checkpoints')).toBeUndefined();
    expect(parseTrialStreamId('rct.account-u-1')).toBeUndefined();
    expect(parseTrialStreamId('patient-')).toBeUndefined();
  });

  it('finds the patient of a patient stream of either form, and none of other streams', () => {
    expect(patientIdOfStream('patient-ZH01-007')).toBe('ZH01-007');
    expect(patientIdOfStream('rct.patient-ZH01-007')).toBe('ZH01-007');
    expect(patientIdOfStream('rct.site-ZH01')).toBeUndefined();
    expect(patientIdOfStream('trial')).toBeUndefined();
  });

  it('makes the pseudonymous subject number from site and screening number', () => {
    expect(patientIdFor('ZH01', '007')).toBe('ZH01-007');
  });
});
