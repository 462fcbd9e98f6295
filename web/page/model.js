// The page's glue to the wasm module (web/src/lib.rs): a JSON request in, a JSON answer out,
// through the module's linear memory. The page inlines this file; the equality test
// (web/tests/equality.js) loads it in Node, so both call the model the same way.
"use strict";
function hedgesimModel(bytes) {
  const { instance } = { instance: new WebAssembly.Instance(new WebAssembly.Module(bytes), {}) };
  const x = instance.exports;
  const enc = new TextEncoder(), dec = new TextDecoder();
  // One request: {op, scenario, set, seed, turns, runs, turn}; throws the model's error message.
  return function call(request) {
    const bytes = enc.encode(JSON.stringify(request));
    const ptr = x.hs_alloc(bytes.length);
    new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
    const len = x.hs_call(ptr, bytes.length);
    const answer = JSON.parse(dec.decode(new Uint8Array(x.memory.buffer, x.hs_out(), len)));
    if ("error" in answer) throw new Error(answer.error);
    return answer.ok;
  };
}
if (typeof module !== "undefined") module.exports = { hedgesimModel };
