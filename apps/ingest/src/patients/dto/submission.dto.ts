import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Min } from 'class-validator';

/** What every site submission carries: the client's own id (for safe retries) and the clinical time. */
export class SubmissionDto {
  @ApiProperty({
    description: 'Client-chosen id; resubmitting it returns the first result and stores nothing new',
    example: '7d3c9a4e-site-S01-0001-enrol',
  })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'submissionId may contain only letters, digits and . _ : -' })
  submissionId: string;

  @ApiPropertyOptional({ description: "The patient stream's version the client last saw; a mismatch is a 409 conflict" })
  @IsOptional()
  @IsInt()
  @Min(0)
  expectedVersion?: number;

  @ApiProperty({ description: 'When it happened (clinical time): ISO 8601 date or date-time with offset', example: '2026-03-02' })
  @IsISO8601({ strict: true })
  occurredAt: string;
}

type Transport = Pick<SubmissionDto, 'submissionId' | 'expectedVersion'>;

/** A submission's own fields, for the domain's command: the submission id and expected version are the transport's. */
export const submittedFields = <B extends Transport>({
  submissionId: _id,
  expectedVersion: _version,
  ...fields
}: B): Omit<B, keyof Transport> => fields;
