import { ApiProperty } from '@nestjs/swagger';

export class StratumKitCountsView {
  @ApiProperty({ example: 'S01' }) stratum: string;
  @ApiProperty() kits: number;
  @ApiProperty({ description: 'Held for a randomization being recorded' }) reserved: number;
  @ApiProperty({ description: 'Given to a randomized patient' }) dispensed: number;
  @ApiProperty() available: number;
}

/** What an administrator may see of the list (`AllocationOverview`): counts per stratum, never an arm. */
export class AllocationOverviewView {
  @ApiProperty() loaded: boolean;
  @ApiProperty({ type: String, enum: ['generated', 'imported'], nullable: true }) source: 'generated' | 'imported' | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) loadedAt: string | null;
  @ApiProperty() kits: number;
  @ApiProperty({ type: [StratumKitCountsView] }) strata: StratumKitCountsView[];
}

export class AllocationWarningView {
  @ApiProperty() field: string;
  @ApiProperty({ example: 'unbalanced-block' }) rule: string;
  @ApiProperty({ description: 'Names the block, never its arms' }) message: string;
}

export class AllocationLoadedView extends AllocationOverviewView {
  @ApiProperty({ type: [AllocationWarningView], description: 'What to double-check in an imported list' })
  warnings: AllocationWarningView[];
}
