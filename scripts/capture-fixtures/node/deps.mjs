// Resolves the npm packages installed by capture.py into $GATEWISE_NODE_DEPS
// (never into the repository). Usage: const mod = dep("http-proxy").
import { createRequire } from "node:module";
import path from "node:path";

const dir = process.env.GATEWISE_NODE_DEPS ?? "/var/tmp/gatewise-capture-deps/node";
export const dep = createRequire(path.join(dir, "package.json"));

// argv: <listen port> <upstream base URL> <timeout ms>
export const [port, target, timeoutMs] = [
  Number(process.argv[2]),
  process.argv[3],
  Number(process.argv[4]),
];
export const host = "127.0.0.1";
