import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { InProtocolRange, PROTOCOL_LIMITS } from './protocol-bounds';
import { SubmissionDto } from './submission.dto';

export class RecordInfusionFields {
  @ApiProperty({ enum: [375, 750], description: 'mg/m² body-surface area' })
  @IsNumber()
  @IsPositive()
  doseLevelMgPerM2: number;

  @ApiProperty({ example: 700, description: 'mg actually given' })
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.administeredDoseMg)
  administeredDoseMg: number;

  @ApiPropertyOptional({ description: "cm, when measured on the day (defaults to enrolment's)" })
  @IsOptional()
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.anthropometry.heightCm)
  heightCm?: number;

  @ApiPropertyOptional({ description: "kg, when measured on the day (defaults to enrolment's)" })
  @IsOptional()
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.anthropometry.weightKg)
  weightKg?: number;
}

export class RecordLabResultFields {
  @ApiProperty({ enum: ['IGM', 'ANTI_MAG', 'CD19', 'CD20'] })
  @IsIn(['IGM', 'ANTI_MAG', 'CD19', 'CD20'])
  analyte: string;

  @ApiProperty({ description: 'As reported; for a censored result, the limit' })
  @IsNumber()
  @Min(0)
  value: number;

  @ApiProperty({ example: 'g/L', description: 'IGM: g/L or mg/dL; ANTI_MAG: BTU; CD19/CD20: cells/uL or %' })
  @IsString()
  @Length(1, 16)
  unit: string;

  @ApiPropertyOptional({ enum: ['=', '<', '>'], default: '=' })
  @IsOptional()
  @IsIn(['=', '<', '>'])
  qualifier?: '=' | '<' | '>';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  specimenId?: string;
}

export class NerveConductionDto {
  @ApiProperty({ enum: ['median', 'ulnar', 'fibular', 'tibial', 'sural', 'radial'] })
  @IsIn(['median', 'ulnar', 'fibular', 'tibial', 'sural', 'radial'])
  nerve: string;

  @ApiProperty({ enum: ['left', 'right'] })
  @IsIn(['left', 'right'])
  side: string;

  @ApiPropertyOptional({ description: 'm/s' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  motorConductionVelocityMs?: number;

  @ApiPropertyOptional({ description: 'ms' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  distalMotorLatencyMs?: number;

  @ApiPropertyOptional({ description: 'mV' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  cmapAmplitudeMv?: number;

  @ApiPropertyOptional({ description: 'µV' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  snapAmplitudeUv?: number;

  @ApiPropertyOptional({ description: 'ms' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  fWaveLatencyMs?: number;

  @ApiPropertyOptional({ description: 'mm, stimulation site to recording electrode (for the terminal latency index)' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  distalDistanceMm?: number;
}

export class RecordNeurographyFields {
  @ApiProperty({ example: 33.1, description: '°C; below 32 °C the study is flagged' })
  @IsNumber()
  @InProtocolRange(PROTOCOL_LIMITS.neurography.limbTemperatureC)
  limbTemperatureC: number;

  @ApiProperty({ type: [NerveConductionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => NerveConductionDto)
  nerves: NerveConductionDto[];
}

export class RecordClinicalAssessmentFields {
  @ApiProperty({ description: 'Who assessed (blinded assessor id)' })
  @IsString()
  @Length(1, 64)
  assessorId: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  incatArms?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 5 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(5)
  incatLegs?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  sensorySumScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 60 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(60)
  mrcSumScore?: number;

  @ApiPropertyOptional({ description: 'seconds' })
  @IsOptional()
  @IsNumber()
  @IsPositive()
  tenMetreWalkSeconds?: number;

  @ApiPropertyOptional({ enum: ['improved', 'stable', 'worsened'] })
  @IsOptional()
  @IsIn(['improved', 'stable', 'worsened'])
  globalStatus?: string;
}

export class ReportAdverseEventFields {
  @ApiProperty({ example: 'Infusion-related reaction' })
  @IsString()
  @Length(1, 200)
  term: string;

  @ApiProperty()
  @IsBoolean()
  serious: boolean;

  @ApiProperty({ minimum: 1, maximum: 5, description: 'CTCAE grade' })
  @IsInt()
  @Min(1)
  @Max(5)
  grade: number;

  @ApiProperty({ enum: ['not_related', 'unlikely', 'possible', 'probable', 'definite'] })
  @IsIn(['not_related', 'unlikely', 'possible', 'probable', 'definite'])
  relatedness: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  outcome?: string;
}

export class WithdrawPatientFields {
  @ApiProperty({ example: 'Consent withdrawn' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class RecordInfusionDto extends IntersectionType(SubmissionDto, RecordInfusionFields) {}

export class RecordLabResultDto extends IntersectionType(SubmissionDto, RecordLabResultFields) {}

export class RecordNeurographyDto extends IntersectionType(SubmissionDto, RecordNeurographyFields) {}

export class RecordClinicalAssessmentDto extends IntersectionType(SubmissionDto, RecordClinicalAssessmentFields) {}

export class ReportAdverseEventDto extends IntersectionType(SubmissionDto, ReportAdverseEventFields) {}

export class WithdrawPatientDto extends IntersectionType(SubmissionDto, WithdrawPatientFields) {}
