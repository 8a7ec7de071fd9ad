import type { EventSpec } from './events/catalog';

/**
 * Turns a payload of one schema version into the next version's payload. Its input is typed `any`
 * because the old shape is, by definition, described by no current type.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type UpcastStep = (data: any) => unknown;

export interface UpcastChain {
  currentVersion: number;
  /** `steps[v]` turns version v into v + 1; every version below the current one needs a step. */
  steps?: Readonly<Record<number, UpcastStep>>;
}

export type UpcastChains = Readonly<Record<string, UpcastChain>>;

export interface Upcasted {
  schemaVersion: number;
  data: unknown;
}

export type Upcaster = (type: string, schemaVersion: number, data: unknown) => Upcasted;

/** Raised for a version this code does not know: a newer writer, or a corrupted row. */
export class UnknownSchemaVersionError extends Error {
  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly currentVersion: number,
  ) {
    super(`${eventType} has schema version ${schemaVersion}; this code reads versions 1 to ${currentVersion}`);
    this.name = 'UnknownSchemaVersionError';
  }
}

const isVersion = (value: number): boolean => Number.isInteger(value) && value >= 1;

/**
 * Builds an upcaster from one chain per event type. Chains are checked when built, so a missing
 * step fails at start-up rather than on the first old event read. Types without a chain (events
 * another library owns) pass through unchanged.
 */
export const createUpcaster = (chains: UpcastChains): Upcaster => {
  for (const [type, chain] of Object.entries(chains)) {
    if (!isVersion(chain.currentVersion)) throw new RangeError(`${type}: current version must be a positive integer`);
    for (let version = 1; version < chain.currentVersion; version += 1) {
      if (typeof chain.steps?.[version] !== 'function') {
        throw new RangeError(`${type}: no upcast step from version ${version} to ${version + 1}`);
      }
    }
  }

  return (type, schemaVersion, data) => {
    const chain = Object.prototype.hasOwnProperty.call(chains, type) ? chains[type] : undefined;
    if (!chain) return { schemaVersion, data };
    if (!isVersion(schemaVersion) || schemaVersion > chain.currentVersion) {
      throw new UnknownSchemaVersionError(type, schemaVersion, chain.currentVersion);
    }
    let upcast = data;
    for (let version = schemaVersion; version < chain.currentVersion; version += 1) {
      upcast = chain.steps![version](upcast);
    }
    return { schemaVersion: chain.currentVersion, data: upcast };
  };
};

/** The chains of a catalog: each type's current version and its steps up to it. */
export const upcastChainsOf = (catalog: Readonly<Record<string, EventSpec>>): UpcastChains =>
  Object.fromEntries(
    Object.entries(catalog).map(([type, spec]) => [type, { currentVersion: spec.schemaVersion, steps: spec.upcasters ?? {} }]),
  );
