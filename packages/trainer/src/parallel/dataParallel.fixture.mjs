// Run by dataParallel.test.ts as `node dataParallel.fixture.mjs <mode>` (worker
// threads need built JavaScript, so this imports the package's dist). Prints
// one JSON line. Modes: `compare` trains the tiny task on one thread and on 2
// replicas (twice); `fail` makes replica 1 throw at its 3rd step.
import { runReplicas } from '../../dist/node.js';
import { replica } from './dataParallel.replica.mjs';

const module = new URL('./dataParallel.replica.mjs', import.meta.url);
const mode = process.argv[2];
if (mode === 'compare') {
  const single = await replica(undefined);
  const first = await runReplicas({ replicas: 2, module: module });
  const second = await runReplicas({ replicas: 2, module: module });
  console.log(JSON.stringify({ single, first, second }));
} else if (mode === 'fail') {
  try {
    await runReplicas({ replicas: 2, module: module, data: { mode: 'fail' }, timeoutMs: 20_000 });
    console.log(JSON.stringify({ error: null }));
  } catch (error) {
    console.log(JSON.stringify({ error: error.message }));
  }
}
