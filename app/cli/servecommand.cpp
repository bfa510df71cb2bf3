// llmf serve: an OpenAI-compatible HTTP server with continuous batching over a trained run.
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/serve/openaiserver.h"
#include "llmf/run/rundirectory.h"

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <thread>

namespace llmf::cli {

namespace {

std::atomic_bool g_stop{false};

extern "C" void onStopSignal(int)
{
    g_stop.store(true);
}

struct ServeCommandOptions
{
    std::string run;
    ServeOptions server;
    double graceSeconds = 10.0;
};

bool isLoopback(const std::string &host)
{
    return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

void run(ServeCommandOptions o)
{
    const LoadedRun loaded = loadRun(o.run, "cpu");
    o.server.modelName = std::filesystem::path(o.run).lexically_normal().filename().string();
    if (o.server.modelName.empty())
        o.server.modelName = std::filesystem::path(o.run).lexically_normal().parent_path().filename().string();
    if (!isLoopback(o.server.host) && o.server.apiKey.empty())
        std::fprintf(stderr,
                     "WARNING: serving on %s without --api-key: anyone who can reach this machine can use "
                     "the model.\n",
                     o.server.host.c_str());
    std::signal(SIGPIPE, SIG_IGN); // a client that disconnects mid-stream must not end the server
    OpenAIServer server(loaded, o.server);
    const int port = server.start();
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    std::printf("Serving %s (%s) at http://%s:%d/v1 (max batch %d, queue %d). Ctrl-C stops.\n", o.run.c_str(),
                o.server.modelName.c_str(), o.server.host.c_str(), port, o.server.maxBatch, o.server.maxQueue);
    std::fflush(stdout);
    while (!g_stop.load() && server.isRunning())
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::fprintf(stderr, "Stopping: finishing running requests for up to %.0f s.\n", o.graceSeconds);
    server.stop(std::chrono::milliseconds(static_cast<int64_t>(o.graceSeconds * 1000)));
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

} // namespace

void addServeCommand(CLI::App &app)
{
    auto o = std::make_shared<ServeCommandOptions>();
    auto *cmd = app.add_subcommand("serve", "Serve a run over an OpenAI-compatible HTTP API (continuous batching)");
    cmd->add_option("-r,--run", o->run, "Run directory to serve")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--host", o->server.host, "Address to listen on (loopback by default)")->capture_default_str();
    cmd->add_option("--port", o->server.port, "Port (0: a free one, printed at start)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    cmd->add_option("--max-batch", o->server.maxBatch, "Sequences decoded together (KV-cache slots)")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--max-queue", o->server.maxQueue, "Requests that may wait for a slot; more get 429")
        ->check(CLI::Range(0, 4096))
        ->capture_default_str();
    cmd->add_option("--max-connections", o->server.maxConnections,
                    "Connections served at once (a thread each); more wait for one to close")
        ->check(CLI::Range(16, 65536))
        ->capture_default_str();
    cmd->add_option("--api-key", o->server.apiKey, "Require 'Authorization: Bearer KEY'");
    cmd->add_option("--grace-seconds", o->graceSeconds, "On Ctrl-C/SIGTERM, how long running requests may finish")
        ->check(CLI::Range(0.0, 3600.0))
        ->capture_default_str();
    cmd->callback([o] { run(*o); });
}

} // namespace llmf::cli
