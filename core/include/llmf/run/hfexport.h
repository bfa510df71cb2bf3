#pragma once

// Export to a Hugging Face `transformers` model folder. Our model *is* a Llama (same tensor names, rotate_half
// RoPE, SwiGLU, RMSNorm, no biases), so the export is the weights plus the JSON files transformers reads:
//
//     out/config.json              LlamaForCausalLM architecture: hidden_size = dim, num_key_value_heads, ...
//     out/generation_config.json   bos/eos/pad token ids
//     out/model.safetensors        weights under HF names (no lm_head.weight when the embeddings are tied)
//     out/tokenizer.json           our byte-level BPE, in the format `tokenizers` reads
//     out/tokenizer_config.json    PreTrainedTokenizerFast, "<|endoftext|>" as bos/eos, "<|pad|>" as pad
//     out/special_tokens_map.json  the same special tokens, as save_pretrained writes them
//
// so that in Python:
//     model = AutoModelForCausalLM.from_pretrained("out"); tok = AutoTokenizer.from_pretrained("out")

#include "llmf/tokenizer/tokenizer.h"

#include <string>
#include <vector>

namespace llmf {

class MiniLLM;
struct LoadedRun;

// The files exportHuggingFace() writes, in the order it writes them (config.json first, so that an interrupted
// export is still recognised as one and can be overwritten by the next).
const std::vector<std::string> &huggingFaceExportFiles();

// Writes the folder described above; every file atomically. Creates `outDir` (and its parents) when needed.
// Throws llmf::Error when `outDir` is a file, or a non-empty folder that does not look like a previous export
// (a config.json naming LlamaForCausalLM and nothing but the files above), when the tokenizer has more tokens
// than the model's vocab_size or no "<|endoftext|>", or on I/O failure.
void exportHuggingFace(const MiniLLM &model, const Tokenizer &tokenizer, const std::string &outDir);
void exportHuggingFace(const LoadedRun &run, const std::string &outDir);

} // namespace llmf
