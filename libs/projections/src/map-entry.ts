/** The map's value at `key`, made and stored first when absent (the batch's per-table and per-stream maps). */
export function entryOf<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
