// llmf: train, inspect and sample LLM Foundry models from the command line.
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"

#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <string>

namespace {

// A distributed worker's lines name it, so the launcher's terminal shows whose error it is.
std::string errorPrefix()
{
    const char *rank = std::getenv("RANK");
    const char *world = std::getenv("WORLD_SIZE");
    if (rank && world && std::atoi(world) > 1)
        return std::string("error: [rank ") + rank + "] ";
    return "error: ";
}

} // namespace

int main(int argc, char **argv)
{
    CLI::App app{"llmf - build, train, inspect and sample a small LLaMA-style model", "llmf"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("llmf ") + LLMF_VERSION);
    llmf::cli::addInfoCommand(app);
    llmf::cli::addTokenizerCommand(app);
    llmf::cli::addCorpusCommand(app);
    llmf::cli::addTrainCommand(app);
    llmf::cli::addGenerateCommand(app);
    llmf::cli::addRunCommands(app);
    llmf::cli::addQuantizeCommand(app);
    llmf::cli::addBenchCommand(app);
    llmf::cli::addServeCommand(app);

    llmf::configureThreads();
    llmf::configureAllocator();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    } catch (const llmf::Error &e) {
        std::cerr << errorPrefix() << e.what() << "\n";
        if (!e.hint().empty())
            std::cerr << "hint: " << e.hint() << "\n";
        return 1;
    } catch (const std::exception &e) {
        // LibTorch's own errors (an allocation that failed, a file it could not read) without their backtrace.
        std::cerr << errorPrefix() << llmf::describeException(e) << "\n";
        return 1;
    }
    return 0;
}
