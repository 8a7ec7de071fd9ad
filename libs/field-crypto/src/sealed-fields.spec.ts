import {
  ANTI_MAG_RITUXIMAB_PROTOCOL,
  DEFAULT_TRIAL_STREAMS,
  EVENT_TYPES,
  redactForBlindedReader,
  TrialStreams,
  type EventEnvelope,
  type ProtocolDefinition,
} from '@trialstream/domain';
import { anEnvelope, protocolVersion } from '@trialstream/domain/testing';
import { randomUUID } from 'node:crypto';
import { protocolVersionsFrom } from '@trialstream/domain';
import { newFieldKeyEntry, parseFieldKeys } from './keyring';
import { openMaskedFields, sealMaskedFields, SealedFieldError, TrialFieldSealer } from './sealed-fields';

const protocol = ANTI_MAG_RITUXIMAB_PROTOCOL;
const lab = (data: object, eventId = '5f1b7a4e-8d0c-4a53-9a57-3f0c1c4d2b10'): EventEnvelope =>
  ({ ...anEnvelope(), eventId, type: 'LabResulted', data }) as EventEnvelope;

describe('sealed masked fields', () => {
  const k1 = newFieldKeyEntry('k1');
  const keyring = parseFieldKeys(k1);

  it('seals every value of a masked analyte, keeping only the analyte in clear, and opens it again with the key', () => {
    const event = lab({ analyte: 'CD19', value: 187.25, unit: 'cells/µL', qualifier: '=', specimenId: 'S-19' });
    const sealed = sealMaskedFields(event, protocol, keyring);
    // The envelope compared whole rather than its text searched for the values: a random token may spell "187".
    expect(sealed).toEqual({ ...event, data: { analyte: 'CD19', sealed: expect.stringMatching(/^fc1\.k1\.[\w-]+$/) } });
    expect(openMaskedFields(sealed, keyring).data).toEqual(event.data);
  });

  it('leaves analytes that reveal nothing, and other events, as they are', () => {
    const igm = lab({ analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' });
    expect(sealMaskedFields(igm, protocol, keyring)).toBe(igm);
  });

  it('reads and changes no event outside its types, whatever its payload looks like', () => {
    const sealer = new TrialFieldSealer(DEFAULT_TRIAL_STREAMS.trial, [], keyring);
    const lookalike = {
      analyte: 'CD19',
      value: 187.25,
      unit: 'cells/µL',
      correctedType: 'LabResulted',
      data: { analyte: 'CD19', value: 187.25, unit: 'cells/µL' },
    };
    for (const type of EVENT_TYPES.filter((type) => !sealer.eventTypes.has(type))) {
      const event = { ...anEnvelope(), type, data: lookalike } as EventEnvelope;
      expect(sealer.seal(event)).toBe(event);
    }
    const [resulted, corrected] = ['LabResulted', 'EntryCorrected'].map(
      (type) => ({ ...anEnvelope(), type, data: lookalike }) as EventEnvelope,
    );
    expect(sealer.seal(resulted)).not.toBe(resulted);
    expect(sealer.seal(corrected)).not.toBe(corrected);
  });

  it('seals the corrected values of a correction of a masked analyte', () => {
    const correction = {
      ...lab({}),
      type: 'EntryCorrected',
      data: {
        correctedEventId: 'e',
        correctedType: 'LabResulted',
        reason: 'typo',
        data: { analyte: 'CD20', value: 0, unit: '%', qualifier: '<' },
      },
    };
    const sealed = sealMaskedFields(correction, protocol, keyring);
    expect((sealed.data as { data: object }).data).toEqual({ analyte: 'CD20', sealed: expect.any(String) });
    expect(openMaskedFields(sealed, keyring).data).toEqual(correction.data);
  });

  it('gives a reader without the key exactly the placeholder a blinded reader gets', () => {
    const event = lab({ analyte: 'CD19', value: 3, unit: 'cells/µL', qualifier: '=' });
    expect(openMaskedFields(sealMaskedFields(event, protocol, keyring), null).data).toEqual(redactForBlindedReader(protocol, event).data);
  });

  it('makes every sealed value the same length, whatever the value, unit, qualifier or specimen', () => {
    const lengths = new Set(
      [
        { analyte: 'CD19', value: 0, unit: 'cells/µL', qualifier: '<' },
        { analyte: 'CD19', value: 1999.75, unit: 'cells/µL', qualifier: '=', specimenId: 'SPECIMEN-000123' },
        { analyte: 'CD19', value: 12, unit: '%', qualifier: '=' },
      ].map((data) => JSON.stringify(sealMaskedFields(lab(data), protocol, keyring)).length),
    );
    expect(lengths.size).toBe(1);
  });

  it('opens values sealed before a key rotation by their key id, and seals new ones with the new key', () => {
    const before = sealMaskedFields(lab({ analyte: 'CD19', value: 5, unit: 'cells/µL', qualifier: '=' }), protocol, keyring);
    const rotated = parseFieldKeys(`${k1},${newFieldKeyEntry('k2')}`, 'k2');
    expect(openMaskedFields(before, rotated).data).toMatchObject({ value: 5 });
    const after = sealMaskedFields(lab({ analyte: 'CD19', value: 6, unit: 'cells/µL', qualifier: '=' }), protocol, rotated);
    expect((after.data as { sealed: string }).sealed).toMatch(/^fc1\.k2\./);
    expect(() => openMaskedFields(after, keyring)).toThrow(new SealedFieldError('sealed field: no key k2 in FIELD_KEYS'));
  });

  it('refuses a sealed value moved to another event', () => {
    const sealed = sealMaskedFields(lab({ analyte: 'CD19', value: 5, unit: 'cells/µL', qualifier: '=' }), protocol, keyring);
    expect(() => openMaskedFields({ ...sealed, eventId: '00000000-0000-4000-8000-000000000000' }, keyring)).toThrow(SealedFieldError);
  });

  it('reads the keyring from FIELD_KEYS and FIELD_KEY_ID, refusing keys of the wrong size', () => {
    expect(parseFieldKeys(`${k1},${newFieldKeyEntry('k2')}`).currentId).toBe('k2');
    expect(() => parseFieldKeys('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => parseFieldKeys(k1, 'k9')).toThrow(/FIELD_KEY_ID: k9/);
  });
});

describe("sealing by the trial's masking", () => {
  const keyring = parseFieldKeys(newFieldKeyEntry('k1'));
  const trial = DEFAULT_TRIAL_STREAMS;
  const openLabel: ProtocolDefinition = { ...protocol, id: 'open-label', maskedAnalytes: [] };
  const masksIgm: ProtocolDefinition = { ...protocol, maskedAnalytes: ['CD19', 'CD20', 'IGM'] };
  const isSealed = (event: EventEnvelope) => typeof (event.data as { sealed?: unknown }).sealed === 'string';
  const cd19 = () => lab({ analyte: 'CD19', value: 187.25, unit: 'cells/µL', qualifier: '=' }, randomUUID());
  const igm = () => lab({ analyte: 'IGM', value: 12.5, unit: 'g/L', qualifier: '=' }, randomUUID());

  it('seals what the versions logged on the trial stream mask', () => {
    const sealer = new TrialFieldSealer(trial.trial, protocolVersionsFrom([protocolVersion(trial, 1, masksIgm)]), keyring);
    expect(isSealed(sealer.seal(igm()))).toBe(true);
    expect(isSealed(sealer.seal(cd19()))).toBe(true);
  });

  it('uses the built-in masking before the first version, and learns a version logged later as it passes', () => {
    const sealer = new TrialFieldSealer(trial.trial, [], keyring);
    expect(isSealed(sealer.seal(cd19()))).toBe(true);
    expect(isSealed(sealer.seal(igm()))).toBe(false);
    sealer.seal(protocolVersion(trial, 1, masksIgm));
    expect(isSealed(sealer.seal(igm()))).toBe(true);
  });

  it('follows an open-label trial that masks nothing, and ignores versions of another trial', () => {
    const sealer = new TrialFieldSealer(trial.trial, [], keyring);
    sealer.seal(protocolVersion(new TrialStreams('other-trial'), 1, masksIgm));
    expect(isSealed(sealer.seal(igm()))).toBe(false);
    sealer.seal(protocolVersion(trial, 1, openLabel));
    expect(isSealed(sealer.seal(cd19()))).toBe(false);
  });

  it('learns a version that reached its reader otherwise (from Kafka, already sealed by the relay)', () => {
    const sealer = new TrialFieldSealer(trial.trial, [], keyring);
    sealer.observe(protocolVersion(trial, 1, openLabel));
    expect(isSealed(sealer.seal(cd19()))).toBe(false);
  });
});
