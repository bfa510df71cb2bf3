// The HTTP side of `llmf serve`: cpp-httplib for the protocol (no hand-written parsing), nlohmann-json for bodies.
#include "llmf/serve/openaiserver.h"

#include "llmf/common/error.h"
#include "llmf/serve/batchengine.h"
#include "llmf/serve/openaiprotocol.h"
#include "llmf/serve/servemetrics.h"
#include "llmf/run/rundirectory.h"

#include "elasticthreadpool.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <thread>

namespace llmf {

namespace {

using nlohmann::json;

void sendError(httplib::Response &res, const ApiError &error)
{
    res.status = error.status;
    res.set_content(error.json(), "application/json");
}

ApiError apiError(int status, const std::string &type, const std::string &message, const std::string &code = {})
{
    ApiError e;
    e.status = status;
    e.type = type;
    e.message = message;
    e.code = code;
    return e;
}

// What the completions response's "logprobs" holds (OpenAI's legacy shape) or the chat one's "logprobs.content".
json logprobsJson(const std::vector<CompletionToken> &tokens, const Tokenizer &tokenizer, bool chat, size_t offset)
{
    if (chat) {
        json content = json::array();
        for (const auto &t : tokens) {
            json top = json::array();
            for (const auto &[text, lp] : t.top)
                top.push_back({{"token", text}, {"logprob", lp}});
            content.push_back({{"token", tokenizer.tokenBytes(t.id)}, {"logprob", t.logprob}, {"top_logprobs", top}});
        }
        return {{"content", content}};
    }
    json texts = json::array(), logprobs = json::array(), tops = json::array(), offsets = json::array();
    for (const auto &t : tokens) {
        texts.push_back(tokenizer.tokenBytes(t.id));
        logprobs.push_back(t.logprob);
        json top = json::object();
        for (const auto &[text, lp] : t.top)
            top[text] = lp;
        tops.push_back(top);
        offsets.push_back(offset);
        offset += t.text.size();
    }
    return {{"tokens", texts}, {"token_logprobs", logprobs}, {"top_logprobs", tops}, {"text_offset", offsets}};
}

} // namespace

struct OpenAIServer::Impl
{
    ServeOptions options;
    std::unique_ptr<ServeMetrics> metrics = std::make_unique<ServeMetrics>();
    std::unique_ptr<BatchEngine> engine;
    httplib::Server http;
    std::thread thread;
    std::atomic_bool accepting{true};
    std::atomic<int64_t> nextId{1};
    int port = 0;
    std::function<void(const ServedRequest &)> observer;
    int listenSocket = -1;

    // Progress of one request for the observer (the Serve tab's table).
    struct Progress
    {
        ServedRequest info;
        std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
        void report(const std::function<void(const ServedRequest &)> &to, const std::string &state)
        {
            if (!to)
                return;
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            info.state = state;
            info.tokensPerSecond = seconds > 0 ? info.tokens / seconds : 0.0;
            to(info);
        }
        void token(const std::function<void(const ServedRequest &)> &to)
        {
            if (++info.tokens % 16 == 0)
                report(to, "running");
        }
    };

    bool authorized(const httplib::Request &req, httplib::Response &res)
    {
        if (options.apiKey.empty() || req.get_header_value("Authorization") == "Bearer " + options.apiKey)
            return true;
        sendError(res, apiError(401, "invalid_request_error",
                                "Incorrect or missing API key: send the header 'Authorization: Bearer <key>'.",
                                "invalid_api_key"));
        return false;
    }

    json choiceJson(const ParsedCompletion &p, const std::string &text, const json &finish, const json &logprobs,
                    bool delta) const
    {
        json choice{{"index", 0}, {"finish_reason", finish}};
        if (!p.chat) {
            choice["text"] = text;
            choice["logprobs"] = logprobs;
        } else if (delta) {
            choice["delta"] = text.empty() && !finish.is_null() ? json::object() : json{{"content", text}};
            choice["logprobs"] = logprobs;
        } else {
            choice["message"] = {{"role", "assistant"}, {"content", text}};
            choice["logprobs"] = logprobs;
        }
        return choice;
    }

