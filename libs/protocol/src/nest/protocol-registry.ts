import { createHash } from 'node:crypto';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ApiError } from '@trialstream/api-common';
import type { Principal } from '@trialstream/auth';
import { CLOCK, PLATFORM_CONFIG, PROTOCOL_HOLDER, TRIAL_STREAMS, type PlatformConfig, type ProtocolHolder } from '@trialstream/config';
import {
  decideProtocolActivation,
  labConversionsBeforeVersions,
  protocolInForce,
  protocolVersionsFrom,
  type ProtocolDefinition,
  type ProtocolVersion,
  type TrialStreams,
} from '@trialstream/domain';
import { EVENT_STORE, type PostgresEventStore } from '@trialstream/event-store';
import { StreamWriter, type WriteResult } from '@trialstream/write-side';
import { readFileSync } from 'node:fs';
import { parseProtocolYaml } from '../load';

/** Who loads the configured protocol file on first start. */
const STARTUP: Principal = { userId: 'system:protocol-file', name: 'protocol file at start', role: 'administrator', siteIds: [] };

export interface Activation {
  /** The protocol file's YAML text. */
  file: string;
  /** YYYY-MM-DD; default: today. */
  effectiveFrom?: string;
  submissionId: string;
}

/**
 * The protocol versions of the trial stream. Keeps PROTOCOL at the version in force today; activating
 * a version validates the file (422 naming the field, nothing stored) and appends ProtocolActivated
 * through the one write path.
 */
@Injectable()
export class ProtocolRegistry implements OnModuleInit {
  private versionList: ProtocolVersion[] = [];
  /** The trial stream's version read so far: a stream only grows, so a refresh reads what came after it. */
  private readThrough = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(PROTOCOL_HOLDER) private readonly holder: ProtocolHolder,
    @Inject(PLATFORM_CONFIG) private readonly config: PlatformConfig,
    @Inject(CLOCK) private readonly clock: () => Date,
    private readonly writer: StreamWriter,
    @Inject(TRIAL_STREAMS) private readonly streams: TrialStreams,
  ) {}

  /** On first start, the configured file becomes version 1 (idempotent across processes by its hash). */
  async onModuleInit(): Promise<void> {
    await this.refresh();
    if (this.versionList.length > 0 || this.config.protocolFile === null) return;
    const file = readFileSync(this.config.protocolFile, 'utf8');
    await this.activate(STARTUP, { file, submissionId: `protocol-file-${sha256(file)}` });
  }

  /**
   * Reads what the trial stream gained since the last refresh (another process may have activated a
   * version): on most requests nothing, in one query by its primary key.
   */
  async refresh(): Promise<ProtocolVersion[]> {
    const read = await this.store.readStream(this.streams.trial, { afterVersion: this.readThrough });
    // a refresh that ran while this one read may have taken some of these already
    const fresh = read.filter((event) => event.streamVersion > this.readThrough);
    if (fresh.length > 0) {
      this.versionList = [...this.versionList, ...protocolVersionsFrom(fresh)];
      this.readThrough = fresh[fresh.length - 1].streamVersion;
    }
    const inForce = protocolInForce(this.versionList, this.today());
    if (inForce) this.holder.current = inForce.definition;
    return this.versionList;
  }

  versions(): readonly ProtocolVersion[] {
    return this.versionList;
  }

  /** Names the versions logged and today's date: while it stays the same, every read by the protocol reads the same. */
  versionsKey(): string {
    return [this.today(), ...this.versionList.map((version) => `${version.version}:${version.effectiveFrom}:${version.sourceSha256}`)].join(
      '|',
    );
  }

  /** The version in force on a date: point-in-time views use it. Before any version is logged, the built-in or configured one. */
  inForceAt(date: string): ProtocolDefinition {
    return protocolInForce(this.versionList, date)?.definition ?? this.holder.current;
  }

  /** The version in force today by the server's clock (CLOCK, which tests pin). */
  inForceToday(): ProtocolDefinition {
    return this.inForceAt(this.today());
  }

  async activate(principal: Principal, activation: Activation): Promise<WriteResult> {
    const parsed = parseProtocolYaml(activation.file);
    if (!parsed.ok)
      throw ApiError.ruleViolations(parsed.problems.map(({ field, rule, message }) => ({ field: `file.${field}`, rule, message })));
    const trialId = this.streams.trialId;
    if (trialId !== null && parsed.definition.id !== trialId) {
      throw ApiError.ruleViolations([
        {
          field: 'file.trial.id',
          rule: 'deployment-trial',
          message: `this deployment hosts trial '${trialId}' (its stream names carry it); '${parsed.definition.id}' needs a deployment of its own`,
        },
      ]);
    }
    const sourceSha256 = sha256(activation.file);
    const effectiveFrom = activation.effectiveFrom ?? this.today();
    const result = await this.writer.write<ProtocolVersion[]>({
      principal,
      streamId: this.streams.trial,
      siteOf: () => null,
      submissionId: activation.submissionId,
      request: { kind: 'protocol-activation', body: { sourceSha256, effectiveFrom } },
      resource: { protocol: parsed.definition.id },
      fold: protocolVersionsFrom,
      authorize: () => undefined,
      // the route required 'administer'
      decide: (versions, ctx) =>
        decideProtocolActivation(
          versions,
          // the default trial may hold data read by the built-in protocol before its first version
          { definition: parsed.definition, effectiveFrom, sourceSha256, readBefore: labConversionsBeforeVersions(trialId) },
          ctx.now.toISOString(),
        ),
    });
    await this.refresh();
    return result;
  }

  private today(): string {
    return this.clock().toISOString().slice(0, 10);
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
