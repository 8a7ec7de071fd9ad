import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions, IntersectionType } from '@nestjs/swagger';
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
import { LAB_ANALYTES, LAB_QUALIFIERS, type LabAnalyte, type LabQualifier } from '@trialstream/domain';
import { InProtocolRange, PROTOCOL_LIMITS } from './protocol-bounds';
import { SubmissionDto } from './submission.dto';

export class RecordInfusionFields {
  @ApiProperty({ enum: PROTOCOL_LIMITS.doseLevelsMgPerM2, description: 'mg/m² body-surface area: a dose level of the protocol' })
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

/**
 * The units each analyte is reported in, as the protocol defines them (canonical units and their UCUM spellings);
 * the protocol version in force decides, and a unit it does not list is refused (422, rule unit-not-allowed).
 */
const UNITS_BY_ANALYTE = Object.fromEntries(LAB_ANALYTES.map((analyte) => [analyte, Object.keys(PROTOCOL_LIMITS.labs[analyte].units)]));

const LAB_UNIT_DOC: ApiPropertyOptions = Object.assign(
  {
    example: 'g/L',
    description: `Per analyte, as the protocol defines: ${LAB_ANALYTES.map((analyte) => `${analyte}: ${UNITS_BY_ANALYTE[analyte].join(', ')}`).join('; ')}`,
  },
  // machine-readable, for clients and the contract test: the units of each analyte
  { 'x-units-by-analyte': UNITS_BY_ANALYTE },
);

export class RecordLabResultFields {
  @ApiProperty({ enum: LAB_ANALYTES })
  @IsIn(LAB_ANALYTES)
  analyte: LabAnalyte;

  @ApiProperty({ description: 'As reported; for a censored result, the limit' })
  @IsNumber()
  @Min(0)
  value: number;

  @ApiProperty(LAB_UNIT_DOC)
  @IsString()
  @Length(1, 16)
  unit: string;

  @ApiPropertyOptional({ enum: LAB_QUALIFIERS, default: '=', description: '`<` or `>`: a censored result, `value` its limit' })
  @IsOptional()
  @IsIn(LAB_QUALIFIERS)
  qualifier?: LabQualifier = '=';

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
