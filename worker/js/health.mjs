// The origin's Durable Object (binding ORIGIN_HEALTH, class OriginHealth; SQLite-backed: wrangler.toml's
// migration lists it under new_sqlite_classes). One object per origin holds what all isolates share: the
// incident record and the origin's breaker (one half-open probe at a time for all isolates). This class is glue only: each RPC
// method hands its JSON text to the Rust HealthStore (worker/src/edge/store.rs), which keeps the state
// in the object's SQL storage and applies the core's rules. Every call is synchronous from start to end
// (the SQL API is), so calls to one object never interleave.
import { DurableObject } from 'cloudflare:workers';
import * as wasm from 'gatewise-worker-bindings';

const init = wasm.__worker_init_state();

export class OriginHealth extends DurableObject {
  #store = undefined;
  #instance = -1;

  /** The Rust half, made again after the Wasm instance was reset (its state lives in SQL). */
  #core() {
    if (init.criticalError) {
      wasm.__wbg_reset_state();
      init.criticalError = false;
      init.instanceId++;
    }
    if (this.#store === undefined || this.#instance !== init.instanceId) {
      this.#store = new wasm.HealthStore(this.ctx.storage.sql, this.env);
      this.#instance = init.instanceId;
    }
    return this.#store;
  }

  #call(f) {
    try {
      return f(this.#core());
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) init.criticalError = true;
      throw error;
    }
  }

  /** An isolate's incident rows (and visitors' reports): SyncRequest → SyncReply. */
  sync(payload) {
    return this.#call((s) => s.sync(String(payload), Date.now()));
  }

  /** The half-open probe's lease and the shared breaker: → AdmitReply. */
  admit() {
    return this.#call((s) => s.admit(Date.now()));
  }

  /** The owner's view: ViewRequest → ViewReply. */
  view(payload) {
    return this.#call((s) => s.view(String(payload), Date.now()));
  }

  /** One run of the monitoring robot: opens or closes an outage. */
  robot(payload) {
    return this.#call((s) => s.robot(String(payload), Date.now()));
  }

  /** The database's size in bytes. */
  size() {
    return this.#call((s) => s.size());
  }
}
