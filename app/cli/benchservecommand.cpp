// llmf bench serve: a bounded load generator against `llmf serve`'s engine on loopback. It starts the server
// in-process on a free port, runs 1, 4 and 16 concurrent streaming clients (fixed prompt and length, a fixed number
// of requests each), with continuous batching and with --max-batch 1, and reports aggregate tokens/s and the
// p50/p99 of time to first token and inter-token latency. Everything stops by itself.
#include "commands.h"

#include "llmf/common/error.h"
#include "llmf/serve/openaiserver.h"
#include "llmf/run/rundirectory.h"

#include <CLI/CLI.hpp>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

namespace llmf::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct ServeBenchArgs
{
    std::string run;
    std::string clients = "1,4,16";
    int requestsPerClient = 2;
    int maxTokens = 64;
    int maxBatch = 16;
    std::string prompt = "It is a truth universally acknowledged";
    bool json = false;
};

struct LevelResult
{
    int clients = 0;
    int maxBatch = 0;
    double tokensPerSecond = 0.0;
    double ttftP50 = 0.0, ttftP99 = 0.0, itlP50 = 0.0, itlP99 = 0.0;
    int failed = 0;
};

double percentile(std::vector<double> values, double p)
{
    if (values.empty())
        return 0.0;
    std::sort(values.begin(), values.end());
    const auto i = static_cast<size_t>(std::min<double>(values.size() - 1, p * static_cast<double>(values.size())));
    return values[i];
}

LevelResult measure(const LoadedRun &run, const ServeBenchArgs &a, int clients, int maxBatch)
{
    ServeOptions options;
    options.port = 0;
    options.maxBatch = maxBatch;
    options.maxQueue = clients;
    options.modelName = "bench";
    OpenAIServer server(run, options);
    const int port = server.start();
    const std::string body = nlohmann::json{{"prompt", a.prompt}, {"max_tokens", a.maxTokens}, {"temperature", 0.8},
                                            {"seed", 1},          {"ignore_eos", true},        {"stream", true}}
                                 .dump();
    std::mutex mutex;
    std::vector<double> ttft, itl;
    int64_t tokens = 0;
    int failed = 0;
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int c = 0; c < clients; ++c)
        threads.emplace_back([&] {
            httplib::Client client("127.0.0.1", port);
            client.set_read_timeout(120, 0);
            for (int r = 0; r < a.requestsPerClient; ++r) {
                std::vector<double> gaps;
                double first = -1.0;
                int64_t received = 0;
                const auto sent = Clock::now();
                auto last = sent;
                httplib::Request req;
                req.method = "POST";
                req.path = "/v1/completions";
                req.body = body;
                req.set_header("Content-Type", "application/json");
                std::string buffer;
                req.content_receiver = [&](const char *data, size_t size, uint64_t, uint64_t) {
                    // Whole "data: {…}\n\n" events only (a read may end mid-event); one per token with text.
                    buffer.append(data, size);
                    for (size_t end = buffer.find("\n\n"); end != std::string::npos; end = buffer.find("\n\n")) {
                        const std::string event = buffer.substr(0, end);
                        buffer.erase(0, end + 2);
                        if (event.find("\"text\":") == std::string::npos ||
                            event.find("\"text\":\"\"") != std::string::npos)
                            continue; // [DONE], or the finish chunk
                        const auto now = Clock::now();
                        ++received;
                        if (first < 0)
                            first = std::chrono::duration<double>(now - sent).count();
                        else
                            gaps.push_back(std::chrono::duration<double>(now - last).count());
                        last = now;
                    }
                    return true;
                };
                httplib::Response res;
                httplib::Error error;
                const bool ok = client.send(req, res, error) && res.status == 200;
                std::lock_guard<std::mutex> lock(mutex);
                if (!ok || first < 0) {
                    if (failed++ == 0)
                        std::fprintf(stderr, "request failed: %s, HTTP %d %s\n", httplib::to_string(error).c_str(),
                                     res.status, res.body.substr(0, 200).c_str());
                    continue;
                }
                ttft.push_back(first);
                itl.insert(itl.end(), gaps.begin(), gaps.end());
                tokens += received;
            }
        });
    for (auto &t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    server.stop(std::chrono::milliseconds(1000));
    LevelResult result;
    result.clients = clients;
    result.maxBatch = maxBatch;
    result.tokensPerSecond = seconds > 0 ? static_cast<double>(tokens) / seconds : 0.0;
    result.ttftP50 = percentile(ttft, 0.50);
    result.ttftP99 = percentile(ttft, 0.99);
    result.itlP50 = percentile(itl, 0.50);
    result.itlP99 = percentile(itl, 0.99);
    result.failed = failed;
    return result;
}

