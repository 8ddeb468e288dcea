// Loads the HCL parser (wasm) once per test worker, as the server and the CLI do at start-up.
import { initHcl } from '../server/src/parse/hcl';

await initHcl();
