import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FORM_CODES, SIGNATURE_MEANINGS, type SignatureMeaning } from '@trialstream/domain';

export class SignerView {
  @ApiProperty() userId: string;
  @ApiProperty() username: string;
  @ApiProperty({ description: "The signer's full name as printed with the signature" }) printedName: string;
  @ApiProperty() role: string;
}

export class SignatureScopeView {
  @ApiProperty({ enum: ['casebook', 'visit'] }) kind: 'casebook' | 'visit';
  @ApiPropertyOptional({ example: 'baseline', description: 'Scope `visit` only' }) visit?: string;
}

export class SignatureCoverageView {
  @ApiProperty({ type: [String], description: 'The events the signature covers' }) eventIds: string[];
  @ApiPropertyOptional({ enum: FORM_CODES, isArray: true, description: 'Visit scope only' }) forms?: string[];
  @ApiPropertyOptional({ example: '2026-03-01', description: "Visit scope only: the visit's window when it was signed" })
  windowStart?: string;
  @ApiPropertyOptional({ example: '2026-03-15' }) windowEnd?: string;
}

export class InvalidatingEventView {
  @ApiProperty({ format: 'uuid' }) eventId: string;
  @ApiProperty({ example: 'EntryCorrected' }) type: string;
  @ApiProperty({ example: '2026-03-20' }) occurredAt: string;
}

/** One electronic signature (`SignatureRecord`), `valid` or `invalidated` by a later change in its scope. */
export class SignatureView {
  @ApiProperty({ format: 'uuid' }) signatureId: string;
  @ApiProperty({ format: 'uuid', description: 'The RecordSigned event' }) eventId: string;
  @ApiProperty({ enum: SIGNATURE_MEANINGS }) meaning: SignatureMeaning;
  @ApiProperty({ type: SignatureScopeView }) scope: SignatureScopeView;
  @ApiProperty({ type: SignerView }) signer: SignerView;
  @ApiProperty({ format: 'date-time' }) signedAt: string;
  @ApiProperty({ description: "The patient's stream version the signer saw" }) signedStreamVersion: number;
  @ApiProperty({ type: SignatureCoverageView }) coverage: SignatureCoverageView;
  @ApiProperty({ description: 'SHA-256 (hex) of what the signature covers' }) contentHash: string;
  @ApiProperty({ enum: ['valid', 'invalidated'] }) status: 'valid' | 'invalidated';
  @ApiPropertyOptional({ type: InvalidatingEventView }) invalidatedBy?: InvalidatingEventView;
}
