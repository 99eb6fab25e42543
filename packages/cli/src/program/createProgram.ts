// Only commander and import-free modules here: `--help`, `--version` and an
// unknown command answer without loading TensorFlow.js or the polyfuse
// packages; each action imports its command (and the packages) when it runs.
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CommandIo, GlobalOptions } from './commandIo.js';
import { resumeSafeFields } from '../config/resumeSafeFields.js';
import { exitCodes } from './exitCodes.js';
import { nearestName } from './nearestName.js';
import { cliVersion } from './version.js';
import { parseShard } from '../predict/shardSpec.js';

const exitCodeHelp = `
Exit codes:
  0    success
  1    runtime failure (missing or corrupt data file, corrupt model, training diverged,
       an output that cannot be written: disk full, read-only, no permission, not a folder)
  2    bad usage or config (unknown option or command, invalid config field, unknown
       component name or kind, --resume with a config that differs from the run's)
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
  polyfuse predict runs/scenes --input text="a red car" --manifest gallery.jsonl --query text
  polyfuse predict runs/scenes --manifest big.jsonl --shard 0/4 -o out/preds.json   # writes out/preds.shard-0-of-4.json
  polyfuse predict --merge out/preds.json        # shards 0..3 concatenated in manifest order`;

const evalHelp = `
Prints each head's metrics (beam-search scores of decoder heads under 'beam N:'),
then the results of the extra passes the run's evaluation section configures
(on by default; a line on stderr says which run first):
  contribution  the metric with each modality masked in turn
  robustness    the metric with each modality missing from a share of the samples
Both come from one extra pass per modality (that modality masked for every sample):
a sample's output depends on the sample alone, so any share is mixed from those outputs.

Examples:
  polyfuse eval runs/av
  polyfuse eval runs/av --mask audio          # every test sample without its audio
  polyfuse eval runs/av --no-extras -o scores.json`;

const listHelp = `
Kinds: encoder, fusion, head, decoder, loss, weighting, metric, preprocessor,
optimizer, schedule, callback (and whatever kinds plugins register).

Examples:
  polyfuse list                                 # everything
  polyfuse list fusion                          # one kind
  polyfuse list --plugin polyfuse-plugin-examples
  polyfuse list encoder --config av-digits.yaml # with the config's plugins
  polyfuse list metric --json`;

const sweepHelp = `
Subcommands:
  sweep run <sweep> --index <i>   train run i (what each local process, Slurm task or pod runs)
  sweep status <sweep>            each run's state
  sweep report <sweep>            comparison table: <out>/report.md and <out>/report.html

Examples:
  polyfuse sweep sweeps/fusions.yaml --dry-run
  polyfuse sweep sweeps/fusions.yaml --parallel 2
  polyfuse sweep sweeps/fusions.yaml --resume
  polyfuse sweep sweeps/fusions.yaml --executor slurm
  polyfuse sweep report sweeps/fusions.yaml
  polyfuse ensemble sweeps/bagging.yaml --method stacking`;

/**
 * Imports one command's module when it runs, with every polyfuse package's
 * registrations (and so TensorFlow.js) before it.
 */