    json envelope(const ParsedCompletion &p, const std::string &id, bool chunk) const
    {
        const char *object = p.chat ? (chunk ? "chat.completion.chunk" : "chat.completion") : "text_completion";
        return {{"id", id},
                {"object", object},
                {"created", static_cast<int64_t>(std::time(nullptr))},
                {"model", options.modelName}};
    }

    void completions(const httplib::Request &req, httplib::Response &res, bool chat)
    {
        const std::string endpoint = chat ? "/v1/chat/completions" : "/v1/completions";
        if (!authorized(req, res))
            return metrics->countRequest(endpoint, res.status);
        if (!accepting.load()) {
            sendError(res, apiError(503, "server_error", "The server is shutting down."));
            return metrics->countRequest(endpoint, res.status);
        }
        ParsedCompletion p;
        std::shared_ptr<RequestChannel> channel;
        try {
            p = parseCompletion(req.body, chat, engine->tokenizer(), options.modelName, engine->contextLength());
            channel = engine->submit(p.request);
        } catch (const ApiError &e) {
            sendError(res, e);
            return metrics->countRequest(endpoint, res.status);
        } catch (const Error &e) {
            sendError(res, apiError(400, "invalid_request_error", e.what()));
            return metrics->countRequest(endpoint, res.status);
        }
        if (!channel) {
            sendError(res, apiError(429, "rate_limit_exceeded",
                                    "The server is busy: every batch slot and queue place is taken. Retry shortly.",
                                    "rate_limit_exceeded"));
            return metrics->countRequest(endpoint, res.status);
        }
        const int64_t number = nextId++;
        const std::string id = (chat ? "chatcmpl-" : "cmpl-") + std::to_string(number);
        metrics->countRequest(endpoint, 200);
        auto progress = std::make_shared<Progress>();
        progress->info.id = number;
        progress->info.promptHead = p.prompt.substr(0, 60);
        progress->report(observer, "running");
        if (p.stream)
            return stream(p, id, channel, res, progress);

        std::string text = p.echo ? p.prompt : std::string();
        std::vector<CompletionToken> tokens;
        RequestChannel::Event event;
        while (true) {
            if (!channel->next(event, std::chrono::milliseconds(200)))
                continue; // bounded: the engine ends every request within max_tokens steps (or cancels it)
            text += event.token.text;
            if (event.end)
                break;
            tokens.push_back(event.token);
            progress->token(observer);
        }
        progress->report(observer, event.finish.error.empty() ? event.finish.finishReason : "error");
        if (!event.finish.error.empty()) {
            sendError(res, apiError(500, "server_error", event.finish.error));
            return;
        }
        metrics->countTokens(event.finish.promptTokens, event.finish.completionTokens);
        json body = envelope(p, id, false);
        const json logprobs =
            p.logprobs ? logprobsJson(tokens, engine->tokenizer(), chat, p.echo ? p.prompt.size() : 0) : json(nullptr);
        body["choices"] = json::array({choiceJson(p, text, event.finish.finishReason, logprobs, false)});
        body["usage"] = {{"prompt_tokens", event.finish.promptTokens},
                         {"completion_tokens", event.finish.completionTokens},
                         {"total_tokens", event.finish.promptTokens + event.finish.completionTokens}};
        res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
    }

