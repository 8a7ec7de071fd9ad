import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SubmissionDto } from './submission.dto';

/**
 * A correction never overwrites: it is a new event naming the one it corrects and why. `data` is the
 * full corrected payload of the original event's type; the domain validates it with that type's rules.
 */
export class CorrectEntryDto extends SubmissionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  correctedEventId: string;

  @ApiProperty({ example: 'Transcription error: value was 1.8 g/L on the lab report' })
  @IsString()
  @Length(3, 500)
  reason: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The full corrected payload' })
  @IsObject()
  data: Record<string, unknown>;

  @ApiPropertyOptional({
    description:
      "The entry's corrected clinical time. Absent: the entry keeps its own; `occurredAt` (when the correction was made) never moves it",
    example: '2026-03-01',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  correctedOccurredAt?: string;
}

export class VoidEntryDto extends SubmissionDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  voidedEventId: string;

  @ApiProperty({ example: 'Entered for the wrong patient' })
  @IsString()
  @Length(3, 500)
  reason: string;
}
