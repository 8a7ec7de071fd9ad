import { isBlinded, type Principal } from '@trialstream/auth';
import type { ProtocolDefinition } from '@trialstream/domain';
import type { ExportOptions } from '@trialstream/exports';

/**
 * The study identity of an export, taken from the protocol in force, the reader's blinding, and the
 * arms (ExportAllocation) for an unblinded reader after unblinding, which DM carries as ARM/ACTARM.
 */
export function studyExportOptions(
  protocol: ProtocolDefinition,
  principal: Principal,
  exportedAt: Date,
  allocation?: Record<string, string>,
): ExportOptions {
  return {
    ...(allocation ? { allocation } : {}),
    studyOid: `ST.${protocol.id}`,
    studyName: protocol.id.toUpperCase(),
    protocolName: protocol.title,
    exportedAt: exportedAt.toISOString(),
    blinded: isBlinded(principal),
    protocol,
  };
}
