// The reference runner of jurunc's WASM tests: Node's WASI (preview 1) running the same module.
// argv[2] is a JSON object: {"module": host path, "args": [...], "env": {...}, "preopens": {guest: host}}.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const cfg = JSON.parse(process.argv[2]);
const wasi = new WASI({ version: 'preview1', args: cfg.args, env: cfg.env, preopens: cfg.preopens,
                        returnOnExit: true });
const module = await WebAssembly.compile(await readFile(cfg.module));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
const t0 = process.hrtime.bigint();
process.exitCode = wasi.start(instance);
if (cfg.timing) process.stderr.write(`node-wasi-run-ns ${process.hrtime.bigint() - t0}\n`);
