// Tokenizer <-> Hugging Face tokenizer.json. Kept apart from tokenizer.cpp because it is all format details.
//
// What we write (abridged), loadable by `tokenizers.Tokenizer.from_file` and `transformers`:
//   {
//     "version": "1.0", "truncation": null, "padding": null,
//     "added_tokens": [{"id": 8190, "content": "<|endoftext|>", ..., "special": true}, ...],
//     "normalizer": null,
//     "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
//     "post_processor": null,
//     "decoder": {"type": "ByteLevel", ...},
//     "model": {"type": "BPE", ..., "vocab": {"!": 33, ..., "Ġt": 256, "he": 257, ...}, "merges": ["Ġ t", "h e"]}
//   }
// Vocab keys and merges are spelled in GPT-2's byte-level alphabet (see toByteLevel): "Ġt" is the bytes " t".
// Special tokens live only in added_tokens; Hugging Face numbers those after the model's vocab, in order, which
// is exactly where ours are.

#include "llmf/common/atomicfile.h"
#include "llmf/common/error.h"
#include "llmf/tokenizer/pretokenizer.h"
#include "llmf/tokenizer/tokenizer.h"

#include <nlohmann/json.hpp>

#include <map>

namespace llmf {

namespace {

using json = nlohmann::json;
using ordered_json = nlohmann::ordered_json;

// True for {"type": "ByteLevel"} and for a "Sequence" that contains one.
bool isByteLevel(const json &component)
{
    if (!component.is_object())
        return false;
    const std::string type = component.value("type", "");
    if (type == "ByteLevel")
        return true;
    if (type != "Sequence")
        return false;
    for (const char *key : {"pretokenizers", "decoders"}) {
        const auto it = component.find(key);
        if (it != component.end() && it->is_array())
            for (const json &inner : *it)
                if (isByteLevel(inner))
                    return true;
    }
    return false;
}

std::string quoted(const std::string &s)
{
    return "\"" + s + "\"";
}

} // namespace

std::string Tokenizer::toJson() const
{
    ordered_json added = ordered_json::array();
    for (const int32_t id : m_specialIds)
        added.push_back({{"id", id},
                         {"content", m_tokens[id]},
                         {"single_word", false},
                         {"lstrip", false},
                         {"rstrip", false},
                         {"normalized", false},
                         {"special", true}});

    // ordered_json checks every insert for a duplicate key (linear), which is quadratic for a 50k vocab; our
    // keys are unique by construction, so append to the underlying vector directly.
    ordered_json vocab = ordered_json::object();
    auto &entries = static_cast<ordered_json::object_t::Container &>(vocab.get_ref<ordered_json::object_t &>());
    entries.reserve(m_tokens.size());
    for (int32_t id = 0; id < vocabSize(); ++id)
        if (!m_special[id])
            entries.emplace_back(toByteLevel(m_tokens[id]), id);

    ordered_json merges = ordered_json::array();
    for (const Merge &m : m_merges)
        merges.push_back(toByteLevel(m_tokens[m.left]) + " " + toByteLevel(m_tokens[m.right]));

    const ordered_json byteLevel = {
        {"type", "ByteLevel"}, {"add_prefix_space", false}, {"trim_offsets", true}, {"use_regex", true}};
    ordered_json decoder = byteLevel;
    decoder["add_prefix_space"] = true; // what `tokenizers` writes for GPT-2; ignored when decoding

    ordered_json j;
    j["version"] = "1.0";
    j["truncation"] = nullptr;
    j["padding"] = nullptr;
    j["added_tokens"] = std::move(added);
    j["normalizer"] = nullptr;
    j["pre_tokenizer"] = byteLevel;
    j["post_processor"] = nullptr;
    j["decoder"] = std::move(decoder);
    j["model"] = {{"type", "BPE"},
                  {"dropout", nullptr},
                  {"unk_token", nullptr},
                  {"continuing_subword_prefix", nullptr},
                  {"end_of_word_suffix", nullptr},
                  {"fuse_unk", false},
                  {"byte_fallback", false},
                  {"vocab", std::move(vocab)},
                  {"merges", std::move(merges)}};
    return j.dump(2) + "\n";
}

void Tokenizer::save(const std::string &path) const
{
    writeFileAtomically(path, toJson());
}

Tokenizer Tokenizer::load(const std::string &path)
{
    return fromJson(readFile(path), path);
}

Tokenizer Tokenizer::fromJson(std::string_view text, const std::string &source)
{
    auto fail = [&](const std::string &what) {
        return Error("Cannot load the tokenizer " + quoted(source) + ": " + what,
                     "Use a tokenizer.json saved by LLM Foundry or a byte-level BPE one from Hugging Face "
                     "(GPT-2 style).");
    };
    json j;
    try {
        j = json::parse(text);
        // parse_error, and out_of_range for a number too large for a double (1e999)
    } catch (const json::exception &e) {
        throw fail(std::string("it is not valid JSON (") + e.what() + ").");
    }
    if (!j.is_object())
        throw fail("the file is JSON but not an object.");

    try {
        const auto model = j.find("model");
        if (model == j.end() || !model->is_object())
            throw fail("it has no \"model\" section.");
        if (const std::string type = model->value("type", "BPE"); type != "BPE")
            throw fail("its model is of type " + type + "; only BPE is supported.");
        if (!isByteLevel(j.value("pre_tokenizer", json())) && !isByteLevel(j.value("decoder", json())))
            throw fail("it is not byte-level (neither its pre_tokenizer nor its decoder is ByteLevel), so its "
                       "vocabulary does not spell raw bytes.");
        const auto vocab = model->find("vocab");
        if (vocab == model->end() || !vocab->is_object())
            throw fail("model.vocab is missing.");

        // id -> (bytes, special); std::map keeps ids sorted for the gap check below.
        std::map<int32_t, std::pair<std::string, bool>> byId;
        auto place = [&](const json &idValue, std::string bytes, bool special, const std::string &name) {
            if (!idValue.is_number_integer() || idValue.get<int64_t>() < 0 || idValue.get<int64_t>() > 50'000'000)
                throw fail("the id of " + quoted(name) + " is not a sensible token id.");
            const auto id = idValue.get<int32_t>();
            const auto [it, inserted] = byId.emplace(id, std::make_pair(std::move(bytes), special));
            if (!inserted && !(special && it->second.second && it->second.first == name))
                throw fail("id " + std::to_string(id) + " is used twice.");
        };

        std::map<std::string, int32_t> addedIds;
        if (const auto added = j.find("added_tokens"); added != j.end() && !added->is_null()) {
            if (!added->is_array())
                throw fail("added_tokens is not a list.");
            for (const json &a : *added) {
                if (!a.is_object() || !a.contains("content") || !a["content"].is_string())
                    throw fail("an entry of added_tokens has no \"content\".");
                const std::string content = a["content"].get<std::string>();
                place(a.value("id", json()), content, true, content);
                addedIds.emplace(content, a["id"].get<int32_t>());
            }
        }

        std::map<std::string, int32_t> ordinaryIds; // vocab key (byte-level spelling) -> id
        for (const auto &[key, idValue] : vocab->items()) {
            const auto it = addedIds.find(key);
            if (it != addedIds.end() && idValue.is_number_integer() && idValue.get<int64_t>() == it->second)
                continue; // a special token listed in both places (GPT-2 does this)
            const auto bytes = fromByteLevel(key);
            if (!bytes || bytes->empty())
                throw fail("the vocab entry " + quoted(key) + " is not written in GPT-2's byte-level alphabet.");
            place(idValue, *bytes, false, key);
            ordinaryIds.emplace(key, idValue.get<int32_t>());
        }
        if (byId.empty())
            throw fail("model.vocab is empty.");
        const int32_t size = byId.rbegin()->first + 1;
        if (size != static_cast<int32_t>(byId.size())) {
            int32_t missing = 0;
            while (byId.count(missing))
                ++missing;
            throw fail("token id " + std::to_string(missing) + " is missing: ids must run from 0 to " +
                       std::to_string(size - 1) + " without gaps.");
        }

        Tokenizer t{Empty{}};
        for (auto &[id, entry] : byId)
            t.addToken(std::move(entry.first), entry.second);

        std::vector<Merge> merges;
        std::map<std::pair<int32_t, int32_t>, bool> seen;
        const json mergeList = model->value("merges", json::array());
        if (!mergeList.is_array())
            throw fail("model.merges is not a list.");
        for (size_t i = 0; i < mergeList.size(); ++i) {
            const json &m = mergeList[i];
            std::string left, right;
            if (m.is_string()) { // classic "left right"; byte-level tokens never contain a real space
                const std::string s = m.get<std::string>();
                const auto space = s.find(' ');
                if (space == std::string::npos || s.find(' ', space + 1) != std::string::npos)
                    throw fail("merge " + std::to_string(i) + " (" + quoted(s) + ") is not \"left right\".");
                left = s.substr(0, space);
                right = s.substr(space + 1);
            } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
                left = m[0].get<std::string>(); // newer tokenizers write ["left", "right"]
                right = m[1].get<std::string>();
            } else {
                throw fail("merge " + std::to_string(i) + " is neither \"left right\" nor [\"left\", \"right\"].");
            }
            const std::string what = "merge " + std::to_string(i) + " (" + quoted(left + " " + right) + ") ";
            for (const std::string &part : {left, right})
                if (!ordinaryIds.count(part))
                    throw fail(what + "refers to " + quoted(part) + ", which is not in model.vocab.");
            if (!ordinaryIds.count(left + right))
                throw fail(what + "makes " + quoted(left + right) + ", which is not in model.vocab.");
            const int32_t l = ordinaryIds[left], r = ordinaryIds[right];
            if (seen.emplace(std::make_pair(l, r), true).second)
                merges.push_back({l, r, ordinaryIds[left + right], 0});
        }
        t.m_merges = std::move(merges);
        t.indexMerges();
        return t;
    } catch (const json::exception &e) {
        throw fail(std::string("unexpected structure (") + e.what() + ").");
    }
}

} // namespace llmf
