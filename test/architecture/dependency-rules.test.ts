import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');

/** A throwaway tree laid out like the repository, checked with the repository's own rules. */
function treeOf(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'trialstream-deps-'));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const paths = {
    '@trialstream/domain': ['libs/domain/src'],
    '@trialstream/domain/*': ['libs/domain/src/*'],
    '@trialstream/event-store': ['libs/event-store/src'],
  };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** The names of the rules `npm run lint:deps` reports for the tree. */
async function violationsIn(files: Record<string, string>): Promise<string[]> {
  const dir = treeOf(files);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'apps',
        'libs',
        '--config',
        '.dependency-cruiser.cjs',
        '-T',
        'json',
      ],
      { cwd: dir, maxBuffer: 64 * 1024 * 1024 },
    ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
    const report = JSON.parse(stdout) as { summary: { violations: Array<{ rule: { name: string }; from: string; to: string }> } };
    return report.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to.replace(/^.*node_modules\//, '')}`).sort();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const LIBS = {
  'libs/domain/src/index.ts': 'export const DOMAIN = 1;\n',
  'libs/event-store/src/index.ts': 'export const STORE = 1;\n',
  'libs/messaging/src/index.ts': "import { Kafka } from 'kafkajs';\nexport const client = Kafka;\n",
  'apps/analysis/src/analysis.module.ts': 'export class AnalysisModule {}\n',
  'apps/platform/src/bootstrap.ts': 'export const bootstrapApp = 1;\n',
  'apps/platform/src/main.ts': "import { AnalysisModule } from '../../analysis/src/analysis.module';\nexport const m = AnalysisModule;\n",
  'apps/ingest/src/main.ts': "import { bootstrapApp } from '../../platform/src/bootstrap';\nexport const b = bootstrapApp;\n",
};

describe('the dependency rules (npm run lint:deps)', () => {
  it('accept the composition root and an app entry composing apps, and kafkajs inside libs/messaging', async () => {
    expect(await violationsIn(LIBS)).toEqual([]);
  });

  it('refuse a feature app importing another app, kafkajs, or a library by a deep relative path', async () => {
    const violations = await violationsIn({
      ...LIBS,
      'apps/ingest/src/randomize.ts': [
        "import { AnalysisModule } from '../../analysis/src/analysis.module';",
        "import { bootstrapApp } from '../../platform/src/bootstrap';",
        "import { Kafka } from 'kafkajs';",
        "import { DOMAIN } from '../../../libs/domain/src/index';",
        'export const all = [AnalysisModule, bootstrapApp, Kafka, DOMAIN];',
        '',
      ].join('\n'),
    });
    expect(violations).toEqual([
      'feature-apps-meet-only-in-libs: apps/ingest/src/randomize.ts -> apps/analysis/src/analysis.module.ts',
      'feature-apps-meet-only-in-libs: apps/ingest/src/randomize.ts -> apps/platform/src/bootstrap.ts',
      'kafkajs-only-in-messaging: apps/ingest/src/randomize.ts -> kafkajs/index.js',
      'no-deep-relative-imports-into-libs: apps/ingest/src/randomize.ts -> libs/domain/src/index.ts',
      'nothing-imports-the-composition-root: apps/ingest/src/randomize.ts -> apps/platform/src/bootstrap.ts',
    ]);
  });

  it('refuse framework, database, transport and I/O imports in libs/domain, and libraries importing apps', async () => {
    const violations = await violationsIn({
      ...LIBS,
      'libs/domain/src/impure.ts': [
        "import { Injectable } from '@nestjs/common';",
        "import { DataSource } from 'typeorm';",
        "import { Pool } from 'pg';",
        "import { readFileSync } from 'node:fs';",
        "import { STORE } from '@trialstream/event-store';",
        'export const all = [Injectable, DataSource, Pool, readFileSync, STORE];',
        '',
      ].join('\n'),
      'libs/event-store/src/upward.ts':
        "import { AnalysisModule } from '../../../apps/analysis/src/analysis.module';\nexport const a = AnalysisModule;\n",
    });
    expect(violations).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^domain-is-pure: libs\/domain\/src\/impure.ts -> @nestjs\/common\//),
        expect.stringMatching(/^domain-is-pure: libs\/domain\/src\/impure.ts -> typeorm\//),
        expect.stringMatching(/^domain-is-pure: libs\/domain\/src\/impure.ts -> pg\//),
        'domain-does-no-io: libs/domain/src/impure.ts -> fs',
        'domain-is-pure: libs/domain/src/impure.ts -> libs/event-store/src/index.ts',
        'libs-do-not-import-apps: libs/event-store/src/upward.ts -> apps/analysis/src/analysis.module.ts',
      ]),
    );
  });

  it('refuse product code importing a test builder, and the web app importing a library other than the domain', async () => {
    const violations = await violationsIn({
      ...LIBS,
      'libs/domain/src/testing/builders.ts': 'export const aPatient = 1;\n',
      'libs/domain/src/decide.spec.ts': "import { aPatient } from './testing/builders';\nexport const p = aPatient;\n",
      'apps/analysis/src/read.ts': "import { aPatient } from '@trialstream/domain/testing/builders';\nexport const p = aPatient;\n",
      'apps/web/src/api.ts': [
        "import { STORE } from '@trialstream/event-store';",
        "import { DOMAIN } from '@trialstream/domain';",
        'export const all = [STORE, DOMAIN];',
        '',
      ].join('\n'),
    });
    expect(violations).toEqual([
      'test-builders-stay-in-tests: apps/analysis/src/read.ts -> libs/domain/src/testing/builders.ts',
      'web-app-reaches-only-the-domain: apps/web/src/api.ts -> libs/event-store/src/index.ts',
    ]);
  });
});
