"""PyTorch twins of bench/train/workloads.mjs (issue 9's W1 and W2), timed the same way.

Run by run.mjs with Debian's python3-torch (/usr/bin/python3, torch 1.13, CPU):
    /usr/bin/python3 bench/train/pytorch_workloads.py --workload W1 [--blocks 5 --steps 4 --warmup 3]
Prints one JSON line like worker.mjs. Batch 64, float32, Adam lr 1e-3,
softmax cross-entropy, 10 classes; PyTorch uses all cores (torch.set_num_threads).
"""
import argparse
import json
import os
import resource
import time

import torch
from torch import nn

BATCH, CLASSES, VOCAB, SEQ_LEN = 64, 10, 5000, 32


def conv_encoder(height, width):
    # conv(16, 3x3, same)-ReLU-maxpool(2) -> conv(32, 3x3, same)-ReLU-maxpool(2) -> flatten -> dense(64)-ReLU
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * (height // 4) * (width // 4), 64), nn.ReLU(),
    )


class W1(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = conv_encoder(28, 28)
        self.audio = conv_encoder(40, 32)
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, CLASSES))

    def forward(self, image, audio):
        return self.head(torch.cat([self.image(image), self.audio(audio)], dim=1))


class W2(nn.Module):
    def __init__(self):
        super().__init__()
        self.image = conv_encoder(28, 28)
        self.embedding = nn.Embedding(VOCAB, 64)
        self.gru = nn.GRU(64, 64, batch_first=True)
        self.head = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, CLASSES))

    def forward(self, image, tokens):
        _, state = self.gru(self.embedding(tokens))
        return self.head(torch.cat([self.image(image), state[-1]], dim=1))


def batches(workload, count):
    generator = torch.Generator().manual_seed(1)
    out = []
    for _ in range(count):
        image = torch.randn(BATCH, 1, 28, 28, generator=generator)
        second = (torch.randn(BATCH, 1, 40, 32, generator=generator) if workload == "W1"
                  else torch.randint(0, VOCAB, (BATCH, SEQ_LEN), generator=generator))
        out.append(((image, second), torch.randint(0, CLASSES, (BATCH,), generator=generator)))
    return out


def rss_mb():
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workload", default="W1")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=5)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    model = (W1 if args.workload == "W1" else W2)()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    data = batches(args.workload, 4)
    state = {"step": 0}

    def train_step():
        inputs, targets = data[state["step"] % len(data)]
        state["step"] += 1
        optimizer.zero_grad()
        loss_fn(model(*inputs), targets).backward()
        optimizer.step()

    model.train()
    for _ in range(args.warmup):
        train_step()
    rates, rss_per_block = [], []
    for _ in range(args.blocks):
        start = time.perf_counter()
        for _ in range(args.steps):
            train_step()
        rates.append(args.steps * BATCH / (time.perf_counter() - start))
        rss_per_block.append(rss_mb())
    rates.sort()
    result = {
        "workload": args.workload, "impl": "pytorch", "samples_per_s": round(rates[len(rates) // 2], 1),
        "peak_rss_mb": rss_mb(), "steps": args.warmup + args.blocks * args.steps, "rss_mb_per_block": rss_per_block,
        "threads": torch.get_num_threads(), "torch": torch.__version__,
    }
    if args.workload == "W1":
        model.eval()
        with torch.no_grad():
            one = (torch.zeros(1, 1, 28, 28), torch.zeros(1, 1, 40, 32))
            many = (torch.zeros(256, 1, 28, 28), torch.zeros(256, 1, 40, 32))
            for _ in range(3):
                model(*one)
            latencies = []
            for _ in range(20):
                start = time.perf_counter()
                model(*one)
                latencies.append(time.perf_counter() - start)
            latencies.sort()
            model(*many)
            start = time.perf_counter()
            for _ in range(3):
                model(*many)
            result["predict_latency_ms"] = round(latencies[10] * 1000, 2)
            result["predict_samples_per_s_b256"] = round(3 * 256 / (time.perf_counter() - start))
        result["peak_rss_mb"] = rss_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
