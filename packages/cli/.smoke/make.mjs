import { writeTinyDataset } from './tinyDataset.mjs';
await writeTinyDataset(process.argv[2], { count: 600, config: { training: { epochs: 6, batchSize: 4, seed: 1 } } });
