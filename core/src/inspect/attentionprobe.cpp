#include "llmf/inspect/attentionprobe.h"

#include "llmf/common/error.h"
#include "llmf/model/minillm.h"
#include "llmf/run/rundirectory.h"
#include "llmf/tokenizer/tokenizer.h"

#include <torch/torch.h>

#include <cstdio>

namespace llmf {

namespace {

// Length of the UTF-8 sequence starting at s[i], or 0 when it is not a complete, valid one. Byte-level BPE
// tokens may hold half of a character; those bytes are shown as hex instead of breaking the label's encoding.
size_t utf8Length(const std::string &s, size_t i)
{
    const auto c = static_cast<unsigned char>(s[i]);
    const size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size())
        return 0;
    for (size_t k = 1; k < n; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
            return 0;
    return n;
}

std::string hexByte(unsigned char c)
{
    char buffer[8];
    std::snprintf(buffer, sizeof buffer, "<%02X>", c);
    return buffer;
}

} // namespace

std::string displayToken(const std::string &bytes)
{
    std::string out;
    for (size_t i = 0; i < bytes.size();) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        const size_t n = utf8Length(bytes, i);
        if (c == ' ')
            out += "\u2423"; // ␣: a leading space is part of most GPT-2-style tokens and worth seeing
        else if (c == '\n')
            out += "\u21B5"; // ↵
        else if (c == '\t')
            out += "\u21E5"; // ⇥
        else if (n == 0 || c < 0x20 || c == 0x7F)
            out += hexByte(c);
        else
            out.append(bytes, i, n);
        i += n == 0 ? 1 : n;
    }
    return out;
}

AttentionMaps probeAttention(MiniLLM &model, const Tokenizer &tokenizer, const std::string &text)
{
    if (text.empty())
        throw Error("There is no text to inspect.", "Type a sentence for the model to read.");
    std::vector<int32_t> ids = tokenizer.encode(text);
    const ModelConfig &config = model->config();
    AttentionMaps maps;
    if (static_cast<int64_t>(ids.size()) > config.max_seq_len) {
        maps.note = "The text has " + std::to_string(ids.size()) + " tokens; only the first " +
                    std::to_string(config.max_seq_len) + " (the model's max_seq_len) are shown.";
        ids.resize(static_cast<size_t>(config.max_seq_len));
    }

    c10::InferenceMode inference;
    const std::vector<int64_t> ids64(ids.begin(), ids.end());
    const auto device = model->embed_tokens->weight.device();
    const auto idx = torch::tensor(ids64, torch::kInt64).to(device); // (T)
    torch::Tensor attention;
    model->probe(idx, attention);                                        // (L, H, T, T)
    attention = attention.to(torch::kCPU, torch::kFloat32).contiguous(); // (L, H, T, T) float32 on the CPU

    maps.layers = static_cast<int>(attention.size(0));
    maps.heads = static_cast<int>(attention.size(1));
    maps.kvHeads = static_cast<int>(config.n_kv_heads);
    maps.tokens = static_cast<int>(attention.size(2));
    const float *data = attention.data_ptr<float>();
    maps.probabilities.assign(data, data + attention.numel());
    maps.tokenIds = ids;
    maps.tokenTexts.reserve(ids.size());
    for (const int32_t id : ids)
        maps.tokenTexts.push_back(displayToken(tokenizer.tokenBytes(id)));
    return maps;
}

AttentionMaps probeAttention(const LoadedRun &run, const std::string &text)
{
    MiniLLM model = run.model();
    return probeAttention(model, run.tokenizer, text);
}

} // namespace llmf
