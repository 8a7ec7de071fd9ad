import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { AsOfQuery } from '@trialstream/api-common';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';

/** A point-in-time analysis (`asOf`): data dated up to the day, visits and endpoints of the protocol version in force on it. */
export class EndpointQuery extends AsOfQuery {
  @ApiPropertyOptional({
    example: 'month-8',
    description:
      "A named visit of the protocol (GET /analysis/protocol lists them). Default: the pooled summary reads each patient's latest; each protocol endpoint reads its declared visit",
  })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9-]{0,39}$/, { message: 'visit must be the name of a protocol visit, e.g. month-8' })
  visit?: string;

  @ApiPropertyOptional({ enum: ['latest', 'nadir'], description: 'Per cycle and dose level: the last or the lowest value in the group' })
  @IsOptional()
  @IsIn(['latest', 'nadir'])
  point?: 'latest' | 'nadir';

  @ApiPropertyOptional({ example: 0.25, description: 'Re-treatment signal: IgM rise above its nadir (fraction)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(10)
  igmRise?: number;

  @ApiPropertyOptional({ example: 0.25, description: 'Re-treatment signal: anti-MAG titer rise above its nadir (fraction)' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  @Max(10)
  antiMagRise?: number;

  @ApiPropertyOptional({ example: 1, description: 'Re-treatment signal: INCAT points above the pre-treatment baseline' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10)
  incatRise?: number;
}

export const optionsOf = (query: EndpointQuery) => ({
  asOf: query.asOf,
  visit: query.visit,
  point: query.point,
  thresholds: {
    ...(query.igmRise === undefined ? {} : { igmRiseFromNadir: query.igmRise }),
    ...(query.antiMagRise === undefined ? {} : { antiMagRiseFromNadir: query.antiMagRise }),
    ...(query.incatRise === undefined ? {} : { incatRise: query.incatRise }),
  },
});
