import { Injectable } from '@nestjs/common';

/** One thing a request needs; `up: false` takes the instance out of rotation until it is back. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<{ up: boolean; details: Record<string, unknown> }>;
}

/**
 * The checks of this process, contributed by the modules it runs (database and Kafka by the platform,
 * relay lag by the relay, one lag per projection by the projection feeds), so a process reports on
 * what it actually serves.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  add(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  all(): ReadinessCheck[] {
    return [...this.checks.values()];
  }
}

/** A check that answers in time or counts as down: a hung dependency must not hang the probe. */
export async function withinTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
