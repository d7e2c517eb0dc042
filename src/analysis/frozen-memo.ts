/**
 * `compute`, remembered per object for frozen objects only. Timeline documents read from the
 * store come deep-frozen and are the same objects from one report to the next while unchanged
 * (the read-model adapters reuse parsed documents), so what is derived from one alone — its sort
 * key, its report row, its tooltip — can be kept with it. A frozen object cannot change, so the
 * remembered value can never go stale; unfrozen objects (tests, replays) are computed every time.
 */
export function frozenMemo<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const memo = new WeakMap<K, V>();
  return (key) => {
    let value = memo.get(key);
    if (value === undefined) {
      value = compute(key);
      if (Object.isFrozen(key)) memo.set(key, value);
    }
    return value;
  };
}
