import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { InProtocolRange, PROTOCOL_LIMITS } from './protocol-bounds';
import { SubmissionDto } from './submission.dto';

export class EligibilityCriterionDto {
  @ApiProperty({ example: 'ANTI_MAG_ABOVE_1000_BTU' })
  @IsString()
  @Length(1, 64)
  code: string;

  @ApiProperty()
  @IsBoolean()
  met: boolean;
}

export class EligibilityDto {
  @ApiProperty({ description: 'All inclusion criteria met and no exclusion criterion; false records a screen failure' })
  @IsBoolean()
  met: boolean;

  @ApiProperty({ type: [EligibilityCriterionDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => EligibilityCriterionDto)
  criteria: EligibilityCriterionDto[];
}

/** Enrolment carries no name or birth date: pseudonymous subject number, birth year only (DESIGN.md, personal data). */
export class EnrolPatientFields {
  @ApiProperty({ description: "Site's screening number; the subject id is <siteId>-<screeningNumber>", example: '0001' })
  @IsString()
  @Matches(/^[A-Za-z0-9]{1,16}$/, { message: 'screeningNumber must be 1-16 letters or digits' })
  screeningNumber: string;

  @ApiProperty({ example: '2026-03-01' })
  @IsISO8601({ strict: true })
  consentDate: string;

  @ApiProperty({ type: EligibilityDto })
  @ValidateNested()
  @Type(() => EligibilityDto)
  eligibility: EligibilityDto;

  @ApiPropertyOptional({ example: 172, description: 'cm; required when eligible (it sets the dose)' })
  @IsOptional()
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.anthropometry.heightCm)
  heightCm?: number;

  @ApiPropertyOptional({ example: 74, description: 'kg; required when eligible (it sets the dose)' })
  @IsOptional()
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.anthropometry.weightKg)
  weightKg?: number;

  @ApiProperty({ enum: ['female', 'male'] })
  @IsIn(['female', 'male'])
  sex: 'female' | 'male';

  @ApiProperty({ example: 1956 })
  @IsInt()
  @Min(1900)
  @Max(2100)
  birthYear: number;
}

/**
 * Randomization is assigned by the server: once the trial's allocation list is loaded, the server
 * takes the next free kit of the patient's stratum (the site) and answers its number; a kit number
 * sent by the site is refused (rule `kit-assigned-by-server`), so no site can pick a kit. Without a
 * list (a trial whose kits an external IWRS dispenses), the site reports the kit it dispensed.
 */
export class RandomizePatientFields {
  @ApiPropertyOptional({
    example: 'K-0042',
    description: 'Only for trials without an allocation list here (kits dispensed by an external IWRS); refused otherwise',
  })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,32}$/)
  kitNumber?: string;

  @ApiPropertyOptional({ description: 'Randomization stratum; always the site when the server assigns the kit' })
  @IsOptional()
  @IsString()
  @Length(1, 64)
  stratum?: string;
}

export class EnrolPatientDto extends IntersectionType(SubmissionDto, EnrolPatientFields) {}

export class RandomizePatientDto extends IntersectionType(SubmissionDto, RandomizePatientFields) {}
