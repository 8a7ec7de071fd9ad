import type { ProtocolDefinition } from '@trialstream/domain';

/**
 * The protocol version in force now, replaced when a version is activated. Modules inject PROTOCOL
 * (a view of `current`), so an amendment reaches every reader without a restart.
 */
export class ProtocolHolder {
  constructor(public current: ProtocolDefinition) {}
}

/** A ProtocolDefinition that always reads the holder's current version (property reads, spreads and `in`). */
export const liveProtocol = (holder: ProtocolHolder): ProtocolDefinition =>
  new Proxy({} as ProtocolDefinition, {
    get: (_target, key): unknown => Reflect.get(holder.current, key),
    has: (_target, key) => Reflect.has(holder.current, key),
    ownKeys: () => Reflect.ownKeys(holder.current),
    getOwnPropertyDescriptor: (_target, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(holder.current, key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
