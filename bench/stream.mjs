// Streaming through a worker: the client side of bench/run.mjs's streaming section. The origin
// (bench/stream-origin.mjs) runs in its own process; workerd in another; this is the client.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHUNK = Buffer.alloc(64 * 1024, 0x5a);

/** Starts bench/stream-origin.mjs; resolves to { port, child } once it listens. */
export function startStreamOrigin() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./stream-origin.mjs', import.meta.url))], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`stream origin exited (${code})`)));
    child.stdout.on('data', (c) => {
      out += c;
      const m = out.match(/^(\d+)\n/);
      if (m) resolve({ port: Number(m[1]), child });
    });
  });
}

/** workerd's resident set in bytes (VmRSS of /proc/<pid>/status). */
export function rss(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return m ? Number(m[1]) * 1024 : NaN;
}

/** Samples rss(pid) every `ms` until stopped; `stop()` returns the peak. */
export function sampleRss(pid, ms = 20) {
  let peak = rss(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rss(pid));
  }, ms);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rss(pid));
  };
}

/** GET /stream?bytes=N through `port`: counts what arrives; { bytes, seconds }. */
export function download(port, bytes) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path: `/stream?bytes=${bytes}`, agent: false }, (res) => {
      let got = 0;
      res.on('data', (c) => {
        got += c.length;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode, bytes: got, seconds: Number(process.hrtime.bigint() - t0) / 1e9 }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/**
 * POST /upload through `port`: streams `bytes` bytes in 64 KiB chunks (with `Content-Length`
 * when `withLength`, else chunked); resolves to the origin's count and framing and the time.
 */
export function upload(port, bytes, withLength) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/octet-stream' };
    if (withLength) headers['content-length'] = String(bytes);
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/upload', headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
        let seen = null;
        try {
          seen = JSON.parse(body);
        } catch {
          // not the origin's answer: reported below through `status` and `bytes: NaN`
        }
        resolve({ status: res.statusCode, bytes: seen?.bytes ?? NaN, seen, seconds, answer: seen ? undefined : body.slice(0, 300) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    let left = bytes;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, CHUNK.length);
        left -= n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}
