import { isMaskedAnalyte, ProtocolDefinition } from './protocol';

/**
 * Whether an event reveals the allocation under this protocol: a result of a masked analyte, or a
 * correction carrying one. Blinded roles must never receive such an event, in any form. (A void
 * carries no values; whether to show it depends on whether its target was shown.)
 */
export const isAllocationRevealing = (
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
  event: { type: string; data: unknown },
): boolean => {
  const analyteOf = (data: unknown): unknown =>
    typeof data === 'object' && data !== null ? (data as { analyte?: unknown }).analyte : undefined;
  if (event.type === 'LabResulted') return isMaskedAnalyte(protocol, String(analyteOf(event.data)));
  if (event.type === 'EntryCorrected') {
    const correction = event.data as { correctedType?: unknown; data?: unknown } | null;
    return correction?.correctedType === 'LabResulted' && isMaskedAnalyte(protocol, String(analyteOf(correction.data)));
  }
  return false;
};
