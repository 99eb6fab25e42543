/** Registers the CLI's built-in training components into trainingRegistry. */
import './losses.js';
import './weighting.js';
import './metrics.js';
import './optimizers.js';
import './schedules.js';