async function loadCommand<T>(load: () => Promise<T>): Promise<T> {
  await import('../registerPackages.js');
  return load();
}

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
    .version(cliVersion(), '-V, --version', 'print the version of polyfuse')
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
    .option('--allow-config-change <fields>', `with --resume: fields that may differ from the run's config, comma separated (${resumeSafeFields.map((f) => f.split('.').pop()).join(', ')})`)
    .option('--no-report', 'skip the HTML report')
    .option('--replicas <n>', 'train data-parallel in n threads (overrides training.replicas)', (value: string) => positiveInteger(value, '--replicas'))
    .action(async (options, command: Command) => {
      const { trainCommand } = await loadCommand(() => import('../commands/trainCommand.js'));
      result.code = await trainCommand({ ...globals(command), ...options }, io);
    });

  sub('eval')
    .description("Score a trained run on its test split (or --split), or on another manifest.")
    .argument('<run>', 'run folder written by polyfuse train')
    .addOption(new Option('--split <name>', 'split of the run\'s manifest').choices(['test', 'validation', 'train']))
    .option('-m, --manifest <file>', 'score every labelled sample of this manifest instead')
    .option('-o, --output <file>', 'also write the scores as JSON (the structure of evaluation.json)')
    .option('--beam <n>', 'beam width for the beam-search scores of decoder heads (overrides evaluation.beamWidth; 1: greedy only)', (value: string) => positiveInteger(value, '--beam'))
    .option('--mask <modality>', 'score with this modality missing (mask 0) for every sample; repeat or comma-separate for several', (value: string, previous: string[] = []) => [...previous, value])
    .option('--no-extras', "skip the extra passes (contribution, robustness) the run's evaluation section configures (default: run them)")
    .addHelpText('after', evalHelp)
    .action(async (run: string, options, command: Command) => {
      const { evalCommand } = await loadCommand(() => import('../commands/evalCommand.js'));
      result.code = await evalCommand(run, { ...globals(command), ...options }, io);
    });

  sub('predict')
    .description('Predict with every head of a run for one sample (--input) or a manifest (--manifest): classes, values, generated text, matches.')
    .argument('[run]', 'run folder (or its model/ folder); none with --merge')
    .option('-i, --input <modality=value>', 'one modality of the sample: a file path or inline value (repeat per modality)', (value: string, previous: string[] = []) => [...previous, value])
    .option('-m, --manifest <file>', 'predict every line of a JSONL or CSV manifest')
    .option('-o, --output <file>', 'write here instead of stdout (.csv selects CSV)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['json', 'csv']))
    .option('--beam <n>', 'decoder heads: beam search of width n instead of greedy decoding', (value: string) => positiveInteger(value, '--beam'))
    .option('--query <modality>', 'match heads: list the top matches of each sample\'s <modality> among the other modality of the --manifest samples')
    .option('--top <k>', 'with --query: how many matches to list (default 5)', (value: string) => positiveInteger(value, '--top'))
    .option('--shard <i/n>', 'predict only the i-th of n contiguous blocks of the --manifest lines (0 <= i < n); --output f.json writes f.shard-i-of-n.json', parseShard)
    .option('--merge <output>', 'no prediction: merge the shard files <output stem>.shard-*-of-n.<ext> into <output>, in manifest order')
    .addHelpText('after', predictHelp)
    .action(async (run: string | undefined, options, command: Command) => {
      const { predictCommand } = await loadCommand(() => import('../commands/predictCommand.js'));
      result.code = await predictCommand(run, { ...globals(command), ...options }, io);
    });

  sub('inspect')
    .description('Show a config resolved with defaults and its declared outputs, or a trained model: inputs, heads, outputs, classes and parameters per module.')
    .argument('<target>', 'config file or run folder')
    .option('--json', 'machine-readable JSON')
    .action(async (target: string, options, command: Command) => {
      const { inspectCommand } = await loadCommand(() => import('../commands/inspectCommand.js'));
      result.code = await inspectCommand(target, { ...globals(command), ...options }, io);
    });

  sub('report')
    .description('Write the HTML report (charts as SVG and PNG) of a run to <run>/report/index.html.')
    .argument('<run>', 'run folder written by polyfuse train')
    .action(async (run: string, _options, command: Command) => {
      const { reportCommand } = await loadCommand(() => import('../commands/reportCommand.js'));
      result.code = await reportCommand(run, globals(command), io);
    });

  sub('list')
    .description('List the registered components (encoders, fusions, heads, losses, metrics, ...) with a description and their config options; plugins included.')
    .argument('[kind]', 'only this kind (encoder, fusion, head, loss, weighting, metric, preprocessor, optimizer, schedule, callback, ...)')
    .option('-p, --plugin <package>', 'import this plugin package or file first (repeatable)', (value: string, previous: string[] = []) => [...previous, value])
    .option('-c, --config <file>', "import the plugins a config lists under 'plugins:' first")
    .option('--json', 'machine-readable JSON')
    .addHelpText('after', listHelp)
    .action(async (kind: string | undefined, options, command: Command) => {
      const { listCommand } = await loadCommand(() => import('../commands/listCommand.js'));
      result.code = await listCommand(kind, { ...globals(command), ...options }, io);
    });

  const sweep = sub('sweep')
    .description('Run many trainings from one sweep file (a base config and a grid, a list of overrides or folds), or one prediction over shards of a manifest (kind: predict): locally, on Slurm or on Kubernetes.')
    .argument('<sweep>', 'sweep file, YAML or JSON (see docs/sweeps.md)')
    .addOption(new Option('--executor <name>', "where the runs run (default: the sweep file's executor, else local)").choices(['local', 'slurm', 'kubernetes']))
    .option('--parallel <n>', 'local executor: runs at once (default: the sweep file\'s parallel, else cores ÷ training.replicas)', (value: string) => positiveInteger(value, '--parallel'))
    .option('--resume', 'run only the runs that are missing, failed or stale (their process is gone)')
    .option('--dry-run', 'print the expanded runs (id and overrides) and exit')
    .addHelpText('after', sweepHelp)
    .action(async (file: string, options, command: Command) => {
      const { sweepCommand } = await loadCommand(() => import('../commands/sweepCommand.js'));
      result.code = await sweepCommand(file, { ...globals(command), ...options }, io);
    });
  const sweepSub = (name: string): Command =>
    sweep.command(name).exitOverride().configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) }).addHelpText('after', exitCodeHelp);
  sweepSub('run')
    .description('Run one index of a sweep: train run <id> into <out>/runs/<id>, or predict shard <id> (what every executor starts, once per index).')
    .argument('<sweep>', 'sweep file')
    .requiredOption('--index <i>', 'the run\'s index in the plan (0 .. runs - 1)', (value: string) => nonNegativeInteger(value, '--index'))
    .action(async (file: string, options, command: Command) => {
      const { sweepRunCommand } = await loadCommand(() => import('../commands/sweepRunCommand.js'));
      result.code = await sweepRunCommand(file, { ...globals(command), ...options }, io);
    });
  sweepSub('status')
    .description("Show each run's state (done, failed, running, stale, missing); on Slurm also the scheduler's.")
    .argument('<sweep>', 'sweep file')
    .option('--json', 'machine-readable JSON')
    .action(async (file: string, options, command: Command) => {
      const { sweepStatusCommand } = await loadCommand(() => import('../commands/sweepStatusCommand.js'));
      result.code = await sweepStatusCommand(file, { ...globals(command), ...options }, io);
    });
  sweepSub('report')
    .description('Write <out>/report.md and <out>/report.html: every run\'s test metrics, varying overrides, parameters and time, best per metric marked.')
    .argument('<sweep>', 'sweep file')
    .action(async (file: string, _options, command: Command) => {
      const { sweepReportCommand } = await loadCommand(() => import('../commands/sweepReportCommand.js'));
      result.code = await sweepReportCommand(file, globals(command), io);
    });

  sub('ensemble')
    .description("Combine the finished runs of a sweep (bagging members, folds, seeds) into one ensemble and score it on the test split.")
    .argument('<sweep>', 'sweep file whose runs are the members')
    .addOption(new Option('--method <method>', 'average: mean probabilities; vote: majority of the members\' classes; stacking: a logistic regression fitted on the members\' validation predictions').choices(['average', 'vote', 'stacking']).default('average'))
    .option('-o, --output <file>', 'where to write the scores (default: <out>/ensemble-<method>.json)')
    .action(async (file: string, options, command: Command) => {
      const { ensembleCommand } = await loadCommand(() => import('../commands/ensembleCommand.js'));
      result.code = await ensembleCommand(file, { ...globals(command), ...options }, io);
    });

  // An unknown command names itself and the nearest one, and exits 2 (usage), before anything loads.
  const unknownCommand = (name: string): never => {
    const names = program.commands.map((c) => c.name()).filter((n) => n !== 'help');
    return program.error(`error: unknown command '${name}' (nearest: '${nearestName(name, names)}'). Commands: ${names.join(', ')}.`, {
      exitCode: exitCodes.usage,
      code: 'commander.unknownCommand',
    });
  };
  program.on('command:*', (operands: string[]) => unknownCommand(operands[0]!));
  // Commander's own help command prints the general help for an unknown name; this one says it is unknown.
  program.helpCommand(false);
  sub('help')
    .description('display help for command')
    .argument('[command]', 'a command')
    .action((name: string | undefined) => {
      if (name === undefined) return program.outputHelp();
      const command = program.commands.find((c) => c.name() === name || c.aliases().includes(name));
      if (!command) return unknownCommand(name);
      command.outputHelp();
    });

  return program;
}

/** Parses an option value that must be an integer >= 0 (commander reports the message as a usage error). */
function nonNegativeInteger(value: string, option: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError(`${option} must be an integer >= 0, got '${value}'.`);
  return parsed;
}

/** Parses an option value that must be an integer >= 1 (commander reports the message as a usage error). */
function positiveInteger(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new InvalidArgumentError(`${option} must be an integer >= 1, got '${value}'.`);
  return parsed;
}
