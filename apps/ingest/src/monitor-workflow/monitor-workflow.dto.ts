import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { SubmissionDto } from '../patients/dto/submission.dto';

/** A monitor's or a site's action on a record has no clinical time: it happens when the server decides it. */
export class MonitorSubmissionDto extends OmitType(SubmissionDto, ['occurredAt'] as const) {}

export class RaiseQueryDto extends MonitorSubmissionDto {
  @ApiProperty({ format: 'uuid', description: 'The event questioned' })
  @IsUUID()
  targetEventId: string;

  @ApiProperty({ example: 'administeredDoseMg', description: "A field path into the event's payload, or occurredAt" })
  @IsString()
  @Length(1, 200)
  field: string;

  @ApiProperty({ example: 'The pharmacy log shows 750 mg: please check.' })
  @IsString()
  @Length(1, 2000)
  text: string;
}

export class AnswerQueryDto extends MonitorSubmissionDto {
  @ApiProperty({ example: 'Transcription error, corrected to 750 mg.' })
  @IsString()
  @Length(1, 2000)
  text: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The EntryCorrected event, submitted beforehand, that corrects the queried entry' })
  @IsOptional()
  @IsUUID()
  correctionEventId?: string;
}

export class CloseQueryDto extends MonitorSubmissionDto {}

export class CancelQueryDto extends MonitorSubmissionDto {
  @ApiProperty({ example: 'Raised on the wrong visit' })
  @IsString()
  @Length(1, 2000)
  reason: string;
}

export class ReopenQueryDto extends MonitorSubmissionDto {
  @ApiProperty({ example: 'The correction still differs from the pharmacy log.' })
  @IsString()
  @Length(1, 2000)
  text: string;
}

export class VerifySourceDataDto extends MonitorSubmissionDto {
  @ApiProperty({ format: 'uuid', description: 'The event compared with its source document' })
  @IsUUID()
  targetEventId: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['administeredDoseMg'],
    description: 'Only these fields were verified; omitted: the whole event',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  fields?: string[];
}
