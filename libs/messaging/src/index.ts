export * from './kafka-client';
export * from './contracts';
export * from './event-codec';
export * from './topic';
export * from './event-publisher';
export * from './event-consumer';
export * from './kafka-probe';
export { chunksWithin } from './send-chunks';
