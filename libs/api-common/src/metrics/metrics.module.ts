import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { StoreMetrics } from './store-metrics';

/** GET /metrics and the Metrics registry every module adds to. */
@Global()
@Module({ controllers: [MetricsController], providers: [Metrics, StoreMetrics], exports: [Metrics] })
export class MetricsModule {}
