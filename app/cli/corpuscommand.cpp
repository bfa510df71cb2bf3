// llmf corpus list: which built-in corpora are installed, and how big they are; llmf corpus dump: one as a file.
#include "commands.h"

#include "llmf/common/atomicfile.h"
#include "llmf/data/corpus.h"
#include "llmf/model/accounting.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace llmf::cli {

void addCorpusCommand(CLI::App &app)
{
    auto *corpus = app.add_subcommand("corpus", "Built-in training corpora");
    corpus->require_subcommand(1);
    auto json = std::make_shared<bool>(false);
    auto *list = corpus->add_subcommand("list", "List the built-in corpora and whether they are installed");
    list->add_flag("--json", *json, "Print JSON");
    list->callback([json] {
        const auto corpora = listCorpora();
        if (*json) {
            nlohmann::json out = nlohmann::json::array();
            for (const auto &c : corpora)
                out.push_back({{"id", c.id},
                               {"title", c.title},
                               {"language", c.language},
                               {"source", c.source},
                               {"installed", c.installed},
                               {"bytes", c.bytes},
                               {"package", c.package}});
            std::cout << out.dump(2) << "\n";
            return;
        }
        std::printf("%-12s %-9s %-10s %-10s %s\n", "ID", "LANGUAGE", "INSTALLED", "SIZE", "TITLE / SOURCE");
        for (const auto &c : corpora) {
            std::printf("%-12s %-9s %-10s %-10s %s\n", c.id.c_str(), c.language.c_str(), c.installed ? "yes" : "no",
                        c.installed && c.bytes ? humanBytes(static_cast<int64_t>(c.bytes)).c_str() : "-",
                        c.title.c_str());
            if (!c.installed && !c.package.empty())
                std::printf("%-12s install with: sudo apt-get install %s\n", "", c.package.c_str());
        }
    });

    // The exact text the trainer reads, as one UTF-8 file: for other tools (the benchmarks' spm_train yardstick).
    auto dumpArgs = std::make_shared<std::pair<std::string, std::string>>("default", "");
    auto *dump = corpus->add_subcommand("dump", "Write a built-in corpus as one UTF-8 text file");
    dump->add_option("--corpus", dumpArgs->first, "Corpus id (default, janeausten, fortunes-zh, fallback)");
    dump->add_option("--out", dumpArgs->second, "Output file")->required();
    dump->callback([dumpArgs] {
        std::string chosen = dumpArgs->first;
        const std::string text =
            dumpArgs->first == "default" ? defaultCorpusText(&chosen) : loadCorpus(dumpArgs->first);
        writeFileAtomically(dumpArgs->second, text);
        std::printf("%s: %s written to %s\n", chosen.c_str(), humanBytes(static_cast<int64_t>(text.size())).c_str(),
                    dumpArgs->second.c_str());
    });
}

} // namespace llmf::cli
