// exportGguf: a run as a llama.cpp model file (what and why: llmf/quant/ggufexport.h).
#include "llmf/quant/ggufexport.h"

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/model/minillm.h"
#include "llmf/kernels/quantizedweights.h"
#include "llmf/tokenizer/pretokenizer.h"
#include "llmf/run/rundirectory.h"

#include <cstring>
#include <filesystem>

namespace llmf {

namespace {

// llama.cpp's token types (llama_token_type).
constexpr int32_t kTokenNormal = 1, kTokenControl = 3, kTokenUnused = 5;
// llama_ftype values for general.file_type.
uint32_t fileType(GgmlType type)
{
    switch (type) {
    case GgmlType::F32:
        return 0;
    case GgmlType::F16:
        return 1;
    case GgmlType::Q4_0:
        return 2;
    case GgmlType::Q8_0:
        return 7;
    }
    return 0;
}

GgmlType parseType(const std::string &name, const std::string &runQuantization)
{
    if (name.empty())
        return runQuantization == "int8" ? GgmlType::Q8_0 : runQuantization == "int4" ? GgmlType::Q4_0 : GgmlType::F32;
    for (GgmlType t : {GgmlType::F32, GgmlType::F16, GgmlType::Q8_0, GgmlType::Q4_0})
        if (name == ggmlTypeName(t))
            return t;
    throw Error("Unknown GGUF type '" + name + "'.", "Use f32, f16, q8_0 or q4_0.");
}

QuantType quantTypeOf(GgmlType type)
{
    return type == GgmlType::Q8_0 ? QuantType::Int8 : type == GgmlType::Q4_0 ? QuantType::Int4 : QuantType::None;
}

// GGML blocks of `m`'s rows in `order`: per group an f16 scale, then 32 int8 codes (q8_0) or 16 bytes of nibbles
// (q4_0) — our storage, interleaved.
std::string blocksOf(const QuantizedMatrix &m, const std::vector<int64_t> &order)
{
    const int64_t groups = m.groupsPerRow(), groupBytes = m.codeBytesPerRow() / groups;
    std::string out;
    out.reserve(static_cast<size_t>(m.rows() * groups * (2 + groupBytes)));
    for (int64_t r : order)
        for (int64_t g = 0; g < groups; ++g) {
            const uint16_t half = m.halfScales()[static_cast<size_t>(r * groups + g)];
            out.append(reinterpret_cast<const char *>(&half), 2);
            out.append(reinterpret_cast<const char *>(m.codes().data() + r * m.codeBytesPerRow() + g * groupBytes),
                       static_cast<size_t>(groupBytes));
        }
    return out;
}

std::string floatRows(const torch::Tensor &w, const std::vector<int64_t> &order, GgmlType type)
{
    const torch::Tensor rows = w.index_select(0, torch::tensor(order, torch::kInt64)).contiguous();
    const float *p = rows.data_ptr<float>();
    const auto n = static_cast<size_t>(rows.numel());
    std::string out;
    if (type == GgmlType::F32) {
        out.assign(reinterpret_cast<const char *>(p), n * sizeof(float));
        return out;
    }
    out.resize(n * 2);
    for (size_t i = 0; i < n; ++i) {
        const uint16_t half = floatToHalf(p[i]);
        std::memcpy(&out[i * 2], &half, 2);
    }
    return out;
}

void addTokenizer(GgufFile &file, const Tokenizer &tokenizer, int64_t vocabSize)
{
    if (tokenizer.vocabSize() > vocabSize)
        throw Error("The tokenizer has " + std::to_string(tokenizer.vocabSize()) + " tokens but the model only " +
                    std::to_string(vocabSize) + ".");
    std::vector<GgufValue> tokens, types, merges;
    for (int32_t id = 0; id < vocabSize; ++id) {
        if (id >= tokenizer.vocabSize()) { // rows of the embedding no token uses
            tokens.push_back(GgufValue::str("[PAD" + std::to_string(id) + "]"));
            types.push_back(GgufValue::i32(kTokenUnused));
        } else if (tokenizer.isSpecial(id)) {
            tokens.push_back(GgufValue::str(tokenizer.tokenBytes(id)));
            types.push_back(GgufValue::i32(kTokenControl));
        } else {
            tokens.push_back(GgufValue::str(toByteLevel(tokenizer.tokenBytes(id))));
            types.push_back(GgufValue::i32(kTokenNormal));
        }
    }
    for (const Merge &m : tokenizer.merges())
        merges.push_back(GgufValue::str(toByteLevel(tokenizer.tokenBytes(m.left)) + " " +
                                        toByteLevel(tokenizer.tokenBytes(m.right))));
    file.metadata.emplace_back("tokenizer.ggml.model", GgufValue::str("gpt2"));
    file.metadata.emplace_back("tokenizer.ggml.pre", GgufValue::str("gpt-2"));
    file.metadata.emplace_back("tokenizer.ggml.tokens", GgufValue::array(GgufValueType::String, std::move(tokens)));
    file.metadata.emplace_back("tokenizer.ggml.token_type", GgufValue::array(GgufValueType::Int32, std::move(types)));
    file.metadata.emplace_back("tokenizer.ggml.merges", GgufValue::array(GgufValueType::String, std::move(merges)));
    file.metadata.emplace_back("tokenizer.ggml.bos_token_id", GgufValue::u32(static_cast<uint32_t>(tokenizer.bosId())));
    file.metadata.emplace_back("tokenizer.ggml.eos_token_id", GgufValue::u32(static_cast<uint32_t>(tokenizer.eosId())));
    if (const auto pad = tokenizer.specialId(Tokenizer::kPad))
        file.metadata.emplace_back("tokenizer.ggml.padding_token_id", GgufValue::u32(static_cast<uint32_t>(*pad)));
}

} // namespace

std::string ggufTensorName(const std::string &hfName)
{
    static const std::pair<const char *, const char *> blockParts[] = {
        {"input_layernorm.weight", "attn_norm.weight"},    {"self_attn.q_proj.weight", "attn_q.weight"},
        {"self_attn.k_proj.weight", "attn_k.weight"},      {"self_attn.v_proj.weight", "attn_v.weight"},
        {"self_attn.o_proj.weight", "attn_output.weight"}, {"post_attention_layernorm.weight", "ffn_norm.weight"},
        {"mlp.gate_proj.weight", "ffn_gate.weight"},       {"mlp.up_proj.weight", "ffn_up.weight"},
        {"mlp.down_proj.weight", "ffn_down.weight"}};
    if (hfName == "model.embed_tokens.weight")
        return "token_embd.weight";
    if (hfName == "model.norm.weight")
        return "output_norm.weight";
    if (hfName == "lm_head.weight")
        return "output.weight";
    static const std::string prefix = "model.layers.";
    if (hfName.rfind(prefix, 0) != 0)
        return {};
    const size_t dot = hfName.find('.', prefix.size());
    if (dot == std::string::npos)
        return {};
    const std::string layer = hfName.substr(prefix.size(), dot - prefix.size()), part = hfName.substr(dot + 1);
    for (const auto &[ours, theirs] : blockParts)
        if (part == ours)
            return "blk." + layer + "." + theirs;
    return {};
}

std::vector<int64_t> ggmlRopeRowOrder(int64_t heads, int64_t headDim)
{
    // convert_hf_to_gguf.py: w.reshape(heads, 2, headDim / 2, in).swapaxes(1, 2).reshape(w.shape)
    std::vector<int64_t> order;
    order.reserve(static_cast<size_t>(heads * headDim));
    for (int64_t h = 0; h < heads; ++h)
        for (int64_t j = 0; j < headDim / 2; ++j)
            for (int64_t half = 0; half < 2; ++half)
                order.push_back(h * headDim + half * (headDim / 2) + j);
    return order;
}

GgufExportSummary exportGguf(const LoadedRun &run, const std::string &path, const std::string &typeName)
{
    const ModelConfig &c = run.config.model;
    const GgmlType type = parseType(typeName, c.quantization);
    const MiniLLM model = run.model();
    const QuantizedWeights *quantized = model->quantizedWeights();
    GgufExportSummary summary;
    summary.type = type;

    GgufFile file;
    auto &meta = file.metadata;
    meta.emplace_back("general.architecture", GgufValue::str("llama"));
    meta.emplace_back("general.name", GgufValue::str(std::filesystem::path(path).stem().string()));
    meta.emplace_back("general.file_type", GgufValue::u32(fileType(type)));
    if (type == GgmlType::Q8_0 || type == GgmlType::Q4_0)
        meta.emplace_back("general.quantization_version", GgufValue::u32(2));
    meta.emplace_back("general.alignment", GgufValue::u32(file.alignment));
    meta.emplace_back("llama.context_length", GgufValue::u32(static_cast<uint32_t>(c.max_seq_len)));
    meta.emplace_back("llama.embedding_length", GgufValue::u32(static_cast<uint32_t>(c.dim)));
    meta.emplace_back("llama.block_count", GgufValue::u32(static_cast<uint32_t>(c.n_layers)));
    meta.emplace_back("llama.feed_forward_length", GgufValue::u32(static_cast<uint32_t>(c.resolvedFfnHiddenDim())));
    meta.emplace_back("llama.attention.head_count", GgufValue::u32(static_cast<uint32_t>(c.n_heads)));
    meta.emplace_back("llama.attention.head_count_kv", GgufValue::u32(static_cast<uint32_t>(c.n_kv_heads)));
    meta.emplace_back("llama.rope.dimension_count", GgufValue::u32(static_cast<uint32_t>(c.headDim())));
    meta.emplace_back("llama.rope.freq_base", GgufValue::f32(static_cast<float>(c.rope_theta)));
    meta.emplace_back("llama.attention.layer_norm_rms_epsilon", GgufValue::f32(static_cast<float>(c.norm_eps)));
    meta.emplace_back("llama.vocab_size", GgufValue::u32(static_cast<uint32_t>(c.vocab_size)));
    addTokenizer(file, run.tokenizer, c.vocab_size);

    for (const auto &[hfName, parameter] : model->namedParametersHF()) {
        GgufTensor t;
        t.name = ggufTensorName(hfName);
        if (t.name.empty())
            throw Error("GGUF export: no GGML name for parameter '" + hfName + "'.");
        const torch::Tensor w = parameter.detach().to(torch::kCPU, torch::kFloat32).contiguous();
        for (int64_t d = w.dim() - 1; d >= 0; --d)
            t.dims.push_back(static_cast<uint64_t>(w.size(d))); // ne[0] is the fastest-varying axis
        if (w.dim() == 1) {
            t.type = GgmlType::F32;
            t.data.assign(reinterpret_cast<const char *>(w.data_ptr<float>()), static_cast<size_t>(w.numel()) * 4);
            file.tensors.push_back(std::move(t));
            continue;
        }
        std::vector<int64_t> order;
        size_t layer = 0;
        ProjectionSlot projection{};
        const bool isProjection = projectionOf(hfName, layer, projection);
        if (isProjection && projection == ProjectionSlot::Query)
            order = ggmlRopeRowOrder(c.n_heads, c.headDim());
        else if (isProjection && projection == ProjectionSlot::Key)
            order = ggmlRopeRowOrder(c.n_kv_heads, c.headDim());
        else
            for (int64_t r = 0; r < w.size(0); ++r)
                order.push_back(r);
        t.type = type;
        const QuantType blockType = quantTypeOf(type);
        if (blockType != QuantType::None && w.size(1) % kQuantGroupSize != 0) {
            t.type = c.quantization == "none" ? GgmlType::F16 : GgmlType::F32;
            summary.fallbacks.push_back(t.name + ": " + ggmlTypeName(t.type) + " (" + std::to_string(w.size(1)) +
                                        " values per row are not whole " + ggmlTypeName(type) + " blocks of 32)");
        }
        if (t.type == GgmlType::F32 || t.type == GgmlType::F16) {
            t.data = floatRows(w, order, t.type);
        } else {
            const auto stored = quantized ? quantized->byName(hfName) : nullptr;
            if (stored && stored->type() == blockType)
                t.data = blocksOf(*stored, order); // exactly the run's blocks
            else
                t.data =
                    blocksOf(QuantizedMatrix::quantize(w.data_ptr<float>(), w.size(0), w.size(1), blockType), order);
        }
        file.tensors.push_back(std::move(t));
    }
    const std::string bytes = serializeGguf(file);
    writeFileAtomically(path, bytes);
    summary.bytes = bytes.size();
    summary.tensors = static_cast<int64_t>(file.tensors.size());
    return summary;
}

} // namespace llmf
