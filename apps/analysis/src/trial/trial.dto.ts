import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';

class AdministrativeSubmission {
  @ApiPropertyOptional({ format: 'password', description: "the decider's password: the decision is signed (21 CFR Part 11)" })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  password?: string;

  @ApiPropertyOptional({ description: "the decider's user name: required for the first signature of a session" })
  @IsOptional()
  @IsString()
  @Length(1, 1024)
  username?: string;

  @ApiProperty({ description: 'Client-chosen id; resubmitting it returns the first result and stores nothing new' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'submissionId may contain only letters, digits and . _ : -' })
  submissionId: string;
}

export class TrialStepDto extends AdministrativeSubmission {
  @ApiPropertyOptional({ example: 'Last patient out; all queries closed' })
  @IsOptional()
  @IsString()
  @Length(3, 1000)
  reason?: string;
}

export class UnblindingDto extends AdministrativeSubmission {
  @ApiProperty({ example: 'Final analysis per statistical analysis plan v2.1' })
  @IsString()
  @Length(3, 1000)
  reason: string;
}

export class CodeBreakDto extends AdministrativeSubmission {
  @ApiProperty({ example: 'Anaphylaxis; the treating physician must know the allocation' })
  @IsString()
  @Length(3, 1000)
  reason: string;
}
