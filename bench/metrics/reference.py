"""Python references for bench/metrics/run.mjs: times one call of each metric.

Usage: python3 reference.py DIR METRIC...   (the files in DIR are written by run.mjs)
Prints one JSON line per metric: {"metric", "seconds", "value"} or {"metric", "skipped"}.
Only the metric call is timed, after one untimed warm-up call; reading the
inputs and converting them to the reference's own types are not.
"""
import json
import os
import sys
import time

import numpy as np

DIR = sys.argv[1]


def path(name):
    return os.path.join(DIR, name)


def timed(fn):
    fn()
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def binary(prefix):
    y = np.fromfile(path(f"{prefix}.y"), dtype=np.uint8).astype(np.int64)
    s = np.fromfile(path(f"{prefix}.s"), dtype=np.float64)
    return y, s


def run(metric):
    if metric in ("ap", "auc", "ap-distinct", "auc-distinct", "ap-wide", "auc-wide"):
        from sklearn.metrics import average_precision_score, roc_auc_score

        fn = average_precision_score if metric.startswith("ap") else roc_auc_score
        y, s = binary(metric.split("-", 1)[1] if "-" in metric else "ties")
        return timed(lambda: float(fn(y, s)))
    if metric in ("ap-multilabel", "auc-multilabel"):
        from sklearn.metrics import average_precision_score, roc_auc_score

        fn = average_precision_score if metric.startswith("ap") else roc_auc_score
        meta = json.load(open(path("multilabel.json")))
        y = np.fromfile(path("multilabel.y"), dtype=np.uint8).astype(np.int64).reshape(meta["rows"], meta["cols"])
        s = np.fromfile(path("multilabel.s"), dtype=np.float64).reshape(meta["rows"], meta["cols"])
        return timed(lambda: float(fn(y, s, average="macro")))
    if metric == "prf":
        from sklearn.metrics import precision_recall_fscore_support

        t = np.fromfile(path("prf.t"), dtype=np.uint8).astype(np.int64)
        p = np.fromfile(path("prf.p"), dtype=np.uint8).astype(np.int64)
        return timed(lambda: [float(v) for v in precision_recall_fscore_support(t, p, average="macro")[:3]])
    if metric == "bleu":
        import sacrebleu

        data = json.load(open(path("bleu.json")))
        refs = [list(r) for r in zip(*data["references"])]
        return timed(lambda: sacrebleu.corpus_bleu(data["hypotheses"], refs).score)
    if metric == "coco":
        import contextlib
        import io

        from pycocotools.coco import COCO
        from pycocotools.cocoeval import COCOeval

        data = json.load(open(path("coco.json")))

        def evaluate():
            with contextlib.redirect_stdout(io.StringIO()):
                gt = COCO()
                gt.dataset = {"images": data["images"], "categories": data["categories"], "annotations": data["annotations"]}
                gt.createIndex()
                dt = gt.loadRes(data["detections"])
                e = COCOeval(gt, dt, "bbox")
                e.evaluate()
                e.accumulate()
                e.summarize()
            return float(e.stats[0])

        return timed(evaluate)
    raise ValueError(metric)


for metric in sys.argv[2:]:
    try:
        seconds, value = run(metric)
        print(json.dumps({"metric": metric, "seconds": seconds, "value": value}), flush=True)
    except ImportError as error:
        print(json.dumps({"metric": metric, "skipped": f"{error.name} is not installed"}), flush=True)
