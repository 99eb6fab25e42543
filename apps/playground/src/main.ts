/**
 * The playground page: wires inputs, the model, the prediction table, in-page
 * training and the model files together. Each piece lives in its own module.
 */
import { loadModelFromUrl, type MultimodalModel } from '@polyfuse/core';
// The model's encoders, fusion and head register their layers when imported;
// tf.loadLayersModel needs them before it can rebuild a saved model.
import '@polyfuse/image';
import '@polyfuse/audio';
import '@polyfuse/fusion';
import type { EpochLog, StepLog } from '@polyfuse/trainer';
import { initPageBackend } from './backend/initPageBackend.js';
import { downloadModel, openModel } from './model/modelFiles.js';
import { predictAllWays } from './model/predictAllWays.js';
import { drawingToDigit, imageFileToDigit } from './preprocess/digitImage.js';
import settings from './preprocess/settings.json';
import { recordWav, wavToLogMel } from './preprocess/speech.js';
import { decodeDataset, type DigitDataset } from './training/dataset.js';
import { trainInPage } from './training/trainInPage.js';
import { createDrawingPad, drawSpectrogram } from './ui/drawingPad.js';
import { drawLineChart, type Series } from './ui/lineChart.js';
import { renderProbabilityTable } from './ui/probabilityTable.js';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const pretrainedUrl = './models/av-digits';

const state: { model?: MultimodalModel; image?: Float32Array; audio?: Float32Array; dataset?: DigitDataset; training?: AbortController } = {};

function showError(error: unknown): void {
  const box = element('error');
  box.hidden = false;
  box.textContent = error instanceof Error ? error.message : String(error);
}

/** Runs an event handler, showing its error on the page instead of losing it. */
const guarded = (handler: () => Promise<void> | void) => () => {
  element('error').hidden = true;
  Promise.resolve().then(handler).catch(showError);
};

function useModel(model: MultimodalModel, name: string): void {
  if (state.model && state.model !== model) state.model.dispose();
  state.model = model;
  element('model-name').textContent = `model: ${name}`;
  element('model-name').dataset.model = name;
  element('model-status').textContent = '';
  predict();
}

function predict(): void {
  const output = element('prediction');
  if (!state.model || (!state.image && !state.audio)) {
    output.textContent = 'Draw or load an input.';
    element<HTMLTableElement>('probabilities').replaceChildren();
    return;
  }
  const predictions = predictAllWays(state.model, state.image, state.audio);
  renderProbabilityTable(element('probabilities'), predictions, settings.classes);
  const best = predictions.fused.indexOf(Math.max(...predictions.fused));
  const used = [state.image && 'image', state.audio && 'audio'].filter(Boolean).join(' + ');
  output.innerHTML = `Prediction from ${used}: <strong>${settings.classes[best]}</strong> (${(predictions.fused[best]! * 100).toFixed(1)}%)`;
  output.dataset.predicted = settings.classes[best];
}

async function useAudio(wav: Uint8Array, description: string): Promise<void> {
  state.audio = await wavToLogMel(wav);
  drawSpectrogram(element('spectrogram'), state.audio, settings.audio.nMels, settings.audio.frames);
  element('audio-status').textContent = description;
  predict();
}

function clearAudio(): void {
  state.audio = undefined;
  element<HTMLCanvasElement>('spectrogram').getContext('2d')!.clearRect(0, 0, 256, 160);
  element('audio-status').textContent = 'no audio yet';
  predict();
}

const pad = createDrawingPad(element('pad'), () => {
  state.image = drawingToDigit(element('pad'));
  predict();
});

async function loadSample(): Promise<void> {
  const [png, wav] = await Promise.all(['./samples/digit-7.png', './samples/spoken-7.wav'].map((url) => fetch(url).then((r) => r.blob())));
  state.image = await imageFileToDigit(png!);
  pad.clear();
  pad.showPixels(state.image);
  await useAudio(new Uint8Array(await wav!.arrayBuffer()), 'test sample: a 7 said by a held-out speaker');
}

