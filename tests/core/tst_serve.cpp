#include <QtTest>

#include "../views/smallrun.h"
#include "servetesting.h"

#include "llmf/infer/generator.h"
#include "llmf/serve/openaiprotocol.h"
#include "llmf/serve/openaiserver.h"
#include "llmf/serve/servemetrics.h"
#include "llmf/run/rundirectory.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QProcess>

#include <csignal>
#include <future>
#include <thread>

using namespace llmf;
using nlohmann::json;

// `llmf serve` over real HTTP on 127.0.0.1: every server is started on a free port by the test and stopped by it.
class TestServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_run;
    std::unique_ptr<LoadedRun> m_loaded;

    std::unique_ptr<OpenAIServer> startServer(ServeOptions options = {})
    {
        return testing::startTestServer(*m_loaded, options);
    }

    static httplib::Client client(const OpenAIServer &server)
    {
        httplib::Client c("127.0.0.1", server.port());
        c.set_read_timeout(60, 0);
        c.set_connection_timeout(5, 0);
        return c;
    }

    // What the Generator (llmf generate) produces greedily for `prompt`.
    std::string solo(const std::string &prompt, int maxTokens)
    {
        Generator generator(*m_loaded);
        generator.setCollectStages(false);
        generator.setCollectLogits(false);
        GenerationConfig g;
        g.temperature = 0.0;
        g.max_new_tokens = maxTokens;
        return generator.generate(prompt, g).text;
    }

    static json post(httplib::Client &c, const std::string &path, const json &body, int *status = nullptr)
    {
        const auto res = c.Post(path.c_str(), body.dump(), "application/json");
        if (!res)
            return {};
        if (status)
            *status = res->status;
        return json::parse(res->body, nullptr, false);
    }

    // The "data: …" events of a server-sent-events body.
    static std::vector<std::string> events(const std::string &body)
    {
        std::vector<std::string> out;
        size_t at = 0;
        while ((at = body.find("data: ", at)) != std::string::npos) {
            const size_t end = body.find("\n\n", at);
            out.push_back(body.substr(at + 6, end - at - 6));
            at = end;
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testing::SmallRunOptions options;
        options.steps = 60;
        options.learningRate = 3e-3;
        m_run = testing::trainSmallRun(m_dir, options);
        QVERIFY(!m_run.isEmpty());
        m_loaded = std::make_unique<LoadedRun>(loadRun(m_run.toStdString(), "cpu"));
        std::signal(SIGPIPE, SIG_IGN);
    }

    void completion_equalsTheGenerator()
    {
        auto server = startServer();
        auto c = client(*server);
        const json body{{"model", "run"}, {"prompt", "The cat"}, {"max_tokens", 20}, {"temperature", 0}};
        int status = 0;
        const json r = post(c, "/v1/completions", body, &status);
        QCOMPARE(status, 200);
        QCOMPARE(r["object"].get<std::string>(), std::string("text_completion"));
        const std::string expected = solo("The cat", 20);
        QCOMPARE(QString::fromStdString(r["choices"][0]["text"].get<std::string>()), QString::fromStdString(expected));
        QVERIFY(r["choices"][0]["finish_reason"] == "length" || r["choices"][0]["finish_reason"] == "stop");
        QCOMPARE(r["usage"]["prompt_tokens"].get<int>(),
                 static_cast<int>(m_loaded->tokenizer.encode("The cat").size()));
        QCOMPARE(r["usage"]["total_tokens"].get<int>(),
                 r["usage"]["prompt_tokens"].get<int>() + r["usage"]["completion_tokens"].get<int>());

        // Streaming: the same text in "data:" chunks, a last chunk with finish_reason, then [DONE].
        json streaming = body;
        streaming["stream"] = true;
        auto streamed = c.Post("/v1/completions", streaming.dump(), "application/json");
        QVERIFY(streamed);
        QCOMPARE(streamed->status, 200);
        QVERIFY(streamed->get_header_value("Content-Type").rfind("text/event-stream", 0) == 0);
        const auto data = events(streamed->body);
        QVERIFY(data.size() >= 3);
        QCOMPARE(data.back(), std::string("[DONE]"));
        std::string text;
        for (size_t i = 0; i + 1 < data.size(); ++i)
            text += json::parse(data[i])["choices"][0]["text"].template get<std::string>();
        QCOMPARE(QString::fromStdString(text), QString::fromStdString(expected));
        QVERIFY(!json::parse(data[data.size() - 2])["choices"][0]["finish_reason"].is_null());
    }

    // Continuous batching: 8 concurrent greedy requests each equal their solo run; a seeded sampled request is
    // the same with or without neighbours.
    void concurrentRequests_equalTheirSoloRuns()
    {
        ServeOptions options;
        options.maxBatch = 8;
        auto server = startServer(options);
        const std::vector<std::string> prompts{"The cat",     "A young girl", "Our teacher", "The old captain",
                                               "Her brother", "The fox",      "A quiet",     "The tired farmer"};
        std::vector<std::future<std::string>> results;
        for (const auto &prompt : prompts)
            results.push_back(std::async(std::launch::async, [&, prompt] {
                auto c = client(*server);
                const json r = post(c, "/v1/completions", {{"prompt", prompt}, {"max_tokens", 24}, {"temperature", 0}});
                return r.is_discarded() || !r.contains("choices") ? std::string("<failed>")
                                                                  : r["choices"][0]["text"].get<std::string>();
            }));
        for (size_t i = 0; i < prompts.size(); ++i)
            QCOMPARE(QString::fromStdString(results[i].get()), QString::fromStdString(solo(prompts[i], 24)));

        const json seeded{{"prompt", "The cat"}, {"max_tokens", 24}, {"temperature", 1.0}, {"seed", 7}};
        auto c = client(*server);
        const std::string alone = post(c, "/v1/completions", seeded)["choices"][0]["text"];
        std::vector<std::future<json>> neighbours;
        for (int i = 0; i < 4; ++i)
            neighbours.push_back(std::async(std::launch::async, [&, i] {
                auto n = client(*server);
                return post(n, "/v1/completions", {{"prompt", prompts[i]}, {"max_tokens", 30}, {"temperature", 1.0}});
            }));
        const std::string beside = post(c, "/v1/completions", seeded)["choices"][0]["text"];
        for (auto &n : neighbours)
            n.get();
        QCOMPARE(QString::fromStdString(beside), QString::fromStdString(alone));
    }

    void stopStringsAndLogprobs()
    {
        auto server = startServer();
        auto c = client(*server);
        const std::string full = solo("The cat", 20);
        QVERIFY(full.size() > 6);
        const std::string stop = full.substr(4, 3);
        const json r = post(c, "/v1/completions",
                            {{"prompt", "The cat"},
                             {"max_tokens", 20},
                             {"temperature", 0},
                             {"stop", stop},
                             {"logprobs", 3},
                             {"echo", true}});
        QCOMPARE(r["choices"][0]["finish_reason"].get<std::string>(), std::string("stop"));
        const std::string text = r["choices"][0]["text"];
        QCOMPARE(QString::fromStdString(text), QString::fromStdString("The cat" + full.substr(0, full.find(stop))));
        const json &lp = r["choices"][0]["logprobs"];
        QVERIFY(!lp["tokens"].empty());
        QCOMPARE(lp["tokens"].size(), lp["token_logprobs"].size());
        QCOMPARE(lp["top_logprobs"][0].size(), size_t(3));
        for (const auto &v : lp["token_logprobs"])
            QVERIFY(v.get<double>() <= 0.0);
    }

    void chat_usesTheDocumentedTemplate()
    {
        const std::vector<ChatMessage> messages{{"system", "Be brief."}, {"user", "Tell me about the cat."}};
        QCOMPARE(QString::fromStdString(renderChat(messages)),
                 QString("System: Be brief.\nUser: Tell me about the cat.\nAssistant:"));
        auto server = startServer();
        auto c = client(*server);
        json body{{"messages",
                   {{{"role", "system"}, {"content", "Be brief."}},
                    {{"role", "user"}, {"content", "Tell me about the cat."}}}},
                  {"max_tokens", 12},
                  {"temperature", 0}};
        const json r = post(c, "/v1/chat/completions", body);
        QCOMPARE(r["object"].get<std::string>(), std::string("chat.completion"));
        QCOMPARE(r["choices"][0]["message"]["role"].get<std::string>(), std::string("assistant"));
        std::string expected = solo(renderChat(messages), 12);
        if (const size_t at = expected.find("\nUser:"); at != std::string::npos)
            expected.resize(at);
        QCOMPARE(QString::fromStdString(r["choices"][0]["message"]["content"].get<std::string>()),
                 QString::fromStdString(expected));
        body["stream"] = true;
        const auto streamed = c.Post("/v1/chat/completions", body.dump(), "application/json");
        const auto data = events(streamed->body);
        QCOMPARE(json::parse(data.front())["choices"][0]["delta"]["role"].template get<std::string>(),
                 std::string("assistant"));
        QCOMPARE(json::parse(data.front())["object"].template get<std::string>(), std::string("chat.completion.chunk"));
    }

    void badInput_getsOpenAIErrors()
    {
        ServeOptions options;
        options.maxBodyBytes = 4096;
        auto server = startServer(options);
        auto c = client(*server);
        const auto check = [&](const std::string &body, int wantStatus, const char *param) {
            const auto res = c.Post("/v1/completions", body, "application/json");
            QVERIFY(res);
            QCOMPARE(res->status, wantStatus);
            const json e = json::parse(res->body, nullptr, false);
            QVERIFY2(e.contains("error") && e["error"].contains("message") && e["error"].contains("type"),
                     res->body.c_str());
            if (param)
                QCOMPARE(e["error"]["param"].get<std::string>(), std::string(param));
        };
        check("{not json", 400, nullptr);
        check(R"({"prompt": "a", "temperature": "hot"})", 400, "temperature");
        check(R"({"prompt": "a", "top_p": 2})", 400, "top_p");
        check(R"({"prompt": "a", "max_tokens": 0})", 400, "max_tokens");
        check(R"({"prompt": 5})", 400, "prompt");
        check(R"({"prompt": "a", "model": "gpt-4"})", 400, "model");
        check(R"({"prompt": "a", "stop": [1]})", 400, "stop");
        check(json{{"prompt", std::string(200, 'x') + " the cat the cat the cat the cat the cat"}}.dump(), 400,
              "prompt");
        check(json{{"prompt", std::string(8000, 'x')}}.dump(), 413, nullptr);
        QCOMPARE(c.Get("/nowhere")->status, 404);

        ServeOptions keyed;
        keyed.apiKey = "secret";
        auto guarded = startServer(keyed);
        auto g = client(*guarded);
        QCOMPARE(g.Post("/v1/completions", R"({"prompt": "a"})", "application/json")->status, 401);
        g.set_bearer_token_auth("secret");
        QCOMPARE(g.Post("/v1/completions", R"({"prompt": "a", "max_tokens": 2})", "application/json")->status, 200);
        QCOMPARE(g.Get("/health")->status, 200); // health stays open
    }

    // Queue full → 429; a streaming client that disconnects frees its slot; /metrics counts what happened.
    void queueFull_disconnect_andMetrics()
    {
        ServeOptions options;
        options.maxBatch = 1;
        options.maxQueue = 0;
        auto server = startServer(options);
        std::atomic_bool firstChunk{false};
        std::thread longClient([&] {
            auto c = client(*server);
            httplib::Request req;
            req.method = "POST";
            req.path = "/v1/completions";
            req.body = json{{"prompt", "The cat"}, {"max_tokens", 60}, {"temperature", 1.0}, {"stream", true}}.dump();
            req.set_header("Content-Type", "application/json");
            int chunks = 0;
            req.content_receiver = [&](const char *, size_t, uint64_t, uint64_t) {
                firstChunk.store(true);
                return ++chunks < 3; // then hang up mid-stream
            };
            c.send(req);
        });
        QTRY_VERIFY_WITH_TIMEOUT(firstChunk.load(), 30000);
        auto c = client(*server);
        longClient.join();
        QTRY_COMPARE_WITH_TIMEOUT(json::parse(c.Get("/health")->body)["running"].template get<int>(), 0, 10000);
        // The cancelled sequence left its slot: a new request runs at once.
        QCOMPARE(c.Post("/v1/completions", R"({"prompt": "a", "max_tokens": 2})", "application/json")->status, 200);

        // One slot, no queue: of 8 requests sent at once, those that find the slot taken get 429.
        std::vector<std::future<int>> statuses;
        for (int i = 0; i < 8; ++i)
            statuses.push_back(std::async(std::launch::async, [&] {
                auto n = client(*server);
                const auto res =
                    n.Post("/v1/completions", R"({"prompt": "The cat", "max_tokens": 50})", "application/json");
                if (res && res->status == 429 &&
                    json::parse(res->body)["error"]["code"].template get<std::string>() != "rate_limit_exceeded")
                    return -1;
                return res ? res->status : 0;
            }));
        int ok = 0, busy = 0;
        for (auto &status : statuses) {
            const int code = status.get();
            ok += code == 200;
            busy += code == 429;
        }
        QCOMPARE(ok + busy, 8);
        QVERIFY(ok >= 1);
        QVERIFY(busy >= 1);

        const auto metrics = c.Get("/metrics");
        QCOMPARE(metrics->status, 200);
        const QString text = QString::fromStdString(metrics->body);
        QVERIFY2(text.contains("llmf_requests_total{endpoint=\"/v1/completions\",status=\"200\"}"), qPrintable(text));
        QVERIFY(text.contains("llmf_time_to_first_token_seconds_count"));
        QVERIFY(server->metrics().snapshot().completionTokens > 0);
        QVERIFY(text.contains("llmf_running_batch_size"));
        QVERIFY(text.contains("llmf_requests_total{endpoint=\"/v1/completions\",status=\"429\"}"));
    }

    // A cancelled request (what a client's disconnect does) ends at the engine's next step and frees its slot.
    void cancelledRequest_endsAndFreesItsSlot()
    {
        BatchEngine engine(*m_loaded, 1, 4);
        CompletionRequest request;
        request.promptIds = m_loaded->tokenizer.encode("The cat");
        request.sampling.temperature = 0.0;
        request.sampling.max_new_tokens = 50;
        auto channel = engine.submit(request);
        QVERIFY(channel);
        channel->cancel();
        RequestChannel::Event event;
        QElapsedTimer timer;
        timer.start();
        while (!(channel->next(event, std::chrono::milliseconds(100)) && event.end))
            QVERIFY(timer.elapsed() < 10000);
        QCOMPARE(QString::fromStdString(event.finish.finishReason), QString("cancelled"));
        QVERIFY(event.finish.completionTokens < 50);
        // The slot is free again: the next request runs to its length.
        request.sampling.max_new_tokens = 5;
        auto next = engine.submit(request);
        QVERIFY(next);
        while (!(next->next(event, std::chrono::milliseconds(100)) && event.end))
            QVERIFY(timer.elapsed() < 20000);
        QCOMPARE(QString::fromStdString(event.finish.finishReason), QString("length"));
        QCOMPARE(event.finish.completionTokens, 5);
    }

    void cli_servesAndStopsOnSigterm()
    {
        QProcess serve;
        serve.start(QStringLiteral(LLMF_CLI_PATH), {"serve", "--run", m_run, "--port", "0"});
        QVERIFY(serve.waitForStarted(10000));
        QString out;
        QVERIFY(QTest::qWaitFor(
            [&] {
                serve.waitForReadyRead(50);
                out += QString::fromUtf8(serve.readAllStandardOutput());
                return out.contains("/v1");
            },
            30000));
        const auto match = QRegularExpression("http://127\\.0\\.0\\.1:(\\d+)/v1").match(out);
        QVERIFY2(match.hasMatch(), qPrintable(out));
        httplib::Client c("127.0.0.1", match.captured(1).toInt());
        const auto models = c.Get("/v1/models");
        QVERIFY(models && models->status == 200);
        QCOMPARE(json::parse(models->body)["data"][0]["id"].template get<std::string>(), std::string("run"));
        ::kill(static_cast<pid_t>(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
