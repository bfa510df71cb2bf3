"""The LLM Foundry model in plain PyTorch, written the way the original Python project writes it.

This is the *reference* side of the performance benchmarks (tests/benchmarks/compare.py): the same
architecture, sizes, initialisation and sampling as the C++ app (core/src/model, core/src/infer), in the
idioms of the usual Python LLaMA code that the original guide's `components.py` / `transformer.py` /
`generator.py` follow:

    token embedding -> n_layers x [RMSNorm -> causal GQA self-attention with RoPE -> residual;
                                   RMSNorm -> SwiGLU FFN -> residual] -> RMSNorm -> lm_head

- No biases; head_dim = dim / n_heads; FFN hidden = int(8 * dim / 3) unless ffn_hidden_dim is set;
  RMSNorm eps 1e-6; RoPE theta 10000 in Hugging Face's "rotate_half" layout; untied embeddings unless
  tie_embeddings; every matrix initialised N(0, 0.02), RMSNorm gains 1.
- GQA the usual Python way: K/V are expanded to one copy per query head with repeat_interleave.
- Attention in explicit ops, softmax(Q K^T / sqrt(d) + mask) V, with an additive -inf causal mask.
  torch.nn.functional.scaled_dot_product_attention is deliberately NOT used (Debian's torch 1.13 has
  none, and the guide's code predates it).
- KV cache as the guide's style has it: every layer returns (k, v) and the next step concatenates the
  new key/value onto the past ones with torch.cat (a new, one-longer tensor per layer and step).
- Sampling: repetition penalty, temperature (0 = greedy), top-k, then top-p on the sorted survivors
  (a token stays while the mass before it is below p), like core/src/infer/sampler.cpp.

Module and parameter names are Hugging Face Llama's (embed_tokens, layers.{i}.self_attn.q_proj, ...,
mlp.gate_proj, input_layernorm, post_attention_layernorm, norm, lm_head), like the app's.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

KV = Tuple[torch.Tensor, torch.Tensor]


# --------------------------------------------------------------------------------------------------------------
# Configuration (defaults = core/include/llmf/config/*.h = the guide's ModelConfig / TrainConfig)
# --------------------------------------------------------------------------------------------------------------

@dataclass
class ModelConfig:
    dim: int = 512
    n_layers: int = 8
    n_heads: int = 8
    n_kv_heads: int = 4
    vocab_size: int = 8192
    max_seq_len: int = 512
    dropout: float = 0.0
    ffn_hidden_dim: int = 0  # 0 = int(8 * dim / 3)
    norm_eps: float = 1e-6
    rope_theta: float = 10000.0
    tie_embeddings: bool = False

    @property
    def head_dim(self) -> int:
        return self.dim // self.n_heads

    @property
    def hidden_dim(self) -> int:
        return self.ffn_hidden_dim if self.ffn_hidden_dim > 0 else int(8 * self.dim / 3)


@dataclass
class TrainConfig:
    batch_size: int = 16
    learning_rate: float = 3e-4
    max_iters: int = 5000
    warmup_iters: int = 100
    min_lr: float = 3e-5
    weight_decay: float = 0.1
    beta1: float = 0.9
    beta2: float = 0.95
    grad_clip: float = 1.0
    grad_accum_steps: int = 1
    seed: int = 1337
    seq_len: int = 0  # 0 = max_seq_len


@dataclass
class GenerationConfig:
    temperature: float = 0.8
    top_k: Optional[int] = 50
    top_p: Optional[float] = 0.9
    max_new_tokens: int = 200
    repetition_penalty: float = 1.0
    seed: int = 42
    use_kv_cache: bool = True


# --------------------------------------------------------------------------------------------------------------
# Components
# --------------------------------------------------------------------------------------------------------------

class RMSNorm(nn.Module):
    """y = x / RMS(x) * weight, reduced in float32."""

    def __init__(self, dim: int, eps: float = 1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def _norm(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self._norm(x.float()).type_as(x) * self.weight


class RotaryEmbedding(nn.Module):
    """Precomputed cos/sin tables (max_seq_len, head_dim) in Hugging Face's layout (both halves share angles)."""

    def __init__(self, head_dim: int, max_seq_len: int, theta: float = 10000.0):
        super().__init__()
        inv_freq = (theta ** -(torch.arange(0, head_dim, 2, dtype=torch.float64) / head_dim)).float()
        t = torch.arange(max_seq_len, dtype=torch.float32)
        freqs = torch.outer(t, inv_freq)  # (T, D/2)
        emb = torch.cat((freqs, freqs), dim=-1)  # (T, D)
        self.register_buffer("cos_cached", emb.cos(), persistent=False)
        self.register_buffer("sin_cached", emb.sin(), persistent=False)

    def forward(self, start: int, length: int) -> Tuple[torch.Tensor, torch.Tensor]:
        return self.cos_cached[start:start + length], self.sin_cached[start:start + length]


