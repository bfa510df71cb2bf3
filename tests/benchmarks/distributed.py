#!/usr/bin/env python3
"""Data-parallel training against one process, on this machine (docs/performance.md, "Data-parallel training").

For each config: `llmf train` in 1 process x all cores with grad_accum_steps 2, and in 2 processes x half the cores
with grad_accum_steps 1: the same global batch and the same batches (trainer.cpp, "Data streams"). Runs alternate
(noise on a laptop is +-15 %); the figures are medians over the steps after the warm-up, read from metrics.jsonl.
Standard library only. Build first (make build).

    tests/benchmarks/distributed.py --configs small,medium --steps 12 --rounds 2
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LLMF = os.path.join(ROOT, "build", "bin", "llmf")


def train(config, steps, processes, out, threads):
    accum = 2 // processes
    cmd = [LLMF, "train", "--config", config, "--out", out,
           "--set", f"training.max_iters={steps}", "--set", f"training.grad_accum_steps={accum}",
           "--set", "training.eval_interval=100000", "--set", "training.eval_iters=1",
           "--set", "training.log_interval=1", "--set", "training.checkpoint_interval=0",
           "--set", "training.keep_checkpoints=0", "--set", "training.warmup_iters=1"]
    if processes > 1:
        cmd += ["--nproc-per-node", str(processes)]
    env = dict(os.environ, LLMF_NUM_THREADS=str(threads), LLMF_ADAPTIVE_THREADS="0")
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = [json.loads(l) for l in open(os.path.join(out, "metrics.jsonl"))]
    return [l for l in lines if l.get("type") == "step"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--configs", default="small,medium")
    parser.add_argument("--steps", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3, help="steps left out of the medians")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    cores = os.cpu_count() or 2
    results = []
    with tempfile.TemporaryDirectory() as work:
        for config in args.configs.split(","):
            one, two, allreduce, share = [], [], [], []
            for r in range(args.rounds):
                a = train(config, args.steps, 1, os.path.join(work, f"{config}-1-{r}"), cores)
                b = train(config, args.steps, 2, os.path.join(work, f"{config}-2-{r}"), max(1, cores // 2))
                one += [s["tokens_per_s"] for s in a[args.warmup:]]
                two += [s["tokens_per_s"] for s in b[args.warmup:]]
                allreduce += [s["allreduce_s"] for s in b[args.warmup:]]
                share += [s["allreduce_s"] / s["step_s"] for s in b[args.warmup:] if s.get("step_s")]
            row = {"config": config, "one_process_tokens_per_s": statistics.median(one),
                   "two_processes_tokens_per_s": statistics.median(two),
                   "allreduce_ms_per_step": 1000 * statistics.median(allreduce),
                   "allreduce_share": statistics.median(share)}
            row["ratio"] = row["two_processes_tokens_per_s"] / row["one_process_tokens_per_s"]
            results.append(row)
    if args.json:
        json.dump(results, sys.stdout, indent=2)
        print()
        return
    print(f"{'config':8} {'1 x %d threads' % cores:>16} {'2 x %d' % max(1, cores // 2):>10} {'ratio':>6} "
          f"{'all-reduce ms/step':>19} {'share':>6}")
    for r in results:
        print(f"{r['config']:8} {r['one_process_tokens_per_s']:16.0f} {r['two_processes_tokens_per_s']:10.0f} "
              f"{r['ratio']:6.2f} {r['allreduce_ms_per_step']:19.1f} {100 * r['allreduce_share']:5.1f}%")


if __name__ == "__main__":
    main()
