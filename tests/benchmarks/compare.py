#!/usr/bin/env python3
"""Compares LLM Foundry (`llmf bench`, C++/LibTorch) with the original project's way: plain PyTorch.

    python3 tests/benchmarks/compare.py [--steps N] [--threads N] [--quick] [--json OUT] [--llmf PATH]

(scripts/bench.sh installs what the reference needs, then runs this.)

Every measurement runs in its own process, one after the other, with the same number of threads
(ours' reported `threads` unless --threads is given):

  small  (configs/small.yaml, batch 16 x 256 tokens)   training tokens/s and peak RSS of a train-only run
  medium (configs/medium.yaml, batch 8 x 256 tokens)   training tokens/s and peak RSS of a train-only run
  generate (small)  tokens/s at batch 1 for 200 new tokens with and without the KV cache; 256-token prefill
  train GFLOP/s as a share of ours' fp32 matmul peak (both from ours' JSON)
  tokenizer  ours' BPE training time (tokenizer_train_s) vs `spm_train` (SentencePiece BPE, vocabulary
             8192, byte fallback: what the original project used) on the Jane Austen corpus, as processes

Ours: `llmf bench --config C --batch-size B --seq-len T --parts ... --steps N [--threads N] --json`.
Reference: tests/benchmarks/reference/bench_reference.py with the same arguments, run by a Python that
can import torch (--python, else this interpreter, else /usr/bin/python3 where Debian's python3-torch is).

The ratio column is ours / reference; the target says which way is better. "ok~" means within the noise
tolerance (--tolerance, default 3 %) of the target; a "*" marks numbers taken while other processes kept
the CPUs busy (from /proc/stat: busy CPU time not used by the measured process; --max-other-load).
Exit status: 0 all targets met, 1 a target missed, 2 something could not be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REFERENCE = HERE / "reference" / "bench_reference.py"

# Targets: (comparison, bound) applied to the ratio ours / reference (for "pct", to ours' percentage).
TARGETS: Dict[str, Tuple[str, float]] = {
    "train_tps_small": (">=", 1.30),   # training small (B16 T256) at least 1.3x the Python original
    "train_tps_medium": (">=", 1.10),  # medium (B8 T256) at least 1.1x
    "train_rss": ("<=", 1.00),         # and no more memory
    "gen_kv": (">=", 5.00),            # generation with the KV cache, batch 1, 200 new tokens: 5x
    "cache_speedup": (">=", 3.00),     # our KV cache makes decoding >= 3x faster than recomputing the context
    "prefill": ("<=", 1.00),           # prefill time no worse
    "gflops_pct": (">=", 60.0),        # training small at >= 60 % of the measured fp32 matmul peak
    "tokenizer": ("<=", 2.00),         # our BPE training at most twice SentencePiece's time
}

PRESETS = {"small": ("configs/small.yaml", 16, 256), "medium": ("configs/medium.yaml", 8, 256)}
SECTIONS = ("small", "medium", "generate", "tokenizer")
JANE_AUSTEN_NOVELS = ("sensesensibility", "prideprejudice", "mansfieldpark", "emma", "northangerabbey",
                      "persuasion")  # the order of core/src/data/corpus.cpp


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def tail(text: str, lines: int = 6) -> str:
    return "\n".join((text or "").strip().splitlines()[-lines:])


def parse_json_output(stdout: str) -> Dict[str, Any]:
    """The JSON object a tool printed; tolerates lines of other output around it."""
    try:
        return json.loads(stdout)
    except json.JSONDecodeError:
        start, end = stdout.find("{"), stdout.rfind("}")
        if start < 0 or end <= start:
            raise
        return json.loads(stdout[start:end + 1])


def cpu_busy_seconds() -> Optional[float]:
    """CPU time all CPUs spent busy since boot (/proc/stat), or None off Linux."""
    try:
        with open("/proc/stat", encoding="utf-8") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    busy = sum(values[:8]) - idle  # user nice system idle iowait irq softirq steal (guest is inside user)
    return busy / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class Runner:
    """Runs the measured processes one at a time; notes how much CPU *other* processes took meanwhile."""

    def __init__(self, timeout: float):
        self.timeout = timeout
        self.runs: Dict[str, Dict[str, Any]] = {}
        self.errors: Dict[str, str] = {}
        self.commands: Dict[str, List[str]] = {}
        self.other_load: Dict[str, float] = {}  # key -> share of all CPUs busy with other processes
        self.seconds: Dict[str, float] = {}

    def run(self, key: str, cmd: List[str], cwd: Path = REPO) -> Optional[subprocess.CompletedProcess]:
        """The finished process (any exit status), or None when it could not run or timed out."""
        self.commands[key] = cmd
        log(f"[{key}] {' '.join(cmd)}")
        busy0, child0, t0 = cpu_busy_seconds(), children_cpu_seconds(), time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=self.timeout)
        except OSError as e:
            self.errors[key] = f"cannot run: {e}"
            return None
        except subprocess.TimeoutExpired:
            self.errors[key] = f"timed out after {self.timeout:.0f} s"
            return None
        wall = time.perf_counter() - t0
        busy1, child1 = cpu_busy_seconds(), children_cpu_seconds()
        self.seconds[key] = wall
        if busy0 is not None and busy1 is not None and wall >= 0.5:  # shorter: clock-tick noise
            other = (busy1 - busy0) - (child1 - child0)
            self.other_load[key] = max(0.0, other / (wall * (os.cpu_count() or 1)))
        if proc.returncode < 0:
            try:
                name = signal.Signals(-proc.returncode).name
            except ValueError:
                name = f"signal {-proc.returncode}"
            self.errors[key] = f"killed by {name}: {tail(proc.stderr or proc.stdout)}".rstrip(": ")
        elif proc.returncode != 0:
            self.errors[key] = f"exit status {proc.returncode}: {tail(proc.stderr or proc.stdout)}"
        return proc

    def json(self, key: str, cmd: List[str]) -> Optional[Dict[str, Any]]:
        proc = self.run(key, cmd)
        if proc is not None and proc.returncode == 0:
            try:
                data = parse_json_output(proc.stdout)
                self.runs[key] = data
                log(f"[{key}] done in {self.seconds[key]:.1f} s{self.load_text(key)}")
                return data
            except json.JSONDecodeError:
                self.errors[key] = f"no JSON on stdout: {tail(proc.stdout)}"
        log(f"[{key}] FAILED: {self.errors.get(key)}")
        return None

    def load_text(self, key: str) -> str:
        share = self.other_load.get(key)
        return f" (other processes: {100 * share:.0f}% of the CPUs)" if share is not None and share >= 0.01 else ""


def find_python(explicit: Optional[str]) -> Optional[str]:
    """An interpreter that can import torch (Debian's python3-torch is only visible to /usr/bin/python3)."""
    candidates = [explicit] if explicit else [sys.executable, "/usr/bin/python3", shutil.which("python3")]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        probe = subprocess.run([candidate, "-c", "import torch"], capture_output=True)
        if probe.returncode == 0:
            return candidate
    return None


def physical_cores() -> int:
    cores = set()
    try:
        physical = None
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("physical id"):
                    physical = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    cores.add((physical, line.split(":")[1].strip()))
    except OSError:
        pass
    return len(cores) or os.cpu_count() or 1


# --------------------------------------------------------------------------------------------------------------
# The tokenizer comparison
# --------------------------------------------------------------------------------------------------------------

def corpus_text(llmf: str, out: Path, runner: Runner) -> Tuple[Optional[str], str]:
    """Writes the Jane Austen corpus to `out`. Returns (how, error)."""
    proc = runner.run("corpus", [llmf, "corpus", "dump", "--corpus", "janeausten", "--out", str(out)])
    if proc is not None and proc.returncode == 0 and out.is_file() and out.stat().st_size > 0:
        return "llmf corpus dump --corpus janeausten", ""
    why = runner.errors.pop("corpus", "no output file")
    log(f"[corpus] `llmf corpus dump` failed ({why}); falling back to R's janeaustenr package")
    # The same text as core/src/data/corpus.cpp builds: each novel's lines joined by "\n" (NA = ""), novels
    # joined by "\n\n", UTF-8.
    script = (
        "suppressMessages(library(janeaustenr)); "
        f"novels <- c({', '.join(repr(n).replace(chr(39), chr(34)) for n in JANE_AUSTEN_NOVELS)}); "
        "txt <- paste(vapply(novels, function(n) { x <- get(n); x[is.na(x)] <- ''; "
        "paste(x, collapse = '\\n') }, ''), collapse = '\\n\\n'); "
        "con <- file(commandArgs(TRUE)[1], 'wb'); writeBin(charToRaw(enc2utf8(txt)), con); close(con)"
    )
    rscript = shutil.which("Rscript")
    if rscript:
        proc = subprocess.run([rscript, "-e", script, str(out)], capture_output=True, text=True)
        if proc.returncode == 0 and out.is_file() and out.stat().st_size > 0:
            return "Rscript + janeaustenr (fallback: `llmf corpus dump` failed)", ""
        why += f"; Rscript: {tail(proc.stderr, 2)}"
    else:
        why += "; Rscript not found (apt-get install r-cran-janeaustenr)"
    return None, why


def time_spm_train(corpus: Path, workdir: Path, threads: int, runner: Runner) -> Optional[float]:
    spm = shutil.which("spm_train")
    if not spm:
        runner.errors["spm_train"] = "spm_train not found (apt-get install sentencepiece)"
        return None
    cmd = [spm, f"--input={corpus}", "--model_type=bpe", "--vocab_size=8192", "--byte_fallback=true",
           f"--model_prefix={workdir / 'spm'}", "--minloglevel=2", f"--num_threads={threads}"]
    proc = runner.run("spm_train", cmd, cwd=workdir)
    if proc is None or proc.returncode != 0:
        return None
    log(f"[spm_train] {runner.seconds['spm_train']:.2f} s{runner.load_text('spm_train')}")
    return runner.seconds["spm_train"]


def time_llmf_tokenizer(llmf: str, corpus: Path, workdir: Path, runner: Runner) -> Optional[float]:
    """Fallback when ours' bench JSON has no tokenizer_train_s: time `llmf tokenizer train` as a process."""
    cmd = [llmf, "tokenizer", "train", "--input", str(corpus), "--vocab-size", "8192",
           "--out", str(workdir / "tokenizer.json")]
    proc = runner.run("llmf_tokenizer", cmd)
    if proc is None or proc.returncode != 0:
        return None
    return runner.seconds["llmf_tokenizer"]


# --------------------------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------------------------

def fmt(value: Optional[float], unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "tok/s":
        return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"
    if unit == "MiB":
        return f"{value / 2**20:,.0f} MiB"
    if unit == "ms":
        return f"{value:.1f} ms"
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "GFLOP/s":
        return f"{value:.1f}"
    return f"{value:g}"


def make_row(name: str, unit: str, ours: Optional[float], ref: Optional[float], target_key: Optional[str],
             tolerance: float, note: str = "", ours_text: str = "", ref_text: str = "",
             ratio: Optional[float] = None) -> Dict[str, Any]:
    if ratio is None and ours is not None and ref:
        ratio = ours / ref
    row: Dict[str, Any] = {"measurement": name, "unit": unit, "ours": ours, "reference": ref, "ratio": ratio,
                           "target": None, "status": "info", "note": note}
    row["ours_text"] = ours_text or fmt(ours, unit)
    row["reference_text"] = ref_text or ("-" if ref is None and not target_key else fmt(ref, unit))
    if target_key:
        op, bound = TARGETS[target_key]
        row["target"] = f"{op} {bound:.0f}%" if unit == "%" else f"{op} {bound:.2f}"
        if ratio is None:
            row["status"] = "n/a"
        else:
            good = ratio >= bound if op == ">=" else ratio <= bound
            near = ratio >= bound * (1 - tolerance) if op == ">=" else ratio <= bound * (1 + tolerance)
            row["status"] = "ok" if good else ("ok~" if near else "MISS")
    if ratio is None:
        row["ratio_text"] = "n/a" if target_key else "-"
    else:
        row["ratio_text"] = f"{ratio:.0f}%" if unit == "%" else f"{ratio:.2f}x"
    return row


def print_table(rows: List[Dict[str, Any]]) -> None:
    headers = ("measurement", "ours", "reference", "ratio", "target", "ok?")
    cells = [(r["measurement"], r["ours_text"], r["reference_text"], r["ratio_text"], r["target"] or "-",
              r["status"].replace("info", "-" if r["status"] == "info" else "")) for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    align = ("<", ">", ">", ">", "<", "<")

    def line(values):
        return " | ".join(f"{v:{a}{w}}" for v, a, w in zip(values, align, widths)).rstrip()

    print(line(headers))
    print("-+-".join("-" * w for w in widths))
    for c in cells:
        print(line(c))


# --------------------------------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--llmf", default=str(REPO / "build" / "bin" / "llmf"), help="our binary (default build/bin/llmf)")
    p.add_argument("--python", help="interpreter for the reference (default: one that can import torch)")
    p.add_argument("--steps", type=int, default=10, help="timed training steps, both sides (default 10)")
    p.add_argument("--threads", type=int, default=0, help="threads for both (default: what ours reports)")
    p.add_argument("--rounds", type=int, default=2,
                   help="alternate ours and the reference this many times and keep each side's fastest (default 2)")
    p.add_argument("--quick", action="store_true", help="smoke test: 2 training steps (1 warm-up in the reference)")
    p.add_argument("--only", default=",".join(SECTIONS),
                   help=f"comma list of sections to run (default all: {','.join(SECTIONS)})")
    p.add_argument("--new-tokens", type=int, default=200, help="tokens generated at batch 1 (default 200)")
    p.add_argument("--corpus-file", help="text for the tokenizer comparison (default: the Jane Austen corpus)")
    p.add_argument("--tolerance", type=float, default=0.03, help="noise allowance for ok~ (default 0.03)")
    p.add_argument("--max-other-load", type=float, default=0.10,
                   help="flag (*) numbers measured while other processes used this share of the CPUs (0.10)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per process (default 1800)")
    p.add_argument("--json", metavar="OUT", help="also save every number (and the raw JSON of each run) here")
    args = p.parse_args(argv)

    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    if set(sections) - set(SECTIONS):
        p.error(f"unknown section(s) in --only: {', '.join(sorted(set(sections) - set(SECTIONS)))}")
    steps = 2 if args.quick else args.steps
    ref_warmup = 1 if args.quick else 2
    llmf = args.llmf if os.path.isabs(args.llmf) else str((Path.cwd() / args.llmf).resolve())
    runner = Runner(args.timeout)
    python = find_python(args.python)
    if not python:
        runner.errors["reference"] = ("no Python that can import torch; install python3-torch (scripts/bench.sh "
                                      "does) or pass --python")
        log(runner.errors["reference"])

    def ours(key: str, preset: str, parts: List[str], train: bool) -> Optional[Dict[str, Any]]:
        config, batch, seq = PRESETS[preset]
        cmd = [llmf, "bench", "--config", config, "--batch-size", str(batch), "--seq-len", str(seq),
               "--parts", ",".join(parts), "--json"]
        if train:
            cmd += ["--steps", str(steps)]
        if "generate" in parts:
            cmd += ["--new-tokens", str(args.new_tokens)]
        if args.threads > 0:
            cmd += ["--threads", str(args.threads)]
        return runner.json(key, cmd)

    def reference(key: str, preset: str, parts: List[str], threads: int) -> Optional[Dict[str, Any]]:
        if not python:
            return None
        config, batch, seq = PRESETS[preset]
        cmd = [python, str(REFERENCE), "--config", config, "--batch-size", str(batch), "--seq-len", str(seq),
               "--parts", ",".join(parts), "--steps", str(steps), "--warmup", str(ref_warmup),
               "--threads", str(threads), "--new-tokens", str(args.new_tokens), "--json"]
        return runner.json(key, cmd)

    threads = args.threads
    results: Dict[str, Optional[Dict[str, Any]]] = {}

    def best(runs: List[Optional[Dict[str, Any]]], field: str) -> Optional[Dict[str, Any]]:
        """The fastest of the rounds: on a shared machine noise only ever slows a run down."""
        done = [r for r in runs if r and isinstance(r.get(field), (int, float))]
        return max(done, key=lambda r: r[field]) if done else (runs[0] if runs else None)

    # 1. Training, one preset at a time, train-only processes (so peak RSS is training's). Ours and the
    #    reference alternate for --rounds rounds, so a burst of load on the machine hits both alike.
    for preset in ("small", "medium"):
        if preset not in sections:
            continue
        ours_runs, ref_runs = [], []
        for round_ in range(args.rounds):
            ours_runs.append(ours(f"ours_{preset}_train", preset, ["train"], train=True))
            if threads <= 0:
                reported = (ours_runs[-1] or {}).get("threads")
                threads = int(reported) if reported else physical_cores()
                log(f"threads for both sides: {threads}" + ("" if reported else " (ours reported none: physical cores)"))
            ref_runs.append(reference(f"ref_{preset}_train", preset, ["train"], threads))
        results[f"ours_{preset}_train"] = best(ours_runs, "train_tokens_per_s")
        results[f"ref_{preset}_train"] = best(ref_runs, "train_tokens_per_s")

    # 2. The rest of ours (generation, prefill, tokenizer, matmul peak) in one process, then the reference's.
    rest = (["generate", "prefill"] if "generate" in sections else []) \
        + (["tokenizer"] if "tokenizer" in sections else []) \
        + (["matmul"] if {"small", "medium"} & set(sections) else [])
    ours_rest, ref_generate = [], []
    for round_ in range(args.rounds if "generate" in sections else 1):
        if rest:
            ours_rest.append(ours("ours_small_rest", "small", rest, train=False))
            if threads <= 0:
                reported = (ours_rest[-1] or {}).get("threads")
                threads = int(reported) if reported else physical_cores()
        if "generate" in sections:
            ref_generate.append(reference("ref_small_generate", "small", ["generate", "prefill"], threads))
    if rest:
        results["ours_small_rest"] = best(ours_rest, "generate_tokens_per_s_kv_cache")
    if "generate" in sections:
        results["ref_small_generate"] = best(ref_generate, "generate_tokens_per_s_kv_cache")

    # 3. SentencePiece on the same corpus.
    spm_seconds = ours_tok = None
    tok_note = corpus_how = ""
    corpus_bytes = None
    if "tokenizer" in sections:
        with tempfile.TemporaryDirectory(prefix="llmf-bench-") as tmp:
            work = Path(tmp)
            if args.corpus_file:
                corpus, corpus_how = Path(args.corpus_file).resolve(), f"--corpus-file {args.corpus_file}"
            else:
                corpus = work / "janeausten.txt"
                how, why = corpus_text(llmf, corpus, runner)
                corpus_how = how or ""
                if not how:
                    runner.errors["corpus"] = why
            if corpus_how:
                corpus_bytes = corpus.stat().st_size
                spm_seconds = time_spm_train(corpus, work, threads if threads > 0 else physical_cores(), runner)
                ours_tok = (results.get("ours_small_rest") or {}).get("tokenizer_train_s") or None
                if ours_tok is None:
                    ours_tok = time_llmf_tokenizer(llmf, corpus, work, runner)
                    if ours_tok is not None:
                        tok_note = "ours: `llmf tokenizer train` process time (bench JSON had no tokenizer_train_s)"

    # 4. The table.
    def get(key: str, field: str) -> Optional[float]:
        """A measured number; ours' JSON writes 0 for the parts a run did not measure."""
        value = (results.get(key) or {}).get(field)
        return float(value) if isinstance(value, (int, float)) and value > 0 else None

    def flag(row: Dict[str, Any], *keys: str) -> None:
        """Marks a row measured while other processes kept the CPUs busy."""
        shares = {k: runner.other_load[k] for k in keys if k in runner.other_load}
        row["other_cpu_load"] = max(shares.values()) if shares else None
        loaded = {k: v for k, v in shares.items() if v >= args.max_other_load}
        if loaded:
            row["status"] += "*"
            flagged.update(loaded)

    tol = args.tolerance
    rows: List[Dict[str, Any]] = []
    flagged: Dict[str, float] = {}
    peak = get("ours_small_rest", "matmul_peak_gflops")
    for preset in ("small", "medium"):
        if preset not in sections:
            continue
        _, batch, seq = PRESETS[preset]
        o, r = f"ours_{preset}_train", f"ref_{preset}_train"
        rows.append(make_row(f"{preset}: train tok/s (B{batch} T{seq})", "tok/s", get(o, "train_tokens_per_s"),
                             get(r, "train_tokens_per_s"), f"train_tps_{preset}", tol))
        flag(rows[-1], o, r)
        rows.append(make_row(f"{preset}: peak RSS, train only", "MiB", get(o, "peak_rss_bytes"),
                             get(r, "peak_rss_bytes"), "train_rss", tol))
    if "generate" in sections:
        o, r = "ours_small_rest", "ref_small_generate"
        rows.append(make_row("small: generate tok/s, KV cache", "tok/s", get(o, "generate_tokens_per_s_kv_cache"),
                             get(r, "generate_tokens_per_s_kv_cache"), "gen_kv", tol))
        flag(rows[-1], o, r)
        rows.append(make_row("small: generate tok/s, no cache", "tok/s", get(o, "generate_tokens_per_s_no_cache"),
                             get(r, "generate_tokens_per_s_no_cache"), None, tol))
        flag(rows[-1], o, r)
        kv, nocache = get(o, "generate_tokens_per_s_kv_cache"), get(o, "generate_tokens_per_s_no_cache")
        speedup = kv / nocache if kv and nocache else None
        rows.append(make_row("small: KV cache speed-up (ours)", "x", speedup, None, "cache_speedup", tol,
                             ratio=speedup, ours_text=f"{speedup:.1f}x" if speedup else "n/a"))
        rows.append(make_row("small: prefill 256 tokens", "ms", get(o, "prefill_ms"), get(r, "prefill_ms"),
                             "prefill", tol))
        flag(rows[-1], o, r)
    if {"small", "medium"} & set(sections):
        rows.append(make_row("fp32 matmul peak GFLOP/s (ours)", "GFLOP/s", peak, None, None, tol))
        flag(rows[-1], "ours_small_rest")
        for preset in ("small", "medium"):
            if preset not in sections:
                continue
            gflops = get(f"ours_{preset}_train", "train_gflops")
            ours_tps, ref_tps = get(f"ours_{preset}_train", "train_tokens_per_s"), \
                get(f"ref_{preset}_train", "train_tokens_per_s")
            # The reference does the same FLOPs per token: scale ours' GFLOP/s by the throughput ratio.
            ref_gflops = gflops * ref_tps / ours_tps if gflops and ours_tps and ref_tps else None
            pct = 100.0 * gflops / peak if gflops is not None and peak else None
            ref_pct = 100.0 * ref_gflops / peak if ref_gflops is not None and peak else None
            rows.append(make_row(
                f"{preset}: train GFLOP/s, % of peak", "%", pct, ref_pct, "gflops_pct" if preset == "small" else None,
                tol, ratio=pct,
                ours_text=f"{gflops:.1f} ({pct:.0f}%)" if pct is not None else fmt(gflops, "GFLOP/s"),
                ref_text=f"{ref_gflops:.1f} ({ref_pct:.0f}%)" if ref_pct is not None else "n/a"))
            flag(rows[-1], f"ours_{preset}_train", "ours_small_rest")
    if "tokenizer" in sections:
        rows.append(make_row("tokenizer: BPE 8192 train (vs spm_train)", "s", ours_tok, spm_seconds, "tokenizer",
                             tol, note=tok_note))
        flag(rows[-1], "llmf_tokenizer" if tok_note else "ours_small_rest", "spm_train")

    # 5. Report.
    ours_meta = next((results[k] for k in ("ours_small_train", "ours_small_rest", "ours_medium_train")
                      if results.get(k)), None) or {}
    ref_meta = next((results[k] for k in ("ref_small_train", "ref_small_generate", "ref_medium_train")
                     if results.get(k)), None) or {}
    print()
    print(f"LLM Foundry benchmark on {platform.node()} ({physical_cores()} physical cores), threads {threads}, "
          f"{steps} timed training steps{' (--quick)' if args.quick else ''}")
    print(f"  ours:      {llmf} bench; BLAS {ours_meta.get('blas', '?')}")
    print(f"  reference: PyTorch {ref_meta.get('torch_version', '?')} on Python {ref_meta.get('python_version', '?')}"
          f" ({python or 'none'}); BLAS {ref_meta.get('blas', '?')}")
    if "tokenizer" in sections:
        size = f", {corpus_bytes / 2**20:.1f} MiB" if corpus_bytes else ""
        print(f"  tokenizer corpus: {corpus_how or 'n/a'}{size}")
    print()
    print_table(rows)
    notes = [f"{r['measurement']}: {r['note']}" for r in rows if r["note"]]
    # The two sides must have measured the same work.
    same = [("ours_small_rest", "new_tokens", "ref_small_generate", "generate_new_tokens", "generated tokens"),
            ("ours_small_rest", "prefill_tokens", "ref_small_generate", "prefill_tokens", "prefill tokens"),
            ("ours_small_rest", "tokenizer_text_bytes", None, corpus_bytes, "tokenizer corpus bytes")]
    for ok, of, rk, rf, what in same:
        a = (results.get(ok) or {}).get(of)
        b = (results.get(rk) or {}).get(rf) if rk else rf
        if a and b and a != b:
            notes.append(f"{what} differ: ours {a}, reference {b}")
    for key in [k for k in results if k.startswith("ours_") and results[k]]:
        o = results[key]
        if o.get("parameters") and results.get("ref" + key[4:]) and \
                results["ref" + key[4:]].get("parameters") not in (None, o["parameters"]):
            notes.append(f"{key}: parameter counts differ (ours {o['parameters']}, "
                         f"reference {results['ref' + key[4:]]['parameters']})")
    print()
    print("ratio = ours / reference.")
    if any(r["unit"] == "%" for r in rows):
        print("GFLOP/s rows: ratio = ours' share of the fp32 matmul peak; the reference's GFLOP/s are ours' scaled")
        print("by the throughput ratio (same model, same FLOPs per token).")
    if ours_meta.get("blas") and ref_meta.get("blas") and ours_meta["blas"] != ref_meta["blas"]:
        notes.append(f"the two sides use different BLAS libraries ({ours_meta['blas']} vs {ref_meta['blas']}): "
                     "the comparison measures the libraries as much as the code")
    if flagged:
        notes.append("* measured while other processes kept the CPUs busy (" +
                     ", ".join(f"{k} {100 * v:.0f}%" for k, v in flagged.items()) +
                     "): those numbers are not trustworthy; rerun on an idle machine")
    for n in notes:
        print(f"note: {n}")
    for key, error in runner.errors.items():
        print(f"error: {key}: {error}")

    statuses = [r["status"] for r in rows]
    code = 2 if runner.errors or any(st.startswith("n/a") for st in statuses) else \
        (1 if any(st.startswith("MISS") for st in statuses) else 0)
    if args.json:
        out = {
            "meta": {"threads": threads, "steps": steps, "quick": args.quick, "llmf": llmf, "python": python,
                     "host": platform.node(), "physical_cores": physical_cores(), "tolerance": tol,
                     "targets": {k: list(v) for k, v in TARGETS.items()}, "tokenizer_corpus": corpus_how,
                     "tokenizer_corpus_bytes": corpus_bytes, "other_cpu_load": runner.other_load,
                     "run_seconds": runner.seconds, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                     "exit_status": code},
            "rows": rows,
            "runs": {k: v for k, v in results.items() if v is not None},
            "tokenizer": {"ours_s": ours_tok, "spm_train_s": spm_seconds},
            "commands": runner.commands,
            "errors": runner.errors,
        }
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(f"\nsaved {args.json}")
    return code


if __name__ == "__main__":
    sys.exit(main())
