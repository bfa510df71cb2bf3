#!/usr/bin/env python3
"""Benchmarks the plain-PyTorch reference model (reference_model.py), the counterpart of `llmf bench`.

    python3 tests/benchmarks/reference/bench_reference.py --config configs/small.yaml \
        --batch-size 16 --seq-len 256 --steps 10 --threads 2 --parts train,generate,prefill --json

Measurements (each selected by --parts):
  train     tokens/s of full optimiser steps (forward + backward + clip_grad_norm_ + AdamW with the
            trainer's weight-decay groups) on random token batches; the first --warmup steps are excluded.
  generate  tokens/s at batch 1 for --new-tokens (200) new tokens after a --prompt-tokens (16) prompt,
            with the (torch.cat) KV cache and without it, under torch.inference_mode. Like the app's
            Generator, the time counts the decoding after the prefill (sampling included).
  prefill   milliseconds of one forward over a --prefill-tokens (256) prompt that also builds the cache
            (median of --prefill-repeats after one warm-up run).
peak_rss_bytes is the process's peak resident set (getrusage ru_maxrss x 1024): run `--parts train` alone
to compare training memory.

Needs torch (Debian: python3-torch, importable by /usr/bin/python3). PyYAML (python3-yaml) is used when
present; otherwise a small parser reads the flat two-level preset files. Presets only state what differs
from the defaults, which are read from core/include/llmf/config/*.h (built-in copies when not found).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import resource
import statistics
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Any, Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ beside reference_model.py in the source tree

# --------------------------------------------------------------------------------------------------------------
# Configuration: defaults from the C++ headers, preset diffs from a YAML file
# --------------------------------------------------------------------------------------------------------------

# Built-in copies of core/include/llmf/config/*.h, used when the headers cannot be read.
BUILTIN_DEFAULTS: Dict[str, Dict[str, Any]] = {
    "model": {"dim": 512, "n_layers": 8, "n_heads": 8, "n_kv_heads": 4, "vocab_size": 8192, "max_seq_len": 512,
              "dropout": 0.0, "ffn_hidden_dim": 0, "norm_eps": 1e-6, "rope_theta": 10000.0,
              "tie_embeddings": False},
    "training": {"batch_size": 16, "learning_rate": 3e-4, "max_iters": 5000, "eval_interval": 100,
                 "eval_iters": 20, "device": "auto", "warmup_iters": 100, "min_lr": 3e-5, "weight_decay": 0.1,
                 "beta1": 0.9, "beta2": 0.95, "grad_clip": 1.0, "grad_accum_steps": 1, "dtype": "float32",
                 "seed": 1337, "log_interval": 10, "checkpoint_interval": 500, "seq_len": 0},
    "data": {"file_path": "", "corpus": "default", "split_ratio": 0.9, "tokenizer_path": ""},
    "generation": {"temperature": 0.8, "top_k": 50, "top_p": 0.9, "max_new_tokens": 200,
                   "repetition_penalty": 1.0, "seed": 42, "use_kv_cache": True},
}

HEADERS = {"model": "modelconfig.h", "training": "trainconfig.h", "data": "dataconfig.h",
           "generation": "generationconfig.h"}

# `    int64_t dim = 512;  // ...`, `std::optional<int64_t> top_k = 50;`, `std::string device = "auto";`
FIELD_RE = re.compile(r"^\s*(?:const\s+)?([\w:]+(?:<[\w:\s]+>)?)\s+(\w+)\s*=\s*([^;]+);")


def parse_scalar(text: str) -> Any:
    """A YAML/C++ scalar: null, booleans, numbers, quoted or bare strings."""
    s = text.strip()
    if s in ("", "~", "null", "Null", "NULL", "std::nullopt"):
        return None
    if s in ("true", "True", "TRUE"):
        return True
    if s in ("false", "False", "FALSE"):
        return False
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "\"'":
        if s[0] == '"':
            try:
                return ast.literal_eval(s)
            except (ValueError, SyntaxError):
                pass
        return s[1:-1]
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return float(s)
    except ValueError:
        return s


def header_defaults(header_dir: Path) -> Dict[str, Dict[str, Any]]:
    """Defaults read from the config structs' member initialisers; built-in copies for what is missing."""
    out = {section: dict(values) for section, values in BUILTIN_DEFAULTS.items()}
    for section, name in HEADERS.items():
        path = header_dir / name
        if not path.is_file():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            m = FIELD_RE.match(line)  # the initialiser ends at the first ';', before any comment
            if m:
                out[section][m.group(2)] = parse_scalar(m.group(3))
    return out


