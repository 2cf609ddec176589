// When the INSTALLED package loads its WebAssembly core under Node: not on import, on the first
// call (synchronously, so every function works without init()); init() resolves either way.
// Each case runs in a fresh Node process, which counts the reads of the .wasm file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Runs `body` (an async function's body) in a fresh process; `reads()` counts .wasm reads. */
function fresh(body) {
  const script = `
    import fs from 'node:fs';
    import { syncBuiltinESMExports } from 'node:module';
    let count = 0;
    const read = fs.readFileSync;
    fs.readFileSync = (path, ...rest) => {
      if (String(path).endsWith('.wasm')) count += 1;
      return read(path, ...rest);
    };
    syncBuiltinESMExports();
    const reads = () => count;
    const out = await (async () => { ${body} })();
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    encoding: 'utf8',
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

test('Node: importing reads no .wasm; the first call reads it once, synchronously', () => {
  const out = fresh(`
    const gw = await import('gatewise');
    await import('gatewise/element');
    const afterImport = reads();
    const title = gw.explainStatus('524').texts.title;
    const afterCall = reads();
    gw.classifyError(new TypeError('fetch failed'));
    await gw.init();
    return { afterImport, afterCall, afterMore: reads(), title: typeof title };
  `);
  assert.deepEqual(out, { afterImport: 0, afterCall: 1, afterMore: 1, title: 'string' });
});

test('Node: init() loads the core before any call, once', () => {
  const out = fresh(`
    const { init, limits } = await import('gatewise');
    const first = init();
    const again = init();
    await Promise.all([first, again]);
    const afterInit = reads();
    return { afterInit, maxBody: limits().maxBody, afterCall: reads() };
  `);
  assert.deepEqual(out, { afterInit: 1, maxBody: 16384, afterCall: 1 });
});
