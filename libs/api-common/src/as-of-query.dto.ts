import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';

/** A read "at the end of" a date (monitoring figures, a point-in-time analysis); without one, today on the server clock (UTC). */
export class AsOfQuery {
  @ApiPropertyOptional({
    example: '2026-04-20',
    description:
      'Reporting date (YYYY-MM-DD): data dated up to it, judged by the protocol version in force on it; default: today on the server clock',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'asOf must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  asOf?: string;
}
