import { Global, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthModule, MetricsModule } from '@trialstream/api-common';
import { PLATFORM_CONFIG, PROTOCOL, loadConfig } from '@trialstream/config';
import { ANTI_MAG_RITUXIMAB_PROTOCOL } from '@trialstream/domain';
import { ProjectionFeeds, REGISTRY_PROJECTION } from '@trialstream/projections';
import { ProjectionsModule } from '../../apps/platform/src/projections.module';
import { enrolment, patientStream } from '@trialstream/projections/testing/patient-stories';
import { append, openProjectionHarness, tableRows, type ProjectionHarness } from './projection-harness';
import { eventually } from '../support/eventually';

describe('feeding projections inside a Nest app', () => {
  let harness: ProjectionHarness;
  let app: INestApplication;

  beforeAll(async () => {
    harness = await openProjectionHarness();
    @Module({
      providers: [
        { provide: 'DATA_SOURCE', useValue: harness.dataSource },
        { provide: 'EVENT_STORE', useValue: harness.store },
        { provide: PLATFORM_CONFIG, useValue: loadConfig({}) },
        { provide: PROTOCOL, useValue: ANTI_MAG_RITUXIMAB_PROTOCOL },
      ],
      exports: ['DATA_SOURCE', 'EVENT_STORE', PLATFORM_CONFIG, PROTOCOL],
    })
    @Global()
    class TestInfrastructure {}
    @Module({ imports: [TestInfrastructure, HealthModule, MetricsModule, ProjectionsModule.forRoot([REGISTRY_PROJECTION])] })
    class TestApp {}
    app = await NestFactory.create(TestApp, { logger: false, abortOnError: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await harness?.close();
  });

  it('shows an appended enrolment in the registry once the app is notified', async () => {
    await append(harness.store, patientStream('NM1', '001'), 'NM1', [enrolment('NM1', '001')]);
    app.get(ProjectionFeeds).notify();

    await eventually(async () =>
      expect(await tableRows(harness.dataSource, 'registry', 'patients')).toEqual([
        expect.objectContaining({ patient_id: 'NM1-001', status: 'enrolled', site_id: 'NM1' }),
      ]),
    );
  });

  it('stops its feeds when the app closes', async () => {
    const feeds = app.get(ProjectionFeeds);
    expect(feeds.runnerOf('registry')).toBeDefined();
    await app.close();
    expect(feeds.runnerOf('registry')).toBeUndefined();
    expect(harness.dataSource.isInitialized).toBe(true);
  });
});