    // Server-sent events exactly as OpenAI sends them: "data: {chunk}\n\n" per token, a last chunk with the
    // finish_reason, then "data: [DONE]\n\n". A client that goes away cancels its sequence.
    void stream(const ParsedCompletion &p, const std::string &id, std::shared_ptr<RequestChannel> channel,
                httplib::Response &res, std::shared_ptr<Progress> progress)
    {
        struct State
        {
            bool started = false;
            bool finished = false;
        };
        auto state = std::make_shared<State>();
        res.set_header("Cache-Control", "no-cache");
        res.set_chunked_content_provider(
            "text/event-stream",
            [this, p, id, channel, state, progress](size_t, httplib::DataSink &sink) {
                const auto send = [&](const json &chunk) {
                    const std::string line =
                        "data: " + chunk.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
                    return sink.write(line.data(), line.size());
                };
                if (!state->started) {
                    state->started = true;
                    json first = envelope(p, id, true);
                    if (p.chat) // OpenAI's first chat chunk carries the role
                        first["choices"] = json::array({{{"index", 0},
                                                         {"delta", {{"role", "assistant"}, {"content", ""}}},
                                                         {"finish_reason", nullptr}}});
                    else if (p.echo)
                        first["choices"] = json::array({choiceJson(p, p.prompt, nullptr, nullptr, true)});
                    if (first.contains("choices") && !send(first)) {
                        channel->cancel();
                        return false;
                    }
                }
                RequestChannel::Event event;
                if (!channel->next(event, std::chrono::milliseconds(100))) {
                    if (!sink.is_writable()) {
                        channel->cancel();
                        return false;
                    }
                    return true;
                }
                json chunk = envelope(p, id, true);
                const json logprobs = p.logprobs && !event.end
                                          ? logprobsJson({event.token}, engine->tokenizer(), p.chat, 0)
                                          : json(nullptr);
                if (!event.token.text.empty() || !event.end) {
                    chunk["choices"] = json::array({choiceJson(p, event.token.text, nullptr, logprobs, true)});
                    if (!send(chunk)) {
                        channel->cancel();
                        return false;
                    }
                }
                if (!event.end) {
                    progress->token(observer);
                    return true;
                }
                state->finished = true;
                progress->report(observer, event.finish.finishReason);
                metrics->countTokens(event.finish.promptTokens, event.finish.completionTokens);
                chunk["choices"] = json::array({choiceJson(p, "", event.finish.finishReason, nullptr, true)});
                send(chunk);
                const std::string done = "data: [DONE]\n\n";
                sink.write(done.data(), done.size());
                sink.done();
                return true;
            },
            [this, channel, state, progress](bool success) {
                if (!success || !state->finished) {
                    channel->cancel(); // the connection ended before the last token: free the slot
                    progress->report(observer, "cancelled");
                }
            });
    }

