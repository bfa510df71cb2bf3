#pragma once

#include <string>

namespace llmf {

// Where the training text comes from.
struct DataConfig
{
    std::string file_path;          // a UTF-8 .txt file or a folder of them; empty = the corpus below
    std::string corpus = "default"; // default | janeausten | fortunes-zh | fallback (used when file_path is empty)
    double split_ratio = 0.9;       // fraction of tokens used for training; the rest is validation
    std::string tokenizer_path;     // an existing tokenizer.json to reuse; empty = train one on the data
};

} // namespace llmf
