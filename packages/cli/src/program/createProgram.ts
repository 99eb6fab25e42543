import { Command, InvalidArgumentError, Option } from 'commander';
import { trainCommand } from '../commands/trainCommand.js';
import { evalCommand } from '../commands/evalCommand.js';
import { predictCommand } from '../commands/predictCommand.js';
import { inspectCommand } from '../commands/inspectCommand.js';
import { reportCommand } from '../commands/reportCommand.js';
import type { CommandIo, GlobalOptions } from './commandIo.js';
import { parseAllowedChanges, resumeSafeFields } from '../config/configChanges.js';

const exitCodeHelp = `
Exit codes:
  0    success
  1    runtime failure (missing or corrupt data file, corrupt model, training diverged,
       an output that cannot be written: disk full, read-only, no permission, not a folder)
  2    bad usage or config (unknown option, invalid config field, unknown component name,
       --resume with a config that differs from the run's)
  130  stopped by Ctrl-C after saving a checkpoint (continue with --resume)
  143  stopped by SIGTERM after saving a checkpoint (continue with --resume)`;

const predictHelp = `
Output (JSON: one object per sample; CSV: one column group per head):
  classification run   { id, prediction, probabilities }       CSV: id,prediction,p_<class>...
  class head           <head>: { prediction, probabilities }   CSV: <head>,<head>_p_<class>...
  multilabel head      <head>: { prediction: [classes > 0.5], probabilities }   CSV: <head> (joined by ;),<head>_p_<class>...
  regression head      <head>: { prediction } in the target's units   CSV: <head> (or <head>_<j> per column)
  sequence head        <head>: { prediction: text[, beamWidth, score] }   CSV: <head>[,<head>_score]
  match head           with --query: <head>: { query, matches: [{ id, score }] }   CSV: <head>_<r>,<head>_score_<r>
                       (cosine similarity; without --query a match head is left out)

Examples:
  polyfuse predict runs/scenes --input image=photo.png
  polyfuse predict runs/scenes --manifest test.jsonl --beam 3 --output predictions.csv
  polyfuse predict runs/scenes --manifest test.jsonl --query image --top 3
  polyfuse predict runs/scenes --input text="a red car" --manifest gallery.jsonl --query text`;

const evalHelp = `
Prints each head's metrics (beam-search scores of decoder heads under 'beam N:').`;

/**
 * The `polyfuse` command line. Each action stores its exit code in
 * `result.code`; errors propagate to runCli, which prints them.
 */
export function createProgram(io: CommandIo, result: { code: number }): Command {
  const program = new Command('polyfuse')
    .description('Train, evaluate, predict with, inspect and report on multimodal models from one config file.')
    .option('-v, --verbose', 'print stack traces and the TensorFlow.js backend choice')
    .option('-q, --quiet', 'no progress bars')
    .addOption(new Option('--backend <name>', 'TensorFlow.js backend (default: $POLYFUSE_BACKEND, then the config, then auto)').choices(['auto', 'node', 'wasm', 'cpu', 'webgl']))
    .addHelpText('after', exitCodeHelp)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  const globals = (command: Command): GlobalOptions => command.optsWithGlobals() as GlobalOptions;
  const sub = (name: string): Command =>
    program.command(name).exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }).addHelpText('after', exitCodeHelp);

  sub('train')
    .description('Train a model from a config file; writes a run folder with the model, logs, checkpoints, evaluation and report.')
    .requiredOption('-c, --config <file>', 'YAML or JSON config (see docs/config.md)')
    .option('-o, --out <dir>', 'run folder (default: runs/<config name>)')
    .option('--resume', 'continue from <out>/checkpoints/last')
    .option('--allow-config-change <fields>', `with --resume: fields that may differ from the run's config, comma separated (${resumeSafeFields.map((f) => f.split('.').pop()).join(', ')})`, (value: string) => parseAllowedChanges(value))
    .option('--no-report', 'skip the HTML report')
    .option('--replicas <n>', 'train data-parallel in n threads (overrides training.replicas)', (value: string) => positiveInteger(value, '--replicas'))
    .action(async (options, command: Command) => {
      result.code = await trainCommand({ ...globals(command), ...options }, io);
    });

  sub('eval')
    .description("Score a trained run on its test split (or --split), or on another manifest.")
    .argument('<run>', 'run folder written by polyfuse train')
    .addOption(new Option('--split <name>', 'split of the run\'s manifest').choices(['test', 'validation', 'train']))
    .option('-m, --manifest <file>', 'score every labelled sample of this manifest instead')
    .option('-o, --output <file>', 'also write the scores as JSON (the structure of evaluation.json)')
    .option('--beam <n>', 'beam width for the beam-search scores of decoder heads (overrides evaluation.beamWidth; 1: greedy only)', (value: string) => positiveInteger(value, '--beam'))
    .addHelpText('after', evalHelp)
    .action(async (run: string, options, command: Command) => {
      result.code = await evalCommand(run, { ...globals(command), ...options }, io);
    });

  sub('predict')
    .description('Predict with every head of a run for one sample (--input) or a manifest (--manifest): classes, values, generated text, matches.')
    .argument('<run>', 'run folder (or its model/ folder)')
    .option('-i, --input <modality=value>', 'one modality of the sample: a file path or inline value (repeat per modality)', (value: string, previous: string[] = []) => [...previous, value])
    .option('-m, --manifest <file>', 'predict every line of a JSONL or CSV manifest')
    .option('-o, --output <file>', 'write here instead of stdout (.csv selects CSV)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']))
    .option('--beam <n>', 'decoder heads: beam search of width n instead of greedy decoding', (value: string) => positiveInteger(value, '--beam'))
    .option('--query <modality>', 'match heads: list the top matches of each sample\'s <modality> among the other modality of the --manifest samples')
    .option('--top <k>', 'with --query: how many matches to list (default 5)', (value: string) => positiveInteger(value, '--top'))
    .addHelpText('after', predictHelp)
    .action(async (run: string, options, command: Command) => {
      result.code = await predictCommand(run, { ...globals(command), ...options }, io);
    });

  sub('inspect')
    .description('Show a config resolved with defaults and its declared outputs, or a trained model: inputs, heads, outputs, classes and parameters per module.')
    .argument('<target>', 'config file or run folder')
    .option('--json', 'machine-readable JSON')
    .action(async (target: string, options, command: Command) => {
      result.code = await inspectCommand(target, { ...globals(command), ...options }, io);
    });

  sub('report')
    .description('Write the HTML report (charts as SVG and PNG) of a run to <run>/report/index.html.')
    .argument('<run>', 'run folder written by polyfuse train')
    .action(async (run: string, _options, command: Command) => {
      result.code = await reportCommand(run, globals(command), io);
    });

  return program;
}

/** Parses an option value that must be an integer >= 1 (commander reports the message as a usage error). */
function positiveInteger(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${option} must be an integer >= 1, got '${value}'.`);
  return parsed;
}
