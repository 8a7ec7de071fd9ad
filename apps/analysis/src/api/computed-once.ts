import { entryOf } from '@trialstream/projections';

/**
 * What the analysis computes again and again from the same records. The reader hands out the same record
 * objects while a patient's rows do not move, and everything computed from them is a pure function of
 * them and of the request's key (protocol versions, visit, thresholds...), so a result is kept beside the
 * objects it was computed from and given back while they are the same objects.
 */
export class ComputedOnce {
  private readonly perObject = new WeakMap<object, Map<string, unknown>>();
  private readonly perList = new Map<string, { inputs: readonly object[]; value: unknown }>();

  /** Keys kept per object and lists kept in all: readers ask few distinct questions. */
  constructor(private readonly keysKept = 16) {}

  /** `compute(input)` for one object, once per key while the object lives. */
  of<I extends object, V>(input: I, key: string, compute: (input: I) => V): V {
    const known = entryOf(this.perObject, input, () => new Map<string, unknown>());
    if (known.has(key)) return known.get(key) as V;
    if (known.size >= this.keysKept) known.clear();
    const value = compute(input);
    known.set(key, value);
    return value;
  }

  /** `compute()` over a list of objects, given back while the same objects come in the same order. */
  ofList<V>(key: string, inputs: readonly object[], compute: () => V): V {
    const known = this.perList.get(key);
    if (known && known.inputs.length === inputs.length && known.inputs.every((input, index) => input === inputs[index])) {
      return known.value as V;
    }
    const value = compute();
    this.perList.delete(key);
    if (this.perList.size >= this.keysKept) this.perList.delete(this.perList.keys().next().value!);
    this.perList.set(key, { inputs: [...inputs], value });
    return value;
  }
}
