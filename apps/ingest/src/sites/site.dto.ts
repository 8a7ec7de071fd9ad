import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';

export class ActivateSiteDto {
  @ApiProperty({ description: 'Client-chosen id; resubmitting it returns the first result' })
  @IsString()
  @Length(1, 128)
  @Matches(/^[A-Za-z0-9._:-]+$/, { message: 'submissionId may contain only letters, digits and . _ : -' })
  submissionId: string;

  @ApiProperty({
    example: 'S01',
    description: "Short site code; part of every subject number. The protocol's site id pattern decides (422 site-id-pattern)",
  })
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,19}$/, { message: 'siteId must be up to 20 capital letters, digits or hyphens' })
  siteId: string;

  @ApiProperty({ example: 'Hôpital de la Salpêtrière, Paris' })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiPropertyOptional({ example: 'FR', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' })
  country?: string;

  @ApiProperty({ example: '2026-01-15', description: 'Activation date' })
  @IsISO8601({ strict: true })
  occurredAt: string;
}
