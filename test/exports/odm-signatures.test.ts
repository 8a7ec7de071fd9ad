import { patientStreamId, RecordSigned } from '@trialstream/domain';
import { toOdmXml } from '@trialstream/exports';
import { childElements, elements, parseOdm, validateAgainstOdmSchema } from './odm-reader';
import { exportOptions, TrialLog } from './trial-log';

/** Appends what `POST /patients/{id}/signatures` would have written (the decide function is tested in the domain). */
const signed = (log: TrialLog, patientId: string, data: Pick<RecordSigned, 'meaning' | 'scope' | 'coverage'>, signatureId: string) =>
  log.append(
    patientStreamId(patientId),
    'RecordSigned' as never,
    '2024-03-01T10:00:00.000Z',
    {
      signatureId,
      signer: { userId: 'investigator-zh', username: 'dr.zh', printedName: 'Dr Zh', role: 'investigator' },
      signedAt: '2024-03-01T10:00:00.000Z',
      signedStreamVersion: 3,
      contentHash: 'a'.repeat(64),
      ...data,
    } as never,
    { userId: 'investigator-zh', role: 'investigator', siteId: 'ZH01' },
  );

describe('ODM 1.3.2 export of electronic signatures', () => {
  const build = (withCorrection: boolean) => {
    const log = new TrialLog();
    log.siteActivated('ZH01', 'Universitätsspital Zürich');
    const patient = log.patient('ZH01-007', 'ZH01');
    patient.enrolled();
    const lab = patient.labResulted('2024-01-12');
    signed(
      log,
      'ZH01-007',
      { meaning: 'approval', scope: { kind: 'visit', visit: 'screening' }, coverage: { eventIds: [lab] } },
      'sig-visit',
    );
    signed(log, 'ZH01-007', { meaning: 'review', scope: { kind: 'casebook' }, coverage: { eventIds: [lab] } }, 'sig-casebook');
    if (withCorrection)
      patient.corrected(lab, 'LabResulted', { analyte: 'IGM', value: 1.25, unit: 'g/L', qualifier: '=' }, 'Transcription error');
    return { xml: toOdmXml(log.events, exportOptions()), lab };
  };

  it('defines each meaning as a SignatureDef and signs the subject and the signed visit’s forms, valid against the schema', () => {
    const { xml, lab } = build(false);
    const check = validateAgainstOdmSchema(xml);
    expect(check.messages).not.toMatch(/fails to validate|error/i);
    expect(check.valid).toBe(true);

    const document = parseOdm(xml);
    const defs = elements(document, 'SignatureDef');
    expect(defs.map((def) => def.getAttribute('OID'))).toEqual(['SD.REVIEW', 'SD.APPROVAL', 'SD.AUTHORSHIP']);
    expect(childElements(defs[1], 'Meaning')[0].textContent).toMatch(/approve/);
    expect(childElements(defs[1], 'LegalReason')[0].textContent).toMatch(/21 CFR Part 11/);

    const [subject] = elements(document, 'SubjectData');
    const [subjectSignature] = childElements(subject, 'Signature');
    expect(childElements(subjectSignature, 'SignatureRef')[0].getAttribute('SignatureOID')).toBe('SD.REVIEW');
    expect(childElements(subjectSignature, 'UserRef')[0].getAttribute('UserOID')).toBe('USR.investigator-zh');
    expect(childElements(subjectSignature, 'LocationRef')[0].getAttribute('LocationOID')).toBe('LOC.ZH01');
    expect(childElements(subjectSignature, 'DateTimeStamp')[0].textContent).toBe('2024-03-01T10:00:00.000Z');

    const signedForms = elements(document, 'FormData').filter((form) => childElements(form, 'Signature').length > 0);
    expect(signedForms.map((form) => form.getAttribute('FormRepeatKey'))).toEqual([lab]);
    const signer = elements(document, 'User').find((user) => user.getAttribute('OID') === 'USR.investigator-zh');
    expect(signer?.getAttribute('UserType')).toBe('Investigator');
  });

  it('drops a signature that a later correction invalidated, and stays valid', () => {
    const { xml } = build(true);
    expect(validateAgainstOdmSchema(xml).valid).toBe(true);
    const document = parseOdm(xml);
    expect(elements(document, 'Signature')).toEqual([]);
    expect(elements(document, 'SignatureDef')).toHaveLength(3);
  });
});
