import { Inject, Injectable } from '@nestjs/common';
import { TRIAL_STREAMS } from '@trialstream/config';
import { DATA_SOURCE } from '@trialstream/database';
import { protocolInForce, protocolVersionsFrom, type TrialStreams } from '@trialstream/domain';
import { EVENT_STORE, EVENTS_TABLE, type PostgresEventStore } from '@trialstream/event-store';
import type { DataSource } from 'typeorm';
import { readBoundOf, type PointInTime } from './point-in-time';

/** The protocol version a point-in-time view was read by. */
export interface ProtocolThen {
  version: number;
  protocolId: string;
  effectiveFrom: string;
  /** The day of the moment (UTC) the version was in force on. */
  on: string;
}

/**
 * The protocol version in force at a moment of the log: of the versions logged by then (a later
 * amendment, even one effective earlier, was not known then), the one in force on the moment's day.
 */
@Injectable()
export class ProtocolAtMoment {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  async of(point: PointInTime): Promise<ProtocolThen | null> {
    const versions = protocolVersionsFrom(await this.store.readStream(this.streams.trial, readBoundOf(point)));
    const on = await this.dayOf(point);
    const inForce = protocolInForce(versions, on);
    return inForce ? { version: inForce.version, protocolId: inForce.definition.id, effectiveFrom: inForce.effectiveFrom, on } : null;
  }

  /** A position's day is the day its event was recorded (the last event at or before it). */
  private async dayOf(point: PointInTime): Promise<string> {
    if (point.kind === 'recorded-at') return point.at.slice(0, 10);
    const rows: Array<{ day: string }> = await this.dataSource.query(
      `SELECT to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day FROM ${EVENTS_TABLE}
        WHERE global_position <= $1 ORDER BY global_position DESC LIMIT 1`,
      [point.position],
    );
    return rows[0]?.day ?? '0000-01-01';
  }
}
