import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';

export class GenerateAllocationListDto {
  @ApiProperty({ example: 'anti-mag-2026', description: 'Reproduces the list; keep it as secret as the list itself' })
  @IsString()
  @Length(1, 200)
  seed: string;

  @ApiProperty({ example: ['S01', 'S02'], description: 'One stratum per activated site: patients are randomized within their site' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @Matches(/^[A-Z0-9][A-Z0-9-]{0,19}$/, { each: true, message: 'each stratum must be a site id (capital letters, digits or hyphens)' })
  strata: string[];

  @ApiProperty({ example: [4, 6], description: 'Permuted block sizes, each a multiple of the number of arms' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @IsInt({ each: true })
  @Min(2, { each: true })
  @Max(100, { each: true })
  blockSizes: number[];

  @ApiProperty({ example: 40 })
  @IsInt()
  @Min(1)
  @Max(10_000)
  kitsPerStratum: number;

  @ApiPropertyOptional({ example: ['rituximab', 'placebo'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(6)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  arms?: string[];
}

export class ImportAllocationListDto {
  @ApiProperty({ description: 'CSV with the columns kitNumber, stratum, blockNumber, arm (any order); strata are site ids' })
  @IsString()
  @Length(1, 2_000_000)
  csv: string;

  @ApiPropertyOptional({ example: ['rituximab', 'placebo'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(6)
  @IsString({ each: true })
  @Length(1, 64, { each: true })
  arms?: string[];
}
