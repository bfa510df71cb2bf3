#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace llmf {

struct LoadedRun;
class ServeMetrics;

struct ServeOptions
{
    std::string host = "127.0.0.1";
    int port = 8000; // 0: a free port (start() returns it)
    int maxBatch = 8;
    int maxQueue = 64;
    std::string apiKey;                   // empty: no key; otherwise "Authorization: Bearer KEY" on /v1/* and /metrics
    size_t maxBodyBytes = 1 << 20;        // larger bodies get 413
    int maxConnections = 1024;            // connections served at once (a thread each); more wait for one to end
    std::string modelName = "llmf-model"; // what /v1/models lists and "model" must name
};

// What the desktop app's Serve tab lists: one completion request as it goes.
struct ServedRequest
{
    int64_t id = 0;
    std::string promptHead; // the first characters of the prompt (or of the rendered chat)
    int tokens = 0;         // generated so far
    double tokensPerSecond = 0.0;
    std::string state; // "running", then the finish reason: "stop", "length", "cancelled", "error"
};

// `llmf serve`: an OpenAI-compatible HTTP server (cpp-httplib) over a BatchEngine. Endpoints:
//   POST /v1/completions, POST /v1/chat/completions (stream: true → server-sent events as OpenAI sends them),
//   GET /v1/models, GET /health, GET /metrics (Prometheus text).
// Bad input gets OpenAI's error object with the status the API uses (400, 401, 413, 429); nothing a client sends
// can crash the process.
class OpenAIServer
{
public:
    OpenAIServer(const LoadedRun &run, const ServeOptions &options);
    ~OpenAIServer(); // stop(0) if still running
    OpenAIServer(const OpenAIServer &) = delete;
    OpenAIServer &operator=(const OpenAIServer &) = delete;

    // Binds and serves on a background thread; returns the port. llmf::Error when the address cannot be bound.
    int start();
    // Stops accepting (new requests get 503), lets running ones finish for up to `grace`, cancels the rest, closes.
    void stop(std::chrono::milliseconds grace);
    bool isRunning() const;
    int port() const;
    const ServeMetrics &metrics() const;
    ServeMetrics &metrics();
    // Called on the request's HTTP thread when it starts, every 16 tokens and when it ends. Set before start().
    void setRequestObserver(std::function<void(const ServedRequest &)> observer);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace llmf
