/**
 * The three-site trial the monitoring suites share, told day by day in the order things were recorded
 * (2026). Every figure the suites expect is worked out by hand from this story; the comments carry the
 * facts those sums need.
 *
 * PAR (monitor A; coordinator PAR)
 *   PAR-001  consent 03-01, randomized 03-05, first infusion 03-12 (baseline window 02-26..03-12).
 *            Screening forms 03-02. Baseline labs and assessment 03-11; nerve study 03-11 at 31.5 °C,
 *            entered 03-18 (7 days late). Infusions 03-12, 03-19 (entered 03-21), 03-26 at 800 mg
 *            (planned 705: +13.5 %), 04-02. Adverse event 03-13, not serious.
 *   PAR-002  consent 03-01, randomized 03-05. Screening forms 03-03, entered 03-10 (7 days late), inside
 *            the baseline window too (they count for both); no B cells, no nerve study. Infusions 03-12 and 03-23 (day 12, due day 8 ±2). Serious adverse event 03-15,
 *            entered 03-16. Withdrawn 04-05.
 *   PAR-003  screen failure, consent 03-03.
 *   Queries: Q1 on PAR-001's nerve study temperature, raised 03-18, answered 03-25. Q2 on PAR-002's
 *            adverse event, raised 03-17, cancelled 03-19. Verified: PAR-001's enrolment,
 *            randomization and first infusion.
 * ZRH (monitor B; coordinator ZRH)
 *   ZRH-001  consent 03-02, randomized 03-06 (first infusion planned 03-13), first infusion 03-16.
 *            Screening forms 03-02, entered 03-04. Baseline 03-15: labs and nerve study entered 03-18,
 *            assessment entered 03-22. Infusions 03-16, 03-23, 03-30 (each entered a day later), 04-06.
 *   ZRH-002  consent 03-10, not randomized; anti-MAG titer 03-10, entered 03-12; nothing else.
 *   ZRH-003  consent 03-25; serious adverse event 03-30, entered 04-08.
 *   Queries: Q3 on ZRH-001's first infusion dose, raised 03-17, answered 03-18, closed 03-19. Q4 on
 *            ZRH-001's baseline INCAT legs, raised 04-10. Verified: ZRH-001's first infusion, and the
 *            INCAT legs field of its baseline assessment.
 * BSL (monitor B; coordinator BSL)
 *   BSL-001  consent 03-01, randomized 03-04, first infusion 03-11 (baseline window 02-25..03-11).
 *            Screening forms 03-01. Baseline labs and assessment 03-10; nerve study only on 03-27.
 *            Infusions 03-11, 03-18 at 600 mg (−14.9 %), 03-25, 04-01. Adverse events 03-20 (not
 *            serious) and 04-10 (serious, entered 04-12). Emergency code-break 04-15.
 *   BSL-002  screen failure, consent 03-05.
 */
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import type { TestApp } from '../support/app';
import { MonitorDesk, PatientDesk, sitesOf, startMonitoringApp } from './monitoring-desk';

/** Masked analyte values recorded in the trial: none may reach a blinded reader. */
export const MASKED_VALUES = {
  PAR: { cd19: 613.37, cd20: 587.21 },
  ZRH: { cd19: 123.45, cd20: 234.56 },
  BSL: { cd19: 345.67, cd20: 456.78 },
};
/** What the emergency code-break revealed, stored on the patient's stream. */
export const CODE_BREAK_ARM = 'placebo';

export const AS_OF_1 = '2026-03-20';
export const AS_OF_2 = '2026-04-20';

export interface ThreeSiteTrial {
  app: TestApp;
  monitorA: MonitorDesk;
  monitorB: MonitorDesk;
  coordinators: Record<'PAR' | 'ZRH' | 'BSL', string>;
  patients: Record<string, PatientDesk>;
  /** Ids a suite checks responses against. */
  ids: Record<string, string>;
}

