// The isolate's calls to the origin's Durable Object (worker/src/edge/shared.rs binds this): one
// RPC method of the object named `name` (one object per origin, `idFromName`), with a JSON text in
// and out, and a time limit. No policy lives here: what is sent, when, and what is done with the
// answer are decided in Rust (worker/src/shared.rs). A stub is made per call: an object stub, like
// every I/O object of workerd, belongs to the request that made it.

/** The error a call rejects with when the object did not answer within its time limit. */
class GatewiseSharedTimeout extends Error {
  constructor(method, ms) {
    super(`the shared object's ${method} did not answer within ${ms} ms`);
    this.name = 'GatewiseSharedTimeout';
  }
}

/** Calls `method(payload)` on the object `name` of namespace `ns`; rejects after `timeoutMs` (0: no limit). */
export function sharedCall(ns, name, method, payload, timeoutMs) {
  const stub = ns.get(ns.idFromName(name));
  const call = stub[method](payload);
  if (!(timeoutMs > 0)) return call;
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new GatewiseSharedTimeout(method, timeoutMs)), timeoutMs);
  });
  return Promise.race([call, late]).finally(() => clearTimeout(timer));
}

/** Writes one incident to an Analytics Engine dataset (`blobs`, `doubles`, `index` from Rust). */
export function writeDataPoint(dataset, blobs, doubles, index) {
  dataset.writeDataPoint({ blobs, doubles, indexes: [index] });
}