    void routes()
    {
        // Debian's compiled cpp-httplib listens with a backlog of 5: a burst of new connections (16 clients at
        // once) overflows it and the kernel drops SYNs that clients retry only after a second. Remember the
        // listening socket so start() can raise its backlog.
        http.set_socket_options([this](socket_t sock) {
            httplib::default_socket_options(sock);
            if (listenSocket < 0)
                listenSocket = static_cast<int>(sock);
        });
        http.set_payload_max_length(options.maxBodyBytes);
        // A thread per connection (httplib's model), grown on demand: enough for the running batch, the queue and
        // a few for /health at all times, up to maxConnections, so idle or slow connections never make other
        // clients wait for their read timeout (docs/reliability.md, "Server").
        const size_t always = static_cast<size_t>(std::min(options.maxBatch + 4, options.maxConnections));
        const size_t most = static_cast<size_t>(std::max(options.maxConnections, 1));
        http.new_task_queue = [always, most] { return new ElasticThreadPool(always, most, std::chrono::seconds(10)); };
        http.Post("/v1/completions", [this](const auto &req, auto &res) { completions(req, res, false); });
        http.Post("/v1/chat/completions", [this](const auto &req, auto &res) { completions(req, res, true); });
        http.Get("/v1/models", [this](const httplib::Request &req, httplib::Response &res) {
            if (!authorized(req, res))
                return;
            const json model{{"id", options.modelName}, {"object", "model"}, {"created", 0}, {"owned_by", "llmf"}};
            res.set_content(json{{"object", "list"}, {"data", json::array({model})}}.dump(), "application/json");
        });
        http.Get("/health", [this](const httplib::Request &, httplib::Response &res) {
            res.set_content(json{{"status", accepting.load() ? "ok" : "stopping"},
                                 {"running", engine->running()},
                                 {"queued", engine->queued()}}
                                .dump(),
                            "application/json");
        });
        http.Get("/metrics", [this](const httplib::Request &req, httplib::Response &res) {
            if (!authorized(req, res))
                return;
            res.set_content(metrics->prometheusText(), "text/plain; version=0.0.4");
        });
        // Errors httplib answers itself (413 for a body over the limit, 404, 405) get OpenAI's error object too.
        http.set_error_handler([](const httplib::Request &req, httplib::Response &res) {
            if (res.status == 413)
                return sendError(
                    res, apiError(413, "invalid_request_error", "The request body is larger than the server accepts."));
            if (res.body.empty())
                sendError(res, apiError(res.status, "invalid_request_error",
                                        "No such endpoint: " + req.method + " " + req.path + "."));
        });
        http.set_exception_handler([](const httplib::Request &, httplib::Response &res, std::exception_ptr error) {
            std::string message = "Internal error.";
            try {
                std::rethrow_exception(error);
            } catch (const std::exception &e) {
                message = describeException(e);
            } catch (...) {
            }
            sendError(res, apiError(500, "server_error", message));
        });
    }
};

OpenAIServer::OpenAIServer(const LoadedRun &run, const ServeOptions &options) : d(std::make_unique<Impl>())
{
    d->options = options;
    d->engine = std::make_unique<BatchEngine>(run, options.maxBatch, options.maxQueue, d->metrics.get());
    d->routes();
}

OpenAIServer::~OpenAIServer()
{
    stop(std::chrono::milliseconds(0));
}

namespace {

// Debian's default soft limit of 1,024 open files (kept for programs that still use select()) is below what
// maxConnections needs; httplib and Qt wait with poll(), so the soft limit may rise to the hard one.
void allowOpenFiles(rlim_t wanted)
{
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur >= wanted)
        return;
    limit.rlim_cur = std::min(wanted, limit.rlim_max);
    ::setrlimit(RLIMIT_NOFILE, &limit);
}

} // namespace

int OpenAIServer::start()
{
    // Each connection holds a socket, and a client in the same process (tests, the Playground) one more.
    allowOpenFiles(static_cast<rlim_t>(2 * d->options.maxConnections + 256));
    const std::string &host = d->options.host;
    if (d->options.port == 0)
        d->port = d->http.bind_to_any_port(host);
    else
        d->port = d->http.bind_to_port(host, d->options.port) ? d->options.port : -1;
    if (d->port <= 0)
        throw Error("Cannot listen on " + host + ":" + std::to_string(d->options.port) +
                        " (the port is in use, or the address is not one of this machine's).",
                    "Pick another --port, or --port 0 for a free one.");
    if (d->listenSocket >= 0)
        ::listen(d->listenSocket, 256); // on a listening socket, listen() again only changes the backlog
    d->thread = std::thread([this] { d->http.listen_after_bind(); });
    // Return once the accept loop runs: a stop() before it starts would leave listen_after_bind() running.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!d->http.is_running() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (!d->http.is_running())
        throw Error("The HTTP server did not start within 10 s.");
    return d->port;
}

void OpenAIServer::stop(std::chrono::milliseconds grace)
{
    d->accepting.store(false);
    if (d->engine)
        d->engine->shutdown(grace); // running requests finish (or are cancelled at the deadline) and answer
    d->http.stop();
    if (d->thread.joinable())
        d->thread.join();
}

bool OpenAIServer::isRunning() const
{
    return d->http.is_running();
}

int OpenAIServer::port() const
{
    return d->port;
}

const ServeMetrics &OpenAIServer::metrics() const
{
    return *d->metrics;
}

ServeMetrics &OpenAIServer::metrics()
{
    return *d->metrics;
}

void OpenAIServer::setRequestObserver(std::function<void(const ServedRequest &)> observer)
{
    d->observer = std::move(observer);
}

} // namespace llmf