export async function threeSiteTrial(kafka?: { brokers: string[]; topic: string }): Promise<ThreeSiteTrial> {
  const app = await startMonitoringApp('2026-03-01', kafka);
  const sites = await sitesOf(app, ['PAR', 'ZRH', 'BSL']);
  const monitorA = new MonitorDesk(app, await app.userToken('monitor', ['PAR'], 'monitor A'));
  const monitorB = new MonitorDesk(app, await app.userToken('monitor', ['ZRH', 'BSL'], 'monitor B'));
  const p: Record<string, PatientDesk> = {};
  const ids: Record<string, string> = {};

  // 03-01
  p['PAR-001'] = await sites.PAR.enrol('001', '2026-03-01');
  p['PAR-002'] = await sites.PAR.enrol('002', '2026-03-01');
  p['BSL-001'] = await sites.BSL.enrol('001', '2026-03-01');
  await p['BSL-001'].screeningForms('2026-03-01');
  // 03-02
  await p['PAR-001'].screeningForms('2026-03-02');
  p['ZRH-001'] = await sites.ZRH.enrol('001', '2026-03-02');
  // 03-03
  p['PAR-003'] = await sites.PAR.enrol('003', '2026-03-03', { eligible: false });
  await monitorA.verify('PAR-001', p['PAR-001'].enrolmentEventId, '2026-03-03');
  // 03-04
  await p['ZRH-001'].screeningForms('2026-03-02', '2026-03-04');
  await p['BSL-001'].randomize('2026-03-04', 'K-0201');
  // 03-05
  ids.par001Randomization = await p['PAR-001'].randomize('2026-03-05', 'K-0001');
  await p['PAR-002'].randomize('2026-03-05', 'K-0002');
  p['BSL-002'] = await sites.BSL.enrol('002', '2026-03-05', { eligible: false });
  // 03-06
  await p['ZRH-001'].randomize('2026-03-06', 'K-0101');
  await monitorA.verify('PAR-001', ids.par001Randomization, '2026-03-06');
  // 03-10
  await p['PAR-002'].screeningForms('2026-03-03', '2026-03-10');
  p['ZRH-002'] = await sites.ZRH.enrol('002', '2026-03-10');
  await p['BSL-001'].baselineForms('2026-03-10', MASKED_VALUES.BSL);
  // 03-11
  await p['PAR-001'].baselineForms('2026-03-11', MASKED_VALUES.PAR);
  await p['BSL-001'].infusion('2026-03-11');
  // 03-12
  ids.par001Infusion1 = await p['PAR-001'].infusion('2026-03-12');
  await p['PAR-002'].infusion('2026-03-12');
  await p['ZRH-002'].lab('ANTI_MAG', '2026-03-10', 31000, '2026-03-12');
  // 03-13
  await p['PAR-001'].adverseEvent('2026-03-13', false);
  await monitorA.verify('PAR-001', ids.par001Infusion1, '2026-03-13');
  // 03-16
  ids.par002AdverseEvent = await p['PAR-002'].adverseEvent('2026-03-15', true, '2026-03-16');
  // 03-17
  ids.zrh001Infusion1 = await p['ZRH-001'].infusion('2026-03-16', 705, '2026-03-17');
  ids.q2 = await monitorA.raiseQuery('PAR-002', ids.par002AdverseEvent, 'serious', 'Was the patient hospitalised?', '2026-03-17');
  ids.q3 = await monitorB.raiseQuery(
    'ZRH-001',
    ids.zrh001Infusion1,
    'administeredDoseMg',
    'Please confirm against the pharmacy log.',
    '2026-03-17',
  );
  await monitorB.verify('ZRH-001', ids.zrh001Infusion1, '2026-03-17');
  // 03-18
  ids.par001Neurography = await p['PAR-001'].neurography('2026-03-11', 31.5, '2026-03-18');
  ids.q1 = await monitorA.raiseQuery(
    'PAR-001',
    ids.par001Neurography,
    'limbTemperatureC',
    'Was the limb warmed before the study?',
    '2026-03-18',
  );
  await p['ZRH-001'].lab('IGM', '2026-03-15', 11.2, '2026-03-18');
  await p['ZRH-001'].lab('ANTI_MAG', '2026-03-15', 30500, '2026-03-18');
  await p['ZRH-001'].lab('CD19', '2026-03-15', MASKED_VALUES.ZRH.cd19, '2026-03-18');
  await p['ZRH-001'].lab('CD20', '2026-03-15', MASKED_VALUES.ZRH.cd20, '2026-03-18');
  await p['ZRH-001'].neurography('2026-03-15', 33, '2026-03-18');
  ids.bsl001Infusion2 = await p['BSL-001'].infusion('2026-03-18', 600);
  await p['ZRH-001'].answerQuery(ids.q3, 'Confirmed: 705 mg as per the pharmacy log.', '2026-03-18');
  // 03-19
  await monitorA.cancel('PAR-002', ids.q2, 'Raised on the wrong event', '2026-03-19');
  await monitorB.close('ZRH-001', ids.q3, '2026-03-19');
  // 03-20
  await p['BSL-001'].adverseEvent('2026-03-20', false);
  // 03-21
  await p['PAR-001'].infusion('2026-03-19', 705, '2026-03-21');
  // 03-22
  ids.zrh001Assessment = await p['ZRH-001'].assessment('2026-03-15', '2026-03-22');
  // 03-23
  ids.par002Infusion2 = await p['PAR-002'].infusion('2026-03-23');
  // 03-24
  await p['ZRH-001'].infusion('2026-03-23', 705, '2026-03-24');
  // 03-25
  await p['PAR-001'].answerQuery(ids.q1, 'Yes, warmed for 10 minutes; the room was cold.', '2026-03-25');
  p['ZRH-003'] = await sites.ZRH.enrol('003', '2026-03-25');
  await p['BSL-001'].infusion('2026-03-25');
  // 03-26
  ids.par001Infusion3 = await p['PAR-001'].infusion('2026-03-26', 800);
  // 03-27
  ids.bsl001Neurography = await p['BSL-001'].neurography('2026-03-27', 33);
  // 03-31
  await p['ZRH-001'].infusion('2026-03-30', 705, '2026-03-31');
  // 04-01
  await p['BSL-001'].infusion('2026-04-01');
  // 04-02
  await p['PAR-001'].infusion('2026-04-02');
  // 04-05
  await p['PAR-002'].withdraw('2026-04-05');
  // 04-06
  await p['ZRH-001'].infusion('2026-04-06');
  // 04-08
  await p['ZRH-003'].adverseEvent('2026-03-30', true, '2026-04-08');
  // 04-10
  ids.q4 = await monitorB.raiseQuery('ZRH-001', ids.zrh001Assessment, 'incatLegs', 'The source shows 3, not 2.', '2026-04-10');
  await monitorB.verify('ZRH-001', ids.zrh001Assessment, '2026-04-10', ['incatLegs']);
  // 04-12
  await p['BSL-001'].adverseEvent('2026-04-10', true, '2026-04-12');
  // 04-15
  await recordCodeBreak(app, 'BSL-001', 'BSL', '2026-04-15T09:30:00Z');

  return {
    app,
    monitorA,
    monitorB,
    coordinators: { PAR: sites.PAR.token, ZRH: sites.ZRH.token, BSL: sites.BSL.token },
    patients: p,
    ids,
  };
}

/**
 * An emergency code-break as the unblinding work records it on the patient's stream (its API is not
 * part of this app): appended to the store directly, with the arm it revealed in its payload.
 */
async function recordCodeBreak(app: TestApp, patientId: string, siteId: string, occurredAt: string): Promise<void> {
  const store = app.app.get<PostgresEventStore>(EVENT_STORE);
  app.setNow(new Date(occurredAt));
  const streamId = `patient-${patientId}`;
  const outcome = await store.append({
    streamId,
    expectedVersion: await store.streamVersion(streamId),
    events: [{ type: 'CodeBreakPerformed', schemaVersion: 1, occurredAt, data: { patientId, arm: CODE_BREAK_ARM, reason: 'Anaphylaxis' } }],
    siteId,
    actor: { userId: 'site-physician', role: 'site_coordinator' },
  });
  if (outcome.status !== 'appended') throw new Error(`code-break not recorded: ${outcome.status}`);
}
