/** Stream and subject naming shared by the write side, the relay and the projections. */

export const PATIENT_STREAM_PREFIX = 'patient-';
export const SITE_STREAM_PREFIX = 'site-';

export const patientStreamId = (patientId: string): string => `${PATIENT_STREAM_PREFIX}${patientId}`;
export const siteStreamId = (siteId: string): string => `${SITE_STREAM_PREFIX}${siteId}`;

/** The pseudonymous subject number: the site keeps the log that links it to a person. */
export const patientIdFor = (siteId: string, screeningNumber: string): string => `${siteId}-${screeningNumber}`;
