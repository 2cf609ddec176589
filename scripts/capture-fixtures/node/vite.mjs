// Vite's dev server with `server.proxy` as its documentation shows it: every path is
// proxied to the upstream (changeOrigin, a 2 s proxyTimeout); the logger is Vite's own.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { port, target, timeoutMs, host } from "./deps.mjs";

const deps = process.env.GATEWISE_NODE_DEPS ?? "/var/tmp/gatewise-capture-deps/node";
const { createServer } = await import(
  pathToFileURL(path.join(deps, "node_modules/vite/dist/node/index.js")).href
);
const root = path.join(process.cwd(), `vite-${port}`);
mkdirSync(root, { recursive: true });
writeFileSync(path.join(root, "index.html"), "<!doctype html><title>app</title>\n");
const server = await createServer({
  root,
  configFile: false,
  clearScreen: false,
  server: {
    host,
    port,
    strictPort: true,
    proxy: { "/some": { target, changeOrigin: true, proxyTimeout: timeoutMs } },
  },
});
await server.listen();
