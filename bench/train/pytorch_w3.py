"""PyTorch twin of bench/train/w3.mjs (issue 9's W3: the av-digits app trained end to end).

Run by run.mjs with Debian's python3-torch (/usr/bin/python3, torch 1.13, torchaudio 0.13, PIL):
    /usr/bin/python3 bench/train/pytorch_w3.py [--batches 20] [--epochs 4] [--data DIR] [--threads N]
Same samples (the first batches x 64 training rows of the av-digits manifest, in file order),
same preprocessing, same model, Adam lr 1e-3, batch 64, shuffled each epoch. Epoch 1 is cold
(decodes every PNG and WAV); later epochs train from memory, as config.yaml's
`cacheInMemory: true` asks. Prints one JSON line like w3.mjs.

The preprocessing reproduces apps/av-digits/config.yaml's preprocessors:
- `image` (packages/image/src/preprocess/imagePreprocessor.ts): decode, grayscale, 28x28,
  scale to [0, 1], mean 0 / std 1 (no change); no augmentation is configured.
- `audio-logmel` (packages/audio/src/preprocessors/logMelPreprocessor.ts, fixture-tested
  against torchaudio 0.13) with the config's sampleRate 8000, nFft 256, hopLength 250,
  nMels 40, frames 32 and its defaults: crop/zero-pad the centre to (32 - 1) * 250 samples,
  MelSpectrogram (periodic Hann, center, reflect pad, power 2, fMin 20, fMax 4000, htk,
  no norm), AmplitudeToDB (power, top_db 80 over the whole clip), then per-utterance
  zero mean / unit (population) std, std < 1e-5 counting as 1.

The model reproduces config.yaml's registry components layer by layer (282,970 weights as tfjs counts
them, batch norm's moving statistics included; checked at start):
- encoder/image-cnn (filters [16, 32], units 64; defaults kernel 3, same padding, ReLU, no
  batch norm, max-pool 2, flatten): conv(16)+bias-ReLU-pool, conv(32)+bias-ReLU-pool,
  flatten 1568, dense(64)-ReLU.
- encoder/audio-cnn (filters [16, 32], pooling flatten, units 64; default batchNorm true):
  conv(16, no bias)-BN-ReLU-pool, conv(32, no bias)-BN-ReLU-pool, flatten 2560, dense(64)-ReLU.
  BN as tf.layers.batchNormalization: epsilon 1e-3, moving-average momentum 0.99 (PyTorch's 0.01).
- fusion/concat (every sample has both modalities, so the presence masks are all 1): concat 128.
- head/mlp (hiddenUnits [64], units 10): dense(64)-ReLU, dense(10) logits.
Loss: softmax cross-entropy of the logits against the class index (loss/cross-entropy).
"""
import argparse
import json
import os
import resource
import sys
import time

import numpy as np
import torch
import torchaudio
from PIL import Image
from torch import nn

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BATCH, CLASSES = 64, 10
SAMPLE_RATE, N_FFT, HOP, N_MELS, FRAMES, F_MIN, TOP_DB = 8000, 256, 250, 40, 32, 20.0, 80.0
CLIP = (FRAMES - 1) * HOP


def fail(message):
    """One `Error: ` line on stderr, which run.mjs shows as the reason W3 was skipped."""
    print(f"Error: {message}", file=sys.stderr)
    sys.exit(2)


