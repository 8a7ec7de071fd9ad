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
  // Once every suite has reported, a handle some failure path leaked (a child process's pipes, a socket) must not keep
  // the run, and CI with it, waiting forever. With this option Jest ends every run with "Force exiting Jest: Have you
  // considered using `--detectOpenHandles`...", whether or not anything was left open: the line is not a finding.
  forceExit: true,
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
    {
      // Suites that run the three-broker cluster of `scripts/kafka.sh cluster` (its own ports): part of `npm test`;
      // `npm run test:cluster` runs them alone, `--selectProjects unit integration` leaves them out.
      ...shared,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/**/*.cluster-test.ts'],
      setupFiles: ['<rootDir>/test/support/setup-env.ts'],
    },
  ],
};
