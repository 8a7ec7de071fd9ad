import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Actor, type Role } from '@trialstream/domain';

export class ActorView implements Actor {
  @ApiProperty() userId: string;
  @ApiProperty({ enum: ROLES }) role: Role;
}

export class AmendsView {
  @ApiProperty({ format: 'uuid', description: 'The event corrected or voided' }) eventId: string;
  @ApiProperty() reason: string;
}

/** A stored event as the API shows it (`EventEnvelope`); `hash` and `previousHash` only to roles that verify the chain. */
export class EventEnvelopeView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'InfusionGiven' }) type: string;
  @ApiProperty() schemaVersion: number;
  @ApiProperty({
    example: 'anti-mag-rituximab-rct.patient-S01-0001',
    description: "The trial's stream: `<trialId>.patient-<id>`, or `patient-<id>` in a log from before trial names",
  })
  streamId: string;
  @ApiProperty({ description: '1-based, gapless within a stream' }) streamVersion: number;
  @ApiProperty({ example: '42', description: 'Store-wide order (a decimal string)' }) globalPosition: string;
  @ApiProperty({ example: '1234', description: 'The writing transaction (a decimal string)' }) transactionId: string;
  @ApiProperty({ type: String, nullable: true }) siteId: string | null;
  @ApiProperty({ type: ActorView }) actor: ActorView;
  @ApiProperty({ example: '2026-03-09', description: 'Clinical time as the site reported it' }) occurredAt: string;
  @ApiProperty({ format: 'date-time', description: 'Server time of the commit' }) recordedAt: string;
  @ApiProperty({ description: "The request's id (`X-Request-Id`)" }) correlationId: string;
  @ApiProperty({ type: String, nullable: true }) causationId: string | null;
  @ApiProperty({ type: String, nullable: true }) submissionId: string | null;
  @ApiProperty({ type: AmendsView, nullable: true }) amends: AmendsView | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The payload of the event's type" })
  data: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Only for roles that verify the chain' }) previousHash?: string;
  @ApiPropertyOptional({ description: 'Only for roles that verify the chain' }) hash?: string;
}
