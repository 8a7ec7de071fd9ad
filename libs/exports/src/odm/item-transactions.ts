import { EntryHistory, EntryVersion } from '../trial-record';
import { itemValuesOf, ItemValue } from './item-values';
import { ItemGroupSpec } from './metadata';

export type ItemTransactionType = 'Insert' | 'Update' | 'Remove';

/** One change of one item, attributed to the version (event) that made it. */
export interface ItemTransaction {
  type: ItemTransactionType;
  itemOid: string;
  /** Absent on Remove: the value is gone. */
  value: string | null;
  unit: string | null;
  version: EntryVersion;
}

/** The transactions of one item group instance, in the order they must be applied. */
export interface ItemGroupTransactions {
  group: ItemGroupSpec;
  repeatKey: string | null;
  transactions: ItemTransaction[];
}

const keyOf = (group: ItemGroupSpec, repeatKey: string | null, itemOid: string): string => JSON.stringify([group.oid, repeatKey, itemOid]);

/**
 * Replays an entry's history as item transactions: the original inserts every value; a correction
 * updates every value it carries (it carries the full corrected payload, so each corrected item gets
 * the correction's audit record), inserts values it adds and removes values it drops; a void
 * removes every value the entry still held.
 */
export const itemTransactionsOf = (entry: EntryHistory): ItemGroupTransactions[] => {
  const byGroup = new Map<string, ItemGroupTransactions>();
  const record = (value: Pick<ItemValue, 'group' | 'repeatKey'>, transaction: ItemTransaction): void => {
    const groupKey = JSON.stringify([value.group.oid, value.repeatKey]);
    const instance = byGroup.get(groupKey) ?? { group: value.group, repeatKey: value.repeatKey, transactions: [] };
    instance.transactions.push(transaction);
    byGroup.set(groupKey, instance);
  };

  let held = new Map<string, ItemValue>();
  for (const version of entry.versions) {
    const next = new Map<string, ItemValue>();
    if (version.change !== 'void') {
      for (const value of itemValuesOf(entry.type, version.occurredAt, version.data)) {
        const key = keyOf(value.group, value.repeatKey, value.item.oid);
        next.set(key, value);
        const type = version.change === 'correction' && held.has(key) ? 'Update' : 'Insert';
        record(value, { type, itemOid: value.item.oid, value: value.value, unit: value.unit, version });
      }
    }
    for (const [key, value] of held) {
      if (!next.has(key)) record(value, { type: 'Remove', itemOid: value.item.oid, value: null, unit: null, version });
    }
    held = next;
  }
  return [...byGroup.values()];
};
