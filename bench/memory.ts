/** Peak memory of one phase, sampled from process.memoryUsage(). */
export interface PhaseMemory {
  peak_rss_mb: number;
  peak_heap_used_mb: number;
  samples: number;
}

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 25;

/** Samples the process's memory while phases run, one peak per phase name. */
export class MemoryRecorder {
  private readonly phases: Record<string, PhaseMemory> = {};

  async during<T>(phase: string, work: () => Promise<T>): Promise<T> {
    const peak = { rss: 0, heapUsed: 0, samples: 0 };
    const sample = () => {
      const usage = process.memoryUsage();
      peak.rss = Math.max(peak.rss, usage.rss);
      peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
      peak.samples += 1;
    };
    sample();
    const timer = setInterval(sample, SAMPLE_EVERY_MS);
    timer.unref();
    try {
      return await work();
    } finally {
      clearInterval(timer);
      sample();
      this.phases[phase] = {
        peak_rss_mb: Number((peak.rss / MB).toFixed(1)),
        peak_heap_used_mb: Number((peak.heapUsed / MB).toFixed(1)),
        samples: peak.samples,
      };
    }
  }

  get report(): Record<string, PhaseMemory> {
    return { ...this.phases };
  }
}