async function train(): Promise<void> {
  state.dataset ??= decodeDataset(await (await fetch('./data/train.bin')).arrayBuffer());
  const controller = new AbortController();
  state.training = controller;
  element<HTMLButtonElement>('train').disabled = true;
  element<HTMLButtonElement>('stop').disabled = false;
  const status = element('training-status');
  const losses: [number, number][] = [];
  const valAccuracy: [number, number][] = [];
  const epochLosses: [number, number][] = [];
  const redraw = () => {
    const smoothed: Series = { label: 'step loss', colour: '#a5b4fc', points: losses };
    drawLineChart(element('loss-chart'), [smoothed, { label: 'epoch mean', colour: '#4338ca', points: epochLosses }], { title: 'training loss', xLabel: 'step', xMax: losses.length });
    drawLineChart(element('accuracy-chart'), [{ label: 'held-out speakers', colour: '#059669', points: valAccuracy }], { title: 'validation accuracy', xLabel: 'step', xMax: losses.length, yMin: 0, yMax: 1 });
  };
  const epochs = Number(element<HTMLInputElement>('epochs').value) || 5;
  try {
    const { model, stopped } = await trainInPage(state.dataset, {
      epochs,
      signal: controller.signal,
      onStep: (log: StepLog) => {
        losses.push([log.step, log.values['loss.total']!]);
        status.textContent = `epoch ${log.epoch + 1}/${epochs}, step ${log.step}: loss ${log.values['loss.total']!.toFixed(3)}`;
        status.dataset.steps = String(log.step);
        status.dataset.losses = JSON.stringify(losses.map((p) => p[1]));
        redraw();
      },
      onEpoch: (log: EpochLog) => {
        epochLosses.push([log.step, log.values['loss.total']!]);
        if (log.values['val.accuracy'] !== undefined) valAccuracy.push([log.step, log.values['val.accuracy']]);
        redraw();
      },
    });
    status.textContent = `${stopped ? 'stopped' : 'finished'} after ${losses.length} steps; final loss ${losses.at(-1)?.[1].toFixed(3) ?? '–'}${valAccuracy.length ? `, validation accuracy ${(valAccuracy.at(-1)![1] * 100).toFixed(1)}%` : ''}`;
    status.dataset.done = stopped ? 'stopped' : 'finished';
    useModel(model, `trained in the page (${losses.length} steps)`);
  } finally {
    state.training = undefined;
    element<HTMLButtonElement>('train').disabled = false;
    element<HTMLButtonElement>('stop').disabled = true;
  }
}

element('clear-image').addEventListener('click', () => {
  pad.clear();
  state.image = undefined;
  predict();
});
element<HTMLInputElement>('image-file').addEventListener('change', guarded(async () => {
  const file = element<HTMLInputElement>('image-file').files?.[0];
  if (!file) return;
  state.image = await imageFileToDigit(file);
  pad.showPixels(state.image);
  predict();
}));
element<HTMLInputElement>('wav-file').addEventListener('change', guarded(async () => {
  const file = element<HTMLInputElement>('wav-file').files?.[0];
  if (file) await useAudio(new Uint8Array(await file.arrayBuffer()), `file: ${file.name}`);
}));
element('record').addEventListener('click', guarded(async () => {
  element('audio-status').textContent = 'recording… say a digit';
  await useAudio(await recordWav(1.5), 'recorded from the microphone');
}));
element('clear-audio').addEventListener('click', clearAudio);
element('load-sample').addEventListener('click', guarded(loadSample));
element('train').addEventListener('click', guarded(train));
element('stop').addEventListener('click', () => state.training?.abort());
element('download').addEventListener('click', guarded(async () => {
  if (!state.model) throw new Error('No model to download yet.');
  await downloadModel(state.model);
  element('model-status').textContent = 'downloaded model.json, weights.bin and polyfuse.json; open all three to use the model again';
}));
element<HTMLInputElement>('open-model').addEventListener('change', guarded(async () => {
  const files = element<HTMLInputElement>('open-model').files;
  if (!files?.length) return;
  useModel(await openModel(files), `opened from ${files.length} files`);
  element('model-status').textContent = `opened ${Array.from(files, (f) => f.name).join(', ')}`;
}));
element('pretrained').addEventListener('click', guarded(async () => useModel(await loadModelFromUrl(pretrainedUrl), 'pretrained')));

try {
  const backend = await initPageBackend();
  element('backend').textContent = `backend: ${backend}`;
  element('backend').dataset.backend = backend;
  useModel(await loadModelFromUrl(pretrainedUrl), 'pretrained');
  document.body.dataset.ready = 'true';
} catch (error) {
  showError(error);
}
