import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';

export class EndpointQuery {
  @ApiPropertyOptional({ example: 'month-12', description: "The follow-up visit endpoints read (default: each patient's latest)" })
  @IsOptional()
  @Matches(/^(screening|baseline|month-\d{1,3}|day-\d{1,4})$/, { message: 'visit must be screening, baseline, month-N or day-N' })
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
  visit: query.visit,
  point: query.point,
  thresholds: {
    ...(query.igmRise === undefined ? {} : { igmRiseFromNadir: query.igmRise }),
    ...(query.antiMagRise === undefined ? {} : { antiMagRiseFromNadir: query.antiMagRise }),
    ...(query.incatRise === undefined ? {} : { incatRise: query.incatRise }),
  },
});
