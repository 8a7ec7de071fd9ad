/** A record's own value for a key that came from outside (an id may be `constructor`). */
export const ownValue = <T>(record: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;

/** Sets a record's own value for a key that came from outside: assignment would take `__proto__` as the prototype. */
export const setOwnValue = <T>(record: Record<string, T>, key: string, value: T): void => {
  Object.defineProperty(record, key, { value, writable: true, enumerable: true, configurable: true });
};
