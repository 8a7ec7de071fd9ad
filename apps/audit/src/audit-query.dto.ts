import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export const DEFAULT_LOG_PAGE = 100;
export const MAX_LOG_PAGE = 1000;
export const DEFAULT_ROWS_PAGE = 100;
export const MAX_ROWS_PAGE = 1000;

const POSITION = /^\d{1,18}$/;
const POSITION_MESSAGE = '$property must be a global position (digits)';

export class LogPageQuery {
  @ApiPropertyOptional({
    description: 'Events after this global position (exclusive); the nextAfterPosition of the previous page',
    example: '0',
  })
  @IsOptional()
  @Matches(POSITION, { message: POSITION_MESSAGE })
  afterPosition?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_LOG_PAGE, default: DEFAULT_LOG_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_LOG_PAGE)
  limit?: number;
}

export class LogRangeQuery {
  @ApiPropertyOptional({ description: 'Events after this global position (exclusive); from the start when omitted' })
  @IsOptional()
  @Matches(POSITION, { message: POSITION_MESSAGE })
  afterPosition?: string;

  @ApiPropertyOptional({ description: 'Events up to this global position (inclusive); to the end of the settled log when omitted' })
  @IsOptional()
  @Matches(POSITION, { message: POSITION_MESSAGE })
  untilPosition?: string;
}

/** Exactly one of the two; checked by `pointInTimeOf`. */
export class PointInTimeQuery {
  @ApiPropertyOptional({ description: 'Recorded-at instant (inclusive), ISO 8601 with offset', example: '2026-06-01T12:00:00Z' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  at?: string;

  @ApiPropertyOptional({ description: 'Global position (inclusive)', example: '42' })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  position?: string;
}

export class ProjectionAsOfQuery extends PointInTimeQuery {
  @ApiPropertyOptional({ description: 'One table of the read model; every table when omitted' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  table?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_ROWS_PAGE, default: DEFAULT_ROWS_PAGE, description: 'Rows per table' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ROWS_PAGE)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'Rows skipped per table (ordered by primary key)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset?: number;
}