def strip_comment(line: str) -> str:
    """Removes a YAML comment that is not inside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def parse_flat_yaml(text: str) -> Dict[str, Dict[str, Any]]:
    """The preset files' subset of YAML: `section:` then indented `key: value` lines."""
    out: Dict[str, Dict[str, Any]] = {}
    section: Optional[str] = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = strip_comment(raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        key, sep, value = line.strip().partition(":")
        if not sep:
            raise ValueError(f"line {number}: expected 'key: value', got {raw!r}")
        if indent == 0:
            if value.strip():
                raise ValueError(f"line {number}: top-level keys are sections (got a value: {raw!r})")
            section = key.strip()
            out.setdefault(section, {})
        else:
            if section is None:
                raise ValueError(f"line {number}: indented key outside a section")
            out[section][key.strip()] = parse_scalar(value)
    return out


def load_config(path: Optional[str]) -> Dict[str, Dict[str, Any]]:
    config = header_defaults(REPO / "core" / "include" / "llmf" / "config")
    if not path:
        return config
    text = Path(path).read_text(encoding="utf-8")
    try:
        import yaml  # python3-yaml
        preset = yaml.safe_load(text) or {}
    except ImportError:
        preset = parse_flat_yaml(text)
    for section, values in preset.items():
        if section not in config or not isinstance(values, dict):
            print(f"warning: {path}: unknown section '{section}' ignored", file=sys.stderr)
            continue
        for key, value in (values or {}).items():
            if key not in config[section]:
                print(f"warning: {path}: unknown key '{section}.{key}' ignored", file=sys.stderr)
                continue
            config[section][key] = value
    return config


def to_dataclass(cls, values: Dict[str, Any]):
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in values.items():
        if key not in known:
            continue
        kind = known[key].type if isinstance(known[key].type, str) else getattr(known[key].type, "__name__", "")
        kind = re.sub(r"^Optional\[(\w+)\]$", r"\1", kind)
        if value is not None and kind in ("int", "float"):  # PyYAML reads 1e-4 (no dot) as a string
            value = int(value) if kind == "int" else float(value)
        kwargs[key] = value
    return cls(**kwargs)


# --------------------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------------------

def physical_cores() -> int:
    """Physical cores from /proc/cpuinfo (the app's default thread count); logical CPUs as a fallback."""
    try:
        cores = set()
        physical = core = None
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("physical id"):
                    physical = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    core = line.split(":")[1].strip()
                elif not line.strip():
                    if core is not None:
                        cores.add((physical, core))
                    physical = core = None
        if core is not None:
            cores.add((physical, core))
        if cores:
            return len(cores)
    except OSError:
        pass
    return os.cpu_count() or 1


def blas_info() -> Dict[str, str]:
    """The BLAS mapped into this process (Debian's torch calls whatever libblas.so.3 points to), by name and path."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as f:
            paths = sorted({os.path.realpath(line.split()[-1]) for line in f
                            if "/" in line and any(k in line.lower() for k in ("blas", "mkl", "atlas"))})
    except OSError:
        paths = []
    names = [("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"),
             ("/blas/", "reference BLAS (netlib)")]
    for key, name in names:
        hits = [p for p in paths if key in p.lower()]
        if hits:
            if key == "openblas":
                variant = next((v for v in ("openmp", "pthread", "serial") if any(v in p for p in hits)), "")
                name += f" ({'OpenMP' if variant == 'openmp' else variant})" if variant else ""
            main_lib = next((p for p in hits if key in os.path.basename(p).lower()),
                            next((p for p in hits if "lapack" not in os.path.basename(p)), hits[0]))
            return {"blas": name, "blas_library": main_lib}
    return {"blas": "unknown" if not paths else os.path.basename(paths[0]), "blas_library": ", ".join(paths)}


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure_train(torch, rm, mc, tc, batch_size: int, seq_len: int, steps: int, warmup: int) -> Dict[str, Any]:
    torch.manual_seed(tc.seed)
    model = rm.MiniLLM(mc)
    model.train()
    optimizer = rm.make_optimizer(model, tc)
    g = torch.Generator().manual_seed(tc.seed)

    def batch():
        data = torch.randint(0, mc.vocab_size, (batch_size, seq_len + 1), generator=g)
        return data[:, :-1], data[:, 1:]

    losses: List[float] = []
    timed = 0.0
    for step in range(warmup + steps):
        batches = [batch() for _ in range(tc.grad_accum_steps)]
        t0 = time.perf_counter()
        losses.append(rm.train_step(model, optimizer, tc, step, batches))
        if step >= warmup:
            timed += time.perf_counter() - t0
    tokens = batch_size * seq_len * tc.grad_accum_steps * steps
    return {
        "train_tokens_per_s": tokens / timed if timed > 0 else 0.0,
        "train_step_s": timed / steps if steps else 0.0,
        "train_steps": steps,
        "train_warmup_steps": warmup,
        "train_loss_first": losses[0] if losses else None,
        "train_loss_last": losses[-1] if losses else None,
        "parameters": model.num_parameters(),
    }


def measure_generate(torch, rm, mc, gc, new_tokens: int, prompt_tokens: int) -> Dict[str, Any]:
    torch.manual_seed(0)
    model = rm.MiniLLM(mc).eval()
    prompt_tokens = max(1, min(prompt_tokens, mc.max_seq_len))
    prompt = torch.randint(0, mc.vocab_size, (prompt_tokens,), generator=torch.Generator().manual_seed(1)).tolist()
    out: Dict[str, Any] = {"generate_new_tokens": new_tokens, "generate_prompt_tokens": prompt_tokens,
                           "parameters": model.num_parameters()}
    for use_cache, key in ((True, "kv_cache"), (False, "no_cache")):
        cfg = rm.GenerationConfig(temperature=gc.temperature, top_k=gc.top_k, top_p=gc.top_p,
                                  repetition_penalty=gc.repetition_penalty, use_kv_cache=use_cache,
                                  max_new_tokens=min(new_tokens, 8))
        rm.generate(model, prompt, cfg, torch.Generator().manual_seed(gc.seed))  # warm-up
        cfg.max_new_tokens = new_tokens
        # The cached run takes a fraction of a second, so one run is at the mercy of the machine: median of 3
        # (the same as llmf bench does).
        runs = [rm.generate(model, prompt, cfg, torch.Generator().manual_seed(gc.seed)) for _ in range(3 if use_cache else 1)]
        result = sorted(runs, key=lambda r: r.tokens_per_second)[len(runs) // 2]
        out[f"generate_tokens_per_s_{key}"] = result.tokens_per_second
        out[f"generate_decode_s_{key}"] = result.decode_seconds
    return out


def measure_prefill(torch, rm, mc, prefill_tokens: int, repeats: int) -> Dict[str, Any]:
    torch.manual_seed(0)
    model = rm.MiniLLM(mc).eval()
    n = max(1, min(prefill_tokens, mc.max_seq_len))
    idx = torch.randint(0, mc.vocab_size, (1, n), generator=torch.Generator().manual_seed(2))
    times = []
    with torch.inference_mode():
        for i in range(repeats + 1):
            t0 = time.perf_counter()
            logits, _, past = model(idx, use_cache=True)
            logits[0, -1].float().tolist()  # the generator's next-token row
            if i > 0:  # the first run is a warm-up
                times.append(time.perf_counter() - t0)
            del logits, past
    return {"prefill_ms": 1000.0 * statistics.median(times), "prefill_tokens": n, "prefill_repeats": repeats,
            "parameters": model.num_parameters()}


# --------------------------------------------------------------------------------------------------------------

def main(argv: Optional[List[str]] = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--config", help="a preset YAML file (configs/*.yaml); default: the built-in defaults")
    p.add_argument("--batch-size", type=int, help="training batch (default: training.batch_size)")
    p.add_argument("--seq-len", type=int, help="training window (default: training.seq_len or model.max_seq_len)")
    p.add_argument("--steps", type=int, default=10, help="timed training steps (default 10)")
    p.add_argument("--warmup", type=int, default=2, help="untimed training steps first (default 2)")
    p.add_argument("--threads", type=int, default=0, help="torch intra-op threads (default: physical cores)")
    p.add_argument("--parts", default="train,generate,prefill", help="comma list of train, generate, prefill")
    p.add_argument("--new-tokens", type=int, default=200, help="tokens to generate (default 200)")
    p.add_argument("--prompt-tokens", type=int, default=16, help="generation prompt length (default 16)")
    p.add_argument("--prefill-tokens", type=int, default=256, help="prefill prompt length (default 256)")
    p.add_argument("--prefill-repeats", type=int, default=5, help="timed prefills, median reported (default 5)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = p.parse_args(argv)

    parts = [s.strip() for s in args.parts.split(",") if s.strip()]
    unknown = set(parts) - {"train", "generate", "prefill"}
    if unknown:
        p.error(f"unknown part(s): {', '.join(sorted(unknown))} (known: train, generate, prefill)")

    try:
        import torch
    except ImportError:
        print(f"error: {sys.executable} cannot import torch. Install Debian's python3-torch "
              "(scripts/bench.sh does) and run this with /usr/bin/python3.", file=sys.stderr)
        return 2
    import reference_model as rm

    config = load_config(args.config)
    mc = to_dataclass(rm.ModelConfig, config["model"])
    tc = to_dataclass(rm.TrainConfig, config["training"])
    gc = to_dataclass(rm.GenerationConfig, config["generation"])
    batch_size = args.batch_size or tc.batch_size
    seq_len = args.seq_len or (tc.seq_len if tc.seq_len > 0 else mc.max_seq_len)
    if seq_len > mc.max_seq_len:
        p.error(f"--seq-len {seq_len} exceeds model.max_seq_len {mc.max_seq_len}")
    threads = args.threads if args.threads > 0 else physical_cores()
    torch.set_num_threads(threads)

    result: Dict[str, Any] = {
        "threads": torch.get_num_threads(),
        "batch_size": batch_size,
        "seq_len": seq_len,
        "parameters": rm.parameter_count(mc),
        "torch_version": torch.__version__,
        "python_version": sys.version.split()[0],
        "config": args.config or "(defaults)",
        "parts": parts,
    }
    if "train" in parts:
        result.update(measure_train(torch, rm, mc, tc, batch_size, seq_len, args.steps, args.warmup))
    if "generate" in parts:
        result.update(measure_generate(torch, rm, mc, gc, args.new_tokens, args.prompt_tokens))
    if "prefill" in parts:
        result.update(measure_prefill(torch, rm, mc, args.prefill_tokens, args.prefill_repeats))
    result.update(blas_info())  # after the first matmul, in case the library is loaded lazily
    result["peak_rss_bytes"] = peak_rss_bytes()

    if args.json:
        print(json.dumps(result, indent=2))
    else:
        width = max(len(k) for k in result)
        for key, value in result.items():
            if isinstance(value, float):
                value = f"{value:.4g}"
            print(f"{key:<{width}}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
