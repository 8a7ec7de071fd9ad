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

/**
 * What a blinded reader may see of an event: allocation-revealing events keep their identity, type,
 * attribution and times (the audit trail stays complete) but lose every value. The analyte name stays,
 * so a monitor can still see that a B-cell count was taken.
 */
export const redactForBlindedReader = <T extends { type: string; data: unknown }>(
  protocol: Pick<ProtocolDefinition, 'maskedAnalytes'>,
  event: T,
): T => {
  if (!isAllocationRevealing(protocol, event)) return event;
  if (event.type === 'LabResulted') {
    const { analyte } = event.data as { analyte: string };
    return { ...event, data: { analyte, masked: true }, hash: undefined, previousHash: undefined };
  }
  const { correctedEventId, correctedType, reason, data } = event.data as {
    correctedEventId: string;
    correctedType: string;
    reason: string;
    data: { analyte: string };
  };
  return {
    ...event,
    data: { correctedEventId, correctedType, reason, data: { analyte: data.analyte, masked: true } },
    hash: undefined,
    previousHash: undefined,
  };
};
