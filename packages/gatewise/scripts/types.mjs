// Generates the package's TypeScript types from the Rust types' JSON Schemas, at build time:
//   docs/diagnosis.schema.json            → dist/diagnosis.d.ts (Diagnosis and its members)
//   crates/gatewise-wasm/api.schema.json  → dist/api.d.ts (options and results of the API)
// Both schemas are written from the Rust types by tests (the `schema` gate keeps them current).
// The function signatures (src/index.d.ts) import these; nothing here is written by hand.
//
//   node packages/gatewise/scripts/types.mjs <out-dir>
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const root = new URL('../../../', import.meta.url);
const out = process.argv[2];
if (!out) {
  console.error('usage: types.mjs <out-dir>');
  process.exit(2);
}
const load = (path) => JSON.parse(readFileSync(new URL(path, root), 'utf8'));

// Two adjustments for json-schema-to-typescript, which reads draft-07: tuples as
// `items: [...]` (not 2020-12 `prefixItems`), and a `$ref` with a sibling `description`
// would become a new anonymous copy of the referenced type (`Texts1`…): the reference wins.
function forJson2ts(node) {
  if (Array.isArray(node)) return node.map(forJson2ts);
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  for (const [k, v] of Object.entries(node)) copy[k] = forJson2ts(v);
  if (copy.prefixItems) {
    copy.items = copy.prefixItems;
    copy.additionalItems = false;
    delete copy.prefixItems;
  }
  if (copy.$ref && Object.keys(copy).every((k) => k === '$ref' || k === 'description')) {
    delete copy.description;
  }
  return copy;
}

const options = (source) => ({
  bannerComment: `/* Generated from ${source} by json-schema-to-typescript (packages/gatewise/scripts/types.mjs). Do not edit. */`,
  additionalProperties: false,
  unreachableDefinitions: true,
  strictIndexSignatures: true,
  format: true,
});

const diagnosis = load('docs/diagnosis.schema.json');
const diagnosisTs = await compile(forJson2ts(diagnosis), 'Diagnosis', options('docs/diagnosis.schema.json'));

// The API schema repeats Diagnosis and its members (they are the same Rust types, a test
// checks): point them at diagnosis.d.ts instead of declaring them twice.
const api = load('crates/gatewise-wasm/api.schema.json');
const shared = ['Diagnosis', ...Object.keys(diagnosis.$defs ?? {})];
for (const name of shared) {
  if (api.$defs[name]) api.$defs[name] = { tsType: `import('./diagnosis.js').${name}` };
}
let apiTs = await compile(forJson2ts(api), 'GatewiseApi', options('crates/gatewise-wasm/api.schema.json'));
// Re-declarations of the shared types would clash with diagnosis.d.ts's in `export *`: drop them.
const aliases = new RegExp(
  `^(?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export type (${shared.join('|')}) = import\\((["'])\\./diagnosis\\.js\\2\\)\\.\\1;\\n`,
  'gm',
);
apiTs = apiTs.replace(aliases, '');
const used = shared.filter((n) => new RegExp(`\\b${n}\\b`).test(apiTs));
apiTs = apiTs
  .replaceAll(/import\((["'])\.\/diagnosis\.js\1\)\.(\w+)/g, '$2')
  .replace(/\*\/\n/, `*/\n\nimport type { ${used.join(', ')} } from './diagnosis.js';\n`);

writeFileSync(`${out}/diagnosis.d.ts`, diagnosisTs);
writeFileSync(`${out}/api.d.ts`, apiTs);
console.log(`types: ${out}/diagnosis.d.ts, ${out}/api.d.ts`);
