import { Module } from '@nestjs/common';
import { DATA_SOURCE } from '@trialstream/database';
import type { DataSource } from 'typeorm';
import { AllocationStore } from './allocation-store';

/**
 * The allocation list's store, for the write side (kit assignment at randomization) and the analysis
 * (per-arm reads, code-breaks). Needs the platform's global 'DATA_SOURCE'.
 */
@Module({
  providers: [{ provide: AllocationStore, useFactory: (dataSource: DataSource) => new AllocationStore(dataSource), inject: [DATA_SOURCE] }],
  exports: [AllocationStore],
})
export class AllocationModule {}
