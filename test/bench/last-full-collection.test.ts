import { spawnSync } from 'node:child_process';
import { LastFullCollection } from '../../bench/scale';

describe("the scale phase's reading of V8's --trace-gc output", () => {
  it('keeps what the last full collection left, whatever scavenges came after it', () => {
    const reader = new LastFullCollection();
    reader.read('[1:0x1]   84 ms: Scavenge 7.5 (9.8) -> 7.0 (9.9) MB, 1.01 / 0.00 ms  allocation failure;\n');
    expect(reader.keptMb).toBeNull();

    reader.read('[1:0x1]  143 ms: Mark-Compact 413.9 (418.5) -> 310.6 (419.4) MB, 21.10 / 0.00 ms  testing;\n');
    reader.read('[1:0x1]  150 ms: Scavenge 320.5 (421.8) -> 312.0 (421.9) MB, 1.01 / 0.00 ms  allocation failure;\n');
    reader.read('[1:0x1]  990 ms: Mark-Compact (reduce) 350.2 (430.0) -> 298.4 (400.1) MB, 30.00 / 0.00 ms  low memory;\n');

    expect(reader.keptMb).toBe(298.4);
  });

  it('reads a line that arrives in two chunks, and ignores the application log around it', () => {
    const reader = new LastFullCollection();
    reader.read('{"level":30,"msg":"Mark-Compact is not a collection here"}\n[1:0x1]  143 ms: Mark-Compact 41');
    expect(reader.keptMb).toBeNull();

    reader.read('3.9 (418.5) -> 310.6 (419.4) MB, 21.10 / 0.00 ms  testing;\n');

    expect(reader.keptMb).toBe(310.6);
  });

  it("reads what this machine's Node prints for a full collection", () => {
    const traced = spawnSync(
      process.execPath,
      ['--trace-gc', '--expose-gc', '-e', 'globalThis.kept = Array.from({ length: 200000 }, (_, i) => ({ i })); gc();'],
      { encoding: 'utf8' },
    );
    const reader = new LastFullCollection();
    reader.read(traced.stdout);

    expect(traced.status).toBe(0);
    // 200,000 small objects stay reachable: the full collection keeps several MB of them.
    expect(reader.keptMb).toBeGreaterThan(3);
  });
});