void runServeBench(const ServeBenchArgs &a)
{
    std::signal(SIGPIPE, SIG_IGN);
    const LoadedRun run = loadRun(a.run, "cpu");
    std::vector<int> levels;
    std::stringstream in(a.clients);
    for (std::string item; std::getline(in, item, ',');) {
        const int n = std::atoi(item.c_str());
        if (n < 1 || n > 256)
            throw Error("--clients takes numbers from 1 to 256, not '" + item + "'.");
        levels.push_back(n);
    }
    if (run.config.model.max_seq_len < a.maxTokens + 16)
        throw Error("--max-tokens " + std::to_string(a.maxTokens) + " leaves too little of the model's context (" +
                    std::to_string(run.config.model.max_seq_len) + " tokens) for the prompt.");
    std::vector<LevelResult> results;
    for (const int clients : levels)
        for (const int batch : {a.maxBatch, 1}) {
            if (!a.json)
                std::fprintf(stderr, "… %d client(s), max batch %d\n", clients, batch);
            results.push_back(measure(run, a, clients, batch));
        }
    if (a.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto &r : results)
            out.push_back({{"clients", r.clients},
                           {"max_batch", r.maxBatch},
                           {"tokens_per_s", r.tokensPerSecond},
                           {"ttft_p50_s", r.ttftP50},
                           {"ttft_p99_s", r.ttftP99},
                           {"itl_p50_s", r.itlP50},
                           {"itl_p99_s", r.itlP99},
                           {"failed", r.failed}});
        std::cout << out.dump(2) << "\n";
        return;
    }
    std::printf("%-8s %-10s %12s %12s %12s %12s %12s\n", "clients", "max batch", "tokens/s", "TTFT p50", "TTFT p99",
                "ITL p50", "ITL p99");
    for (const auto &r : results)
        std::printf("%-8d %-10d %12.0f %10.0f ms %10.0f ms %10.1f ms %10.1f ms%s\n", r.clients, r.maxBatch,
                    r.tokensPerSecond, 1000 * r.ttftP50, 1000 * r.ttftP99, 1000 * r.itlP50, 1000 * r.itlP99,
                    r.failed ? "  (some requests failed)" : "");
}

} // namespace

void addServeBench(CLI::App &bench)
{
    auto a = std::make_shared<ServeBenchArgs>();
    auto *cmd = bench.add_subcommand("serve", "Load-test `llmf serve` on loopback: tokens/s, TTFT and inter-token "
                                              "latency at 1, 4 and 16 streaming clients, batched and unbatched");
    cmd->add_option("-r,--run", a->run, "Run directory to serve")->required()->check(CLI::ExistingDirectory);
    cmd->add_option("--clients", a->clients, "Comma-separated concurrency levels")->capture_default_str();
    cmd->add_option("--requests", a->requestsPerClient, "Requests per client at each level")
        ->check(CLI::Range(1, 100))
        ->capture_default_str();
    cmd->add_option("--max-tokens", a->maxTokens, "Tokens per request (end-of-text ignored)")
        ->check(CLI::Range(1, 4096))
        ->capture_default_str();
    cmd->add_option("--max-batch", a->maxBatch, "The batched server's --max-batch")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_flag("--json", a->json, "Print JSON");
    cmd->callback([a] { runServeBench(*a); });
}

} // namespace llmf::cli
