/** Registers the CLI's built-in training components into trainingRegistry, and exports it. */
import './losses.js';
import './weighting.js';
import './metrics.js';
import './optimizers.js';
import './schedules.js';

export { trainingRegistry } from '../trainingRegistry.js';
