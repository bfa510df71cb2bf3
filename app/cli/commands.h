#pragma once

namespace CLI {
class App;
}

namespace llmf::cli {

// Each subcommand registers its options and callback on the root app (one file per subcommand).
void addInfoCommand(CLI::App &app);
void addTokenizerCommand(CLI::App &app);
void addCorpusCommand(CLI::App &app);
void addTrainCommand(CLI::App &app);
void addGenerateCommand(CLI::App &app);
void addRunCommands(CLI::App &app); // eval, tokenize, export
void addQuantizeCommand(CLI::App &app);
void addBenchCommand(CLI::App &app);
void addServeCommand(CLI::App &app);
void addServeBench(CLI::App &bench); // llmf bench serve

} // namespace llmf::cli
