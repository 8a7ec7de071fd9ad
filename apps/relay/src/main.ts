import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { configureHttpApp } from '@trialstream/api-common';
import { applyHeapGrowth, describeError, loadConfig, TRIAL_STREAMS } from '@trialstream/config';
import type { TrialStreams } from '@trialstream/domain';
import { ensureTopic, trialTopic } from '@trialstream/messaging';
import { startOrExit } from '../../platform/src/bootstrap';
import { createRelayAppModule } from './relay-app.module';

/**
 * The relay as its own process: `DATABASE_URL=... KAFKA_BROKERS=... node dist/apps/relay/src/main.js`.
 * SIGTERM stops it after the page in flight; a crash at any point loses nothing (the next start republishes
 * from the stored checkpoint).
 */
async function main(): Promise<void> {
  const config = loadConfig();
  applyHeapGrowth(config.heapGrowthPercent);
  const logger = new Logger('relay');
  if (!config.kafkaBrokers) throw new Error('The relay publishes to Kafka: set KAFKA_BROKERS (host:port[,host:port...])');
  const app = await NestFactory.create(createRelayAppModule(config), { bufferLogs: true, bodyParser: false });
  // the topic carries the deployment's trial, which the database records
  const { trialId } = app.get<TrialStreams>(TRIAL_STREAMS);
  const topic = { brokers: config.kafkaBrokers, topic: trialTopic(config.kafkaTopic, trialId), partitions: config.kafkaPartitions };
  try {
    await ensureTopic({ ...topic, clientId: 'trialstream-relay-admin', logLevel: config.logLevel });
  } catch (error) {
    logger.warn(`could not check topic ${topic.topic} yet (${describeError(error)}); it is created on the first publish`);
  }

  await configureHttpApp(app, 'trialstream relay');
  await app.listen(config.port, config.host);
  const address = (app.getHttpServer() as Server).address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.log(`listening on http://${config.host}:${port}, publishing to ${topic.topic} on ${topic.brokers.join(',')}`);
}

startOrExit(main);