def rotate_half(x: torch.Tensor) -> torch.Tensor:
    x1 = x[..., : x.shape[-1] // 2]
    x2 = x[..., x.shape[-1] // 2:]
    return torch.cat((-x2, x1), dim=-1)


def apply_rotary_pos_emb(q: torch.Tensor, k: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor):
    q_embed = (q * cos) + (rotate_half(q) * sin)
    k_embed = (k * cos) + (rotate_half(k) * sin)
    return q_embed, k_embed


class Attention(nn.Module):
    """Causal grouped-query self-attention with RoPE and an optional (torch.cat) KV cache."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        assert cfg.dim % cfg.n_heads == 0, "dim must be divisible by n_heads"
        assert cfg.n_heads % cfg.n_kv_heads == 0, "n_heads must be a multiple of n_kv_heads"
        self.n_heads = cfg.n_heads
        self.n_kv_heads = cfg.n_kv_heads
        self.n_rep = cfg.n_heads // cfg.n_kv_heads
        self.head_dim = cfg.head_dim
        self.dropout = cfg.dropout
        self.q_proj = nn.Linear(cfg.dim, cfg.n_heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.dim, cfg.n_kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.dim, cfg.n_kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(cfg.n_heads * self.head_dim, cfg.dim, bias=False)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor, mask: Optional[torch.Tensor],
                past_kv: Optional[KV] = None, use_cache: bool = False):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.n_heads, self.head_dim).transpose(1, 2)  # (B, H, T, D)
        k = self.k_proj(x).view(B, T, self.n_kv_heads, self.head_dim).transpose(1, 2)  # (B, KV, T, D)
        v = self.v_proj(x).view(B, T, self.n_kv_heads, self.head_dim).transpose(1, 2)  # (B, KV, T, D)

        q, k = apply_rotary_pos_emb(q, k, cos, sin)

        # KV cache: append this step's keys/values to the past ones.
        if past_kv is not None:
            past_k, past_v = past_kv
            k = torch.cat([past_k, k], dim=2)  # (B, KV, S, D)
            v = torch.cat([past_v, v], dim=2)
        present = (k, v) if use_cache else None

        # GQA: every KV head serves n_rep query heads.
        if self.n_rep > 1:
            k = k.repeat_interleave(self.n_rep, dim=1)  # (B, H, S, D)
            v = v.repeat_interleave(self.n_rep, dim=1)

        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)  # (B, H, T, S)
        if mask is not None:
            scores = scores + mask  # (T, S), broadcast
        scores = F.softmax(scores.float(), dim=-1).type_as(q)
        scores = F.dropout(scores, p=self.dropout, training=self.training)
        out = torch.matmul(scores, v)  # (B, H, T, D)
        out = out.transpose(1, 2).contiguous().view(B, T, -1)  # (B, T, C)
        return self.o_proj(out), present


class FeedForward(nn.Module):
    """SwiGLU: down(silu(gate(x)) * up(x))."""

    def __init__(self, dim: int, hidden_dim: int):
        super().__init__()
        self.gate_proj = nn.Linear(dim, hidden_dim, bias=False)
        self.up_proj = nn.Linear(dim, hidden_dim, bias=False)
        self.down_proj = nn.Linear(hidden_dim, dim, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class TransformerBlock(nn.Module):
    """Pre-norm block: x + Attn(RMSNorm(x)), then h + FFN(RMSNorm(h))."""

    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.dropout = cfg.dropout
        self.input_layernorm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.mlp = FeedForward(cfg.dim, cfg.hidden_dim)

    def forward(self, x, cos, sin, mask, past_kv=None, use_cache=False):
        h, present = self.self_attn(self.input_layernorm(x), cos, sin, mask, past_kv, use_cache)
        h = x + F.dropout(h, p=self.dropout, training=self.training)
        out = h + F.dropout(self.mlp(self.post_attention_layernorm(h)), p=self.dropout, training=self.training)
        return out, present


class MiniLLM(nn.Module):
    def __init__(self, cfg: ModelConfig):
        super().__init__()
        self.config = cfg
        self.embed_tokens = nn.Embedding(cfg.vocab_size, cfg.dim)
        self.layers = nn.ModuleList([TransformerBlock(cfg) for _ in range(cfg.n_layers)])
        self.norm = RMSNorm(cfg.dim, cfg.norm_eps)
        self.lm_head = None if cfg.tie_embeddings else nn.Linear(cfg.dim, cfg.vocab_size, bias=False)
        self.rope = RotaryEmbedding(cfg.head_dim, cfg.max_seq_len, cfg.rope_theta)
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(module: nn.Module):
        if isinstance(module, (nn.Linear, nn.Embedding)):
            torch.nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def forward(self, idx: torch.Tensor, targets: Optional[torch.Tensor] = None,
                past_key_values: Optional[List[KV]] = None, use_cache: bool = False):
        """idx (B, T) -> (logits (B, T, V), loss or None, presents or None).

        With past_key_values the tokens are at positions [past length, past length + T)."""
        B, T = idx.shape
        start = past_key_values[0][0].shape[2] if past_key_values is not None else 0
        assert start + T <= self.config.max_seq_len, f"sequence of {start + T} exceeds max_seq_len"
        x = self.embed_tokens(idx)
        x = F.dropout(x, p=self.config.dropout, training=self.training)
        cos, sin = self.rope(start, T)

        mask = None
        if T > 1:
            mask = torch.full((T, T), float("-inf"), device=idx.device).triu(1)
            if start > 0:  # new queries see every cached key
                mask = torch.hstack([torch.zeros((T, start), device=idx.device), mask])
            mask = mask.type_as(x)

        presents: Optional[List[KV]] = [] if use_cache else None
        for i, layer in enumerate(self.layers):
            past = past_key_values[i] if past_key_values is not None else None
            x, present = layer(x, cos, sin, mask, past, use_cache)
            if use_cache:
                presents.append(present)
        x = self.norm(x)
        logits = self.lm_head(x) if self.lm_head is not None else F.linear(x, self.embed_tokens.weight)

        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.view(-1, logits.size(-1)).float(), targets.reshape(-1))
        return logits, loss, presents


def parameter_count(cfg: ModelConfig) -> int:
    """Parameters of MiniLLM(cfg), without building it."""
    d, hd = cfg.dim, cfg.head_dim
    attention = d * cfg.n_heads * hd * 2 + d * cfg.n_kv_heads * hd * 2  # q, o; k, v
    ffn = 3 * d * cfg.hidden_dim
    per_layer = attention + ffn + 2 * d  # + two RMSNorm gains
    head = 0 if cfg.tie_embeddings else cfg.vocab_size * d
    return cfg.vocab_size * d + cfg.n_layers * per_layer + d + head


# --------------------------------------------------------------------------------------------------------------
# Training helpers (as core/src/train/trainer.cpp and lrschedule.cpp)
# --------------------------------------------------------------------------------------------------------------

def make_optimizer(model: nn.Module, t: TrainConfig) -> torch.optim.AdamW:
    """AdamW; weight decay on >= 2-D parameters (matrices) only, none on RMSNorm gains."""
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [{"params": decay, "weight_decay": t.weight_decay},
              {"params": no_decay, "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=t.learning_rate, betas=(t.beta1, t.beta2), eps=1e-8)


def learning_rate_at(t: TrainConfig, step: int) -> float:
    """Linear warmup, then cosine decay to min_lr."""
    if t.warmup_iters > 0 and step < t.warmup_iters:
        return t.learning_rate * (step + 1) / t.warmup_iters
    if step >= t.max_iters:
        return t.min_lr
    span = max(1, t.max_iters - t.warmup_iters)
    progress = (step - t.warmup_iters) / span
    return t.min_lr + 0.5 * (1.0 + math.cos(math.pi * progress)) * (t.learning_rate - t.min_lr)


def train_step(model: MiniLLM, optimizer: torch.optim.Optimizer, t: TrainConfig, step: int,
               batches: Sequence[Tuple[torch.Tensor, torch.Tensor]]) -> float:
    """One optimiser step over len(batches) micro-batches; returns the mean loss."""
    lr = learning_rate_at(t, step)
    for group in optimizer.param_groups:
        group["lr"] = lr
    optimizer.zero_grad(set_to_none=True)
    total = 0.0
    for x, y in batches:
        _, loss, _ = model(x, y)
        (loss / len(batches)).backward()
        total += loss.item()
    if t.grad_clip > 0:
        torch.nn.utils.clip_grad_norm_(model.parameters(), t.grad_clip)
    optimizer.step()
    return total / len(batches)


# --------------------------------------------------------------------------------------------------------------
# Sampling and generation (as core/src/infer/sampler.cpp and generator.cpp)
# --------------------------------------------------------------------------------------------------------------

TOP_P_SLACK = 1e-6


def sample_next(logits: torch.Tensor, g: GenerationConfig, context: Sequence[int] = (),
                generator: Optional[torch.Generator] = None) -> int:
    """Next token id from one row of logits (V)."""
    logits = logits.float().reshape(-1)
    if g.repetition_penalty != 1.0 and len(context) > 0:
        logits = logits.clone()
        ids = torch.tensor(sorted(set(int(i) for i in context)), dtype=torch.long)
        picked = logits[ids]
        logits[ids] = torch.where(picked > 0, picked / g.repetition_penalty, picked * g.repetition_penalty)
    if g.temperature == 0:
        return int(torch.argmax(logits))
    probs = F.softmax(logits / g.temperature, dim=-1)  # (V)
    ids = None
    if g.top_k is not None and g.top_k < probs.numel():
        probs, ids = torch.topk(probs, g.top_k)  # sorted, (k)
        probs = probs / probs.sum()
    if g.top_p is not None and g.top_p < 1.0:
        if ids is None:
            probs, ids = torch.sort(probs, descending=True)
        before = probs.double().cumsum(0) - probs.double()
        keep = max(1, int((before < g.top_p - TOP_P_SLACK).sum()))
        probs, ids = probs[:keep], ids[:keep]
        probs = probs / probs.sum()
    pick = int(torch.multinomial(probs, 1, generator=generator))
    return int(ids[pick]) if ids is not None else pick


@dataclass
class GenerationResult:
    tokens: List[int] = field(default_factory=list)  # generated ids
    prefill_seconds: float = 0.0
    decode_seconds: float = 0.0  # after the prefill, as the app's Generator reports it

    @property
    def tokens_per_second(self) -> float:
        return len(self.tokens) / self.decode_seconds if self.decode_seconds > 0 else 0.0


@torch.inference_mode()
def generate(model: MiniLLM, prompt: Sequence[int], g: GenerationConfig,
             generator: Optional[torch.Generator] = None, eos_id: Optional[int] = None) -> GenerationResult:
    """Autoregressive sampling at batch 1, with (torch.cat) or without the KV cache.

    Context windowing as the app's Generator: when the context outgrows max_seq_len, keep its last 3/4 and
    re-run the whole window (RoPE positions change, so the cache cannot just drop its oldest entry)."""
    was_training = model.training
    model.eval()
    max_seq = model.config.max_seq_len
    keep = max(1, max_seq * 3 // 4)
    tokens = list(prompt)
    assert 0 < len(tokens) <= max_seq, "prompt must hold 1..max_seq_len tokens"
    device = model.embed_tokens.weight.device
    window_start = 0
    past: Optional[List[KV]] = None

    def forward_window():
        nonlocal past
        idx = torch.tensor([tokens[window_start:]], dtype=torch.long, device=device)  # (1, T)
        logits, _, past = model(idx, use_cache=g.use_kv_cache)
        return logits[0, -1].float()

    result = GenerationResult()
    t0 = time.perf_counter()
    logits = forward_window()
    t1 = time.perf_counter()
    result.prefill_seconds = t1 - t0
    while True:
        context = tokens[window_start:] if g.repetition_penalty != 1.0 else ()
        nxt = sample_next(logits, g, context, generator)
        if eos_id is not None and nxt == eos_id:
            break
        tokens.append(nxt)
        result.tokens.append(nxt)
        if len(result.tokens) >= g.max_new_tokens:
            break
        if len(tokens) - window_start > max_seq:
            window_start = len(tokens) - keep
            logits = forward_window()
        elif g.use_kv_cache:
            idx = torch.tensor([[nxt]], dtype=torch.long, device=device)  # (1, 1)
            out, _, past = model(idx, past_key_values=past, use_cache=True)
            logits = out[0, -1].float()
        else:
            logits = forward_window()
    result.decode_seconds = time.perf_counter() - t1
    if was_training:
        model.train()
    return result
