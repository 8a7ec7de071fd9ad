/** Where a patient stands in the trial, as the registry shows it (the domain's PatientStatus). */
export const REGISTRY_STATUSES = ['not_enrolled', 'enrolled', 'screen_failed', 'randomized', 'withdrawn'] as const;
export type RegistryStatus = (typeof REGISTRY_STATUSES)[number];

export const isRegistryStatus = (value: unknown): value is RegistryStatus =>
  typeof value === 'string' && (REGISTRY_STATUSES as readonly string[]).includes(value);

/** The status after an event of `type`; a withdrawal is final, as in the domain's patient state. */
export function statusAfter(current: RegistryStatus, type: string): RegistryStatus {
  switch (type) {
    case 'PatientEnrolled':
      return 'enrolled';
    case 'PatientScreenFailed':
      return 'screen_failed';
    case 'PatientRandomized':
      return current === 'withdrawn' ? 'withdrawn' : 'randomized';
    case 'PatientWithdrawn':
      return 'withdrawn';
    default:
      return current;
  }
}
