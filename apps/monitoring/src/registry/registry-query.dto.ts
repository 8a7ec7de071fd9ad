import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { REGISTRY_STATUSES, type RegistryStatus } from '@trialstream/projections';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageQuery } from '@trialstream/api-common';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

export class ListRegistryPatientsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Only this site; it must be one of the sites assigned to you' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  siteId?: string;

  @ApiPropertyOptional({ enum: REGISTRY_STATUSES })
  @IsOptional()
  @IsIn(REGISTRY_STATUSES)
  status?: RegistryStatus;
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
