import { toCsv, toSdtmDatasets } from '@trialstream/exports';
import { exportOptions, TrialLog } from './trial-log';

describe('SDTM datasets as CSV', () => {
  it('writes a header of the variables and one CRLF-terminated line per row, null as an empty field', () => {
    const csv = toCsv({
      columns: ['STUDYID', 'DOMAIN', 'AESEQ', 'AEOUT'],
      rows: [{ STUDYID: 'S', DOMAIN: 'AE', AESEQ: 1, AEOUT: null }],
    });
    expect(csv).toBe('STUDYID,DOMAIN,AESEQ,AEOUT\r\nS,AE,1,\r\n');
  });

  it('quotes fields holding a comma, a quote or a line break, doubling the quotes', () => {
    const csv = toCsv({
      columns: ['AETERM', 'AESER'],
      rows: [
        { AETERM: 'Rash, "itchy"', AESER: 'N' },
        { AETERM: 'Headache\nthen nausea', AESER: 'Y' },
        { AETERM: 'plain', AESER: 'N' },
      ],
    });
    expect(csv).toBe('AETERM,AESER\r\n"Rash, ""itchy""",N\r\n"Headache\nthen nausea",Y\r\nplain,N\r\n');
  });

  it('writes numbers as plain decimals, never in exponent form', () => {
    const csv = toCsv({ columns: ['LBSTRESN', 'EXDOSE'], rows: [{ LBSTRESN: 1.5e-7, EXDOSE: 740 }] });
    expect(csv).toBe('LBSTRESN,EXDOSE\r\n0.00000015,740\r\n');
  });

  it('keeps the variable order of the dataset in the header', () => {
    const log = new TrialLog();
    const patient = log.patient('ZH01-001', 'ZH01');
    patient.enrolled();
    patient.adverseEventReported('2024-02-02', { term: 'Fatigue, mild' });
    const { AE } = toSdtmDatasets(log.events, exportOptions());
    const [header, row] = toCsv(AE).split('\r\n');
    expect(header).toBe(AE.columns.join(','));
    expect(row).toBe('ANTIMAG-RTX,AE,ANTIMAG-RTX-ZH01-001,1,"Fatigue, mild",N,2,PROBABLY RELATED,,2024-02-02,');
  });
});
