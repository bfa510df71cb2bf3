// The C++ counterpart of the guide's `from llm_foundry import ModelConfig, MiniLLM`.
#include <llmf/config/modelconfig.h>
#include <llmf/model/accounting.h>
#include <llmf/model/minillm.h>

#include <iostream>

int main()
{
    llmf::ModelConfig cfg;
    cfg.dim = 256;
    cfg.n_layers = 4;
    cfg.max_seq_len = 64;
    llmf::MiniLLM model(cfg);
    int64_t count = 0;
    for (const auto &p : model->parameters())
        count += p.numel();
    const auto logits = model->forward(torch::randint(0, cfg.vocab_size, {1, 8}, torch::kInt64));
    std::cout << "parameters: " << count << " (accounting " << llmf::countParameters(cfg).total << ")\n"
              << "logits: " << logits.sizes() << "\n";
    return count == llmf::countParameters(cfg).total ? 0 : 1;
}