def train_rows(data_dir):
    with open(os.path.join(data_dir, "manifest.jsonl"), encoding="utf8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [r for r in rows if r["split"] == "train"]


def resolve_data(data, count):
    """--data DIR, else the app's data, else the subset w3.mjs generates in bench/results/w3/data."""
    candidates = [os.path.abspath(data)] if data else [
        os.path.join(ROOT, "apps", "av-digits", "data"), os.path.join(ROOT, "bench", "results", "w3", "data")]
    for d in candidates:
        if os.path.exists(os.path.join(d, "manifest.jsonl")) and len(train_rows(d)) >= count:
            return d
    fail(f"need an av-digits manifest.jsonl with at least {count} training rows in {' or '.join(candidates)}: "
         "run node apps/av-digits/scripts/generate-data.mjs, or node bench/train/w3.mjs (generates a subset when "
         "espeak-ng is installed).")


class LogMel:
    """audio-logmel with the av-digits config (see the module docstring)."""

    def __init__(self):
        self.mel = torchaudio.transforms.MelSpectrogram(
            sample_rate=SAMPLE_RATE, n_fft=N_FFT, win_length=N_FFT, hop_length=HOP, f_min=F_MIN, f_max=SAMPLE_RATE / 2,
            n_mels=N_MELS, window_fn=torch.hann_window, power=2.0, center=True, pad_mode="reflect", norm=None,
            mel_scale="htk")
        self.db = torchaudio.transforms.AmplitudeToDB(stype="power", top_db=TOP_DB)

    def __call__(self, file):
        waveform, rate = torchaudio.load(file)  # int16 / 32768, like decodeWav
        signal = waveform.mean(dim=0)
        if rate != SAMPLE_RATE:
            signal = torchaudio.functional.resample(signal, rate, SAMPLE_RATE)
        clip = torch.zeros(CLIP)
        if signal.numel() >= CLIP:
            offset = (signal.numel() - CLIP) // 2
            clip = signal[offset:offset + CLIP]
        else:
            offset = (CLIP - signal.numel()) // 2
            clip[offset:offset + signal.numel()] = signal
        features = self.db(self.mel(clip))  # [40, 32]
        mean, std = features.mean(), features.std(unbiased=False)
        if std < 1e-5:
            std = torch.tensor(1.0)
        return ((features - mean) / std).unsqueeze(0)  # [1, 40, 32]


def load_image(file):
    """image preprocessor: grayscale 28x28 scaled to [0, 1] (BT.601 luma when the PNG is RGB)."""
    image = Image.open(file).convert("L")
    if image.size != (28, 28):
        image = image.resize((28, 28), Image.BILINEAR)
    return torch.from_numpy(np.asarray(image, dtype=np.float32) / 255.0).unsqueeze(0)  # [1, 28, 28]


class AvDigits(torch.utils.data.Dataset):
    """The subset's samples, decoded on first use and then kept in memory (cacheInMemory)."""

    def __init__(self, rows, data_dir, cache=True):
        self.rows, self.data_dir, self.cache, self.memory = rows, data_dir, cache, {}
        self.logmel = LogMel()

    def __len__(self):
        return len(self.rows)

    def __getitem__(self, i):
        if i in self.memory:
            return self.memory[i]
        row = self.rows[i]
        sample = (load_image(os.path.join(self.data_dir, row["image"])),
                  self.logmel(os.path.join(self.data_dir, row["audio"])), row["label"])
        if self.cache:
            self.memory[i] = sample
        return sample


def cnn(flat, batch_norm):
    """conv2dStack with filters [16, 32], kernel 3 same, pool 2, flatten, dense(64)-ReLU."""
    layers = []
    for cin, cout in ((1, 16), (16, 32)):
        layers.append(nn.Conv2d(cin, cout, 3, padding=1, bias=not batch_norm))
        if batch_norm:
            layers.append(nn.BatchNorm2d(cout, eps=1e-3, momentum=0.01))
        layers += [nn.ReLU(), nn.MaxPool2d(2)]
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(flat, 64), nn.ReLU())


class W3(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = cnn(32 * 7 * 7, batch_norm=False)   # encoder/image-cnn
        self.audio = cnn(32 * 10 * 8, batch_norm=True)   # encoder/audio-cnn, pooling flatten
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, CLASSES))  # head/mlp

    def forward(self, image, audio):
        return self.head(torch.cat([self.image(image), self.audio(audio)], dim=1))  # fusion/concat


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--data")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    if args.batches < 1 or args.epochs < 2:
        fail("--batches must be >= 1 and --epochs >= 2 (one cold epoch, at least one warm)")
    started = time.perf_counter()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    data_dir = resolve_data(args.data, args.batches * BATCH)
    rows = train_rows(data_dir)[:args.batches * BATCH]
    dataset = AvDigits(rows, data_dir)
    loader = torch.utils.data.DataLoader(dataset, batch_size=BATCH, shuffle=True,
                                         generator=torch.Generator().manual_seed(1))
    model = W3()
    # tfjs counts batch norm's moving mean and variance as (non-trainable) weights too.
    stats = sum(b.numel() for name, b in model.named_buffers() if name.endswith(("running_mean", "running_var")))
    if sum(p.numel() for p in model.parameters()) + stats != 282970:
        fail("the model's size differs from the polyfuse av-digits model (282,970 weights)")
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    epoch_seconds, epoch_cpu, loss = [], [], None
    for _ in range(args.epochs):
        start, cpu = time.perf_counter(), time.process_time()
        total, steps = 0.0, 0
        for image, audio, label in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(image, audio), label)
            loss.backward()
            optimizer.step()
            total, steps = total + loss.item(), steps + 1
        epoch_seconds.append(time.perf_counter() - start)
        epoch_cpu.append(time.process_time() - cpu)
        loss = total / steps
    # Decoding alone, without the cache: what epoch 1 spends on data.
    start = time.perf_counter()
    for _ in torch.utils.data.DataLoader(AvDigits(rows, data_dir, cache=False), batch_size=BATCH):
        pass
    data_seconds = time.perf_counter() - start

    samples = len(rows)
    warm = sorted(epoch_seconds[1:])[(args.epochs - 1) // 2]  # median warm epoch (upper median when even)
    warm_cpu = sorted(epoch_cpu[1:])[(args.epochs - 1) // 2]
    print(json.dumps({
        "workload": "W3", "impl": "pytorch",
        "samples_per_s": round(samples / warm, 1),
        "cold_samples_per_s": round(samples / epoch_seconds[0], 1),
        "samples_per_cpu_s": round(samples / warm_cpu, 1),
        "data_only_samples_per_s": round(samples / data_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "samples_per_epoch": samples, "epochs": args.epochs,
        "epoch_seconds": [round(s, 2) for s in epoch_seconds], "final_loss": round(loss, 3),
        "total_seconds": round(time.perf_counter() - started, 1),
        "data": os.path.relpath(data_dir, ROOT), "threads": torch.get_num_threads(), "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
