import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { REGISTRY_STATUSES, type RegistryStatus } from '@trialstream/projections';

export const MAX_PAGE_SIZE = 500;
export const DEFAULT_PAGE_SIZE = 100;

export class ListRegistryPatientsQuery {
  @ApiPropertyOptional({ description: 'Only this site; it must be one of the sites assigned to you' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  siteId?: string;

  @ApiPropertyOptional({ enum: REGISTRY_STATUSES })
  @IsOptional()
  @IsIn(REGISTRY_STATUSES)
  status?: RegistryStatus;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}

export class RegistryPatientView {
  @ApiProperty() patientId: string;
  @ApiProperty({ nullable: true, type: String }) siteId: string | null;
  @ApiProperty({ enum: REGISTRY_STATUSES }) status: RegistryStatus;
  @ApiProperty({ nullable: true, type: String, description: 'Clinical time of the enrolment as the site reported it' })
  enrolledAt: string | null;
  @ApiProperty() lastEventType: string;
  @ApiProperty({ description: 'When the latest event was recorded (server time)' }) lastEventAt: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { PatientEnrolled: 1, InfusionGiven: 4 } })
  eventCounts: Record<string, number>;
  @ApiProperty() totalEvents: number;
}

export class RegistryPatientPage {
  @ApiProperty({ type: [RegistryPatientView] }) items: RegistryPatientView[];
  @ApiProperty({ description: 'Patients matching the filter, over all pages' }) total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class RegistrySiteView {
  @ApiProperty() siteId: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ nullable: true, type: String }) activatedAt: string | null;
  @ApiProperty() patients: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { enrolled: 3, randomized: 10, withdrawn: 1 } })
  byStatus: Record<RegistryStatus, number>;
}

export class RegistrySiteList {
  @ApiProperty({ type: [RegistrySiteView] }) items: RegistrySiteView[];
}
