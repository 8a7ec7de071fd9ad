import { ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { QUERY_STATUSES, type MonitoringDeviationCode, type QueryStatus } from '@trialstream/domain';
import { AsOfQuery, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQuery } from '@trialstream/api-common';
import { PATIENT_STATUSES_ON_DATE, type PatientStatusOnDate } from '../indicators/patient-monitoring';
import { MONITORING_DEVIATION_CODES } from '../indicators/site-indicators';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/** Every monitoring figure is "at the end of" a date; without one, the server clock's date (UTC). */
export { AsOfQuery };

export class PatientFilterQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: PATIENT_STATUSES_ON_DATE, description: 'Status at the reporting date' })
  @IsOptional()
  @IsIn(PATIENT_STATUSES_ON_DATE)
  status?: PatientStatusOnDate;
}

export class DeviationFilterQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: MONITORING_DEVIATION_CODES })
  @IsOptional()
  @IsIn(MONITORING_DEVIATION_CODES)
  code?: MonitoringDeviationCode;

  @ApiPropertyOptional({ example: 'S01-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  patientId?: string;
}

export class QueryFilterQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: QUERY_STATUSES, description: 'Status at the reporting date' })
  @IsOptional()
  @IsIn(QUERY_STATUSES)
  status?: QueryStatus;

  @ApiPropertyOptional({ example: 'S01-0001' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  patientId?: string;
}

export class PatientPageQuery extends IntersectionType(PatientFilterQuery, PageQuery) {}
export class DeviationPageQuery extends IntersectionType(DeviationFilterQuery, PageQuery) {}
export class QueryPageQuery extends IntersectionType(QueryFilterQuery, PageQuery) {}

export const SIGNATURE_FILTERS = ['awaiting', 'signed', 'unsigned', 'invalidated'] as const;

export class SignatureFilterQuery extends AsOfQuery {
  @ApiPropertyOptional({ enum: SIGNATURE_FILTERS, description: '`awaiting`: never signed, or invalidated since' })
  @IsOptional()
  @IsIn(SIGNATURE_FILTERS)
  status?: (typeof SIGNATURE_FILTERS)[number];

  @ApiPropertyOptional({ example: 'S01-0001', description: "One patient's casebook and visits (the patient page's signature dialog)" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  patientId?: string;
}
