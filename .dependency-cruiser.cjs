/**
 * The layers of src/, written once and checked by `npm test` (dependency-cruiser): a folder imports
 * only from the folders listed below it, never from one above it or beside it, so no two folders
 * import each other. The order is the README's map ("Where things are"), bottom up:
 *
 *   core                      shared shapes and helpers (types, errors, dates, atomic writes)
 *   text, embedding           sentences and chunks; the models
 *   corpus                    reading the articles
 *   import                    pages, feeds and JSONL into articles
 *   index                     generations on disk: manifest, vector files, BM25, reference moments
 *   search                    the Answerer: candidates, fusion, quotes, "not covered"
 *   backend                   what an index backend provides (the contract both implement)
 *   local, postgres           the two backends, peers: neither imports the other
 *   community                 settings, stored questions, feedback (SQLite, or the PostgreSQL connection)
 *   engine                    openBackend(), and the engine in its worker thread
 *   eval, bench               measurements
 *   config.ts, logger.ts, options.ts, bot, cli    the adapters (they alone read the environment)
 *
 * Among the adapters: ops (the HTTP /healthz and /metrics) is used by bot and started by cli, so it
 * sits below both and imports neither; bot never imports cli (cli starts the bot).
 */
const CORE = [
  'core',
  'text',
  'embedding',
  'corpus',
  'import',
  'index',
  'search',
  'backend',
  'local',
  'postgres',
  'community',
  'engine',
  'eval',
  'bench',
];

/** What each folder of src/ may import from (besides itself and node_modules). */
const MAY_IMPORT = {
  core: [],
  text: ['core'],
  embedding: ['core'],
  corpus: ['core', 'text'],
  import: ['core', 'text', 'corpus'],
  index: ['core', 'text', 'embedding', 'corpus'],
  search: ['core', 'text', 'embedding', 'corpus', 'index'],
  backend: ['core', 'text', 'embedding', 'corpus', 'index', 'search'],
  local: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'backend'],
  postgres: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'backend'],
  community: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'postgres'],
  engine: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'backend', 'local', 'postgres'],
  eval: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'backend', 'engine'],
  bench: ['core', 'text', 'embedding', 'corpus', 'index', 'search', 'backend', 'engine'],
};

const folderRules = Object.entries(MAY_IMPORT).map(([folder, allowed]) => ({
  name: `layer-${folder}`,
  comment: `src/${folder}/ may import only from ${allowed.length > 0 ? allowed.map((f) => `src/${f}/`).join(', ') : 'nothing else in src/'} (see the layers at the top of .dependency-cruiser.cjs)`,
  severity: 'error',
  from: { path: `^src/${folder}/` },
  to: { path: '^src/', pathNot: [`^src/(${[folder, ...allowed].join('|')})/`] },
}));

module.exports = {
  forbidden: [
    ...folderRules,
    {
      name: 'core-reads-no-environment',
      comment: 'the core never reads the configuration or logs: the adapters (src/cli, src/bot) parse it once and pass plain options',
      severity: 'error',
      from: { path: `^src/(${CORE.join('|')})/` },
      to: { path: '^src/(config|logger|options)\\.ts$' },
    },
    {
      name: 'layer-ops',
      comment: 'src/ops/ (health and metrics) may import only src/core/ and the logger: bot and cli use it, so it imports neither',
      severity: 'error',
      from: { path: '^src/ops/' },
      to: { path: '^src/', pathNot: ['^src/(ops|core)/', '^src/logger\\.ts$'] },
    },
    {
      name: 'layer-bot',
      comment: 'src/bot/ never imports src/cli/: the command line starts the bot, not the other way round',
      severity: 'error',
      from: { path: '^src/bot/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-circular',
      comment:
        'no module imports itself through others at run time (interfaces that name each other, `import type`, are fine: they vanish when compiled)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'src-not-into-tests',
      comment: 'source never imports tests, scripts or training code',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|scripts|training)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
