import { cpus, platform, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpu_model: string;
  total_memory_mb: number;
  os: string;
  node_version: string;
  postgres_server_version: string;
  kafka_brokers: string[];
}

export function machineInfo(postgresServerVersion: string, kafkaBrokers: string[]): MachineInfo {
  const processors = cpus();
  return {
    cpus: processors.length,
    cpu_model: processors[0]?.model.trim() ?? 'unknown',
    total_memory_mb: Math.round(totalmem() / (1024 * 1024)),
    os: `${platform()} ${release()}`,
    node_version: process.version,
    postgres_server_version: postgresServerVersion,
    kafka_brokers: kafkaBrokers,
  };
}
