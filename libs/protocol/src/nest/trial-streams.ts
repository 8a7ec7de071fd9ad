import type { Provider } from '@nestjs/common';
import { PLATFORM_CONFIG, TRIAL_STREAMS, type PlatformConfig } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { deploymentTrialStreams } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';
import { loadProtocolFile } from '../load';
import { describeProblem } from '../protocol-file';

/** The trial of the protocol file the process was started with (PROTOCOL_FILE, TRIAL_PROTOCOL), or none. */
export function configuredTrialId(config: Pick<PlatformConfig, 'protocolFile'>): string | null {
  if (config.protocolFile === null) return null;
  const loaded = loadProtocolFile(config.protocolFile);
  if (!loaded.ok) {
    throw new Error(`${config.protocolFile} is not a valid protocol file: ${loaded.problems.map(describeProblem).join('; ')}`);
  }
  return loaded.definition.id;
}

/** TRIAL_STREAMS: the deployment's trial, recorded by the first process that opened the database. */
export const TRIAL_STREAMS_PROVIDER: Provider = {
  provide: TRIAL_STREAMS,
  inject: [DATA_SOURCE, PLATFORM_CONFIG],
  useFactory: (dataSource: DataSource, config: PlatformConfig) => deploymentTrialStreams(dataSource, configuredTrialId(config)),
};
