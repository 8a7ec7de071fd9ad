/** What entryOf needs of a map: a Map or a WeakMap. */
interface KeyedStore<K, V> {
  get(key: K): V | undefined;
  set(key: K, value: V): unknown;
}

/** The map's value at `key`, made and stored first when absent (the batch's per-table and per-stream maps). */
export function entryOf<K, V>(map: KeyedStore<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
