"""PyTorch twin of bench/train/lstm.mjs: embedding(5000→64) → nn.LSTM(64), last state → linear(10)
on [64, 32] ids; one training step is forward, softmax cross-entropy, backward and an Adam step (lr 1e-3).

Run with Debian's python3-torch (/usr/bin/python3, torch 1.13, CPU), one thread:
    /usr/bin/python3 bench/train/pytorch_lstm.py [--rounds 7] [--steps 10] [--warmup 5]
Prints every round's milliseconds per step, then one JSON line (lstm.mjs --pytorch runs it with
--rounds 1 inside each of its rounds, so PyTorch is measured in the same minutes as the tfjs variants).
"""
import argparse
import json
import os
import time

# One thread for real: with torch.set_num_threads(1) alone, an idle OpenMP thread still spun
# (process CPU time twice the wall time here, for the same wall time).
os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch  # noqa: E402
from torch import nn  # noqa: E402

BATCH, SEQ_LEN, VOCAB, CLASSES = 64, 32, 5000, 10


class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 64)
        self.lstm = nn.LSTM(64, 64, batch_first=True)
        self.logits = nn.Linear(64, CLASSES)

    def forward(self, ids):
        _, (state, _) = self.lstm(self.embedding(ids))
        return self.logits(state[-1])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.manual_seed(1)
    model = Model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(1)
    data = [(torch.randint(0, VOCAB, (BATCH, SEQ_LEN), generator=generator), torch.randint(0, CLASSES, (BATCH,), generator=generator)) for _ in range(4)]
    state = {"step": 0}

    def train_step():
        ids, targets = data[state["step"] % len(data)]
        state["step"] += 1
        optimizer.zero_grad()
        loss_fn(model(ids), targets).backward()
        optimizer.step()

    model.train()
    for _ in range(args.warmup):
        train_step()
    wall, cpu = [], []
    for round_index in range(args.rounds):
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(args.steps):
            train_step()
        wall.append((time.perf_counter() - start) * 1000 / args.steps)
        cpu.append((time.process_time() - cpu_start) * 1000 / args.steps)
        if args.rounds > 1:
            print(f"round {round_index + 1}: {wall[-1]:.1f} ms per step (cpu {cpu[-1]:.1f} ms)")
    print(json.dumps({"impl": "pytorch-1thread", "ms_per_step": [round(w, 2) for w in wall], "cpu_ms_per_step": [round(c, 2) for c in cpu],
                      "median_ms_per_step": round(sorted(wall)[len(wall) // 2], 2), "threads": torch.get_num_threads(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
