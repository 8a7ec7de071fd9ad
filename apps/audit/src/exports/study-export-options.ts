import { isBlinded, type Principal } from '@trialstream/auth';
import type { ProtocolDefinition } from '@trialstream/domain';
import type { ExportOptions } from '@trialstream/exports';

/**
 * The study identity of an export, taken from the protocol in force, and the reader's blinding.
 * No allocation is passed: the allocation list is not readable from the platform yet, so DM carries
 * no ARM/ACTARM even for an unblinded reader.
 */
export function studyExportOptions(protocol: ProtocolDefinition, principal: Principal, exportedAt: Date): ExportOptions {
  return {
    studyOid: `ST.${protocol.id}`,
    studyName: protocol.id.toUpperCase(),
    protocolName: protocol.title,
    exportedAt: exportedAt.toISOString(),
    blinded: isBlinded(principal),
    protocol,
  };
}

export const SDTM_DOMAINS = ['DM', 'EX', 'LB', 'NV', 'QS', 'AE', 'DS'] as const;
