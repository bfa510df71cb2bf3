#include <QtTest>

#include "../views/smallrun.h"
#include "servetesting.h"

#include "llmf/serve/openaiserver.h"
#include "llmf/run/rundirectory.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace llmf;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// A TCP connection made by hand, for what no well-behaved client does: stay silent, send half a request, send
// garbage, never read. Closed when it goes out of scope.
class RawConnection
{
public:
    explicit RawConnection(int port, int receiveBuffer = 0)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (m_fd < 0)
            return;
        if (receiveBuffer > 0)
            ::setsockopt(m_fd, SOL_SOCKET, SO_RCVBUF, &receiveBuffer, sizeof receiveBuffer);
        timeval timeout{10, 0}; // no call of this test waits forever
        ::setsockopt(m_fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
        ::setsockopt(m_fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(static_cast<uint16_t>(port));
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
            ::close(m_fd);
            m_fd = -1;
        }
    }
    ~RawConnection()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    RawConnection(RawConnection &&other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    RawConnection(const RawConnection &) = delete;
    RawConnection &operator=(const RawConnection &) = delete;

    bool isOpen() const { return m_fd >= 0; }
    bool send(const std::string &bytes) const
    {
        return ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
    }
    void finishSending() const { ::shutdown(m_fd, SHUT_WR); }
    // Everything the server sends until it closes (or 10 s pass).
    std::string readAll() const
    {
        std::string out;
        char buffer[4096];
        ssize_t n = 0;
        while ((n = ::recv(m_fd, buffer, sizeof buffer, 0)) > 0)
            out.append(buffer, static_cast<size_t>(n));
        return out;
    }

private:
    int m_fd = -1;
};

// A figure of this process from /proc/self/status ("VmRSS" in kB, "Threads").
long procStatus(const std::string &key)
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind(key + ":", 0) == 0)
            return std::stol(line.substr(key.size() + 1));
    return -1;
}

} // namespace

// `llmf serve` under hostile load: a flood of idle connections, connections past the cap, malformed HTTP, a
// client that never reads its stream. Every server is started on a free 127.0.0.1 port and stopped by the test;
// every socket has a timeout.
class TestServeLoad : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<LoadedRun> m_loaded;

    std::unique_ptr<OpenAIServer> startServer(ServeOptions options = {})
    {
        return testing::startTestServer(*m_loaded, options);
    }

    // Status of GET /health and how long it took, from a fresh well-behaved client.
    static std::pair<int, double> timedHealth(const OpenAIServer &server)
    {
        httplib::Client c("127.0.0.1", server.port());
        c.set_connection_timeout(10, 0);
        c.set_read_timeout(30, 0);
        const auto start = Clock::now();
        const auto res = c.Get("/health");
        const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
        return {res ? res->status : 0, seconds};
    }

    static int completionStatus(const OpenAIServer &server, int maxTokens)
    {
        httplib::Client c("127.0.0.1", server.port());
        c.set_connection_timeout(10, 0);
        c.set_read_timeout(60, 0);
        const json body{{"model", "run"}, {"prompt", "The cat"}, {"max_tokens", maxTokens}, {"temperature", 0}};
        const auto res = c.Post("/v1/completions", body.dump(), "application/json");
        return res ? res->status : 0;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        testing::SmallRunOptions options;
        options.steps = 4;
        const QString run = testing::trainSmallRun(m_dir, options);
        QVERIFY(!run.isEmpty());
        m_loaded = std::make_unique<LoadedRun>(loadRun(run.toStdString(), "cpu"));
        std::signal(SIGPIPE, SIG_IGN);
    }

    // 1,000 connections that send nothing or half a request head hold a thread each until their read timeout
    // (5 s). With a fixed pool of batch + queue + 4 threads a new client waited about a minute; now it is answered
    // at once, memory stays bounded, and the server serves normally once the flood ends.
    void thousandIdleConnections_otherClientsAreAnsweredAtOnce()
    {
        rlimit files{};
        QVERIFY(::getrlimit(RLIMIT_NOFILE, &files) == 0);
        if (files.rlim_max < 2300)
            QSKIP("this machine's hard limit of open files is below the 2,300 the flood and the server need");
        auto server = startServer();
        const long rssBefore = procStatus("VmRSS"), threadsBefore = procStatus("Threads");

        std::vector<RawConnection> flood;
        flood.reserve(1000);
        for (int i = 0; i < 1000; ++i) {
            flood.emplace_back(server->port());
            QVERIFY2(flood.back().isOpen(),
                     qPrintable(QString("connection %1 failed: %2").arg(i).arg(strerror(errno))));
            if (i % 2 == 1) // half of them start a request and stop in the middle of its head
                QVERIFY(flood.back().send("POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-"));
        }
        const auto [status, seconds] = timedHealth(*server);
        QCOMPARE(status, 200);
        QVERIFY2(seconds < 3.0, qPrintable(QString("GET /health took %1 s during the flood").arg(seconds)));
        QCOMPARE(completionStatus(*server, 8), 200);

        const long rssGrowthMb = (procStatus("VmRSS") - rssBefore) / 1024;
        const long threads = procStatus("Threads") - threadsBefore;
        qInfo("1,000 idle connections: +%ld threads, +%ld MB resident", threads, rssGrowthMb);
        QVERIFY2(rssGrowthMb < 256, qPrintable(QString("resident memory grew by %1 MB").arg(rssGrowthMb)));
        QVERIFY2(threads <= 1024 + 8, qPrintable(QString("%1 new threads").arg(threads)));

        flood.clear();
        QCOMPARE(timedHealth(*server).first, 200);
        QCOMPARE(completionStatus(*server, 8), 200);
        server->stop(std::chrono::milliseconds(0));
        QVERIFY(!server->isRunning());
    }

    // Past maxConnections, connections wait for a thread instead of growing the process without bound.
    void connectionsPastTheCap_waitInsteadOfGrowingThreads()
    {
        ServeOptions options;
        options.maxConnections = 24;
        options.maxBatch = 2;
        auto server = startServer(options);
        const long threadsBefore = procStatus("Threads");
        std::vector<RawConnection> idle;
        for (int i = 0; i < 100; ++i) {
            idle.emplace_back(server->port());
            QVERIFY(idle.back().isOpen());
        }
        QTest::qWait(300); // the accept loop hands every connection to the pool
        const long threads = procStatus("Threads") - threadsBefore;
        QVERIFY2(threads <= 24, qPrintable(QString("%1 new threads for a cap of 24").arg(threads)));
        idle.clear();
        // The idle connections end at once on the server side too (it sees end-of-file), so a new client gets a
        // thread well before any timeout.
        const auto [status, seconds] = timedHealth(*server);
        QCOMPARE(status, 200);
        QVERIFY2(seconds < 3.0, qPrintable(QString("GET /health took %1 s after the burst").arg(seconds)));
    }

    void malformedHttp_isRefusedAndTheServerStaysUp()
    {
        auto server = startServer();
        const std::vector<std::string> requests = {
            "GARBAGE\r\n\r\n",
            "GET /health HTTP/9.9\r\n\r\n",
            std::string("\0\x01\x02\xff\xfe binary\r\n\r\n", 16),
            "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
            "POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}",
            "POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: x\r\n" + std::string(70000, 'h') + ": y\r\n\r\n",
        };
        for (const std::string &request : requests) {
            RawConnection c(server->port());
            QVERIFY(c.isOpen());
            c.send(request);   // the server may close before reading everything
            c.finishSending(); // end-of-file: the server need not wait for its read or keep-alive timeout
            const std::string answer = c.readAll();
            // An answer, if any, is an HTTP error status: never a 200, never a crash.
            if (!answer.empty())
                QVERIFY2(answer.rfind("HTTP/1.1 4", 0) == 0 || answer.rfind("HTTP/1.1 5", 0) == 0,
                         answer.substr(0, 80).c_str());
            QCOMPARE(timedHealth(*server).first, 200);
        }
        QCOMPARE(completionStatus(*server, 4), 200);
    }

    // A client that asks for a stream and never reads it: its slot stays its own until it goes away, other
    // clients are served meanwhile, and when it goes the slot is freed.
    void clientThatNeverReadsItsStream_doesNotHoldOthers()
    {
        ServeOptions options;
        options.maxBatch = 2;
        auto server = startServer(options);
        const json body{{"model", "run"}, {"prompt", "The cat"}, {"max_tokens", 48}, {"stream", true}};
        const std::string request = "POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                    "application/json\r\nContent-Length: " +
                                    std::to_string(body.dump().size()) + "\r\n\r\n" + body.dump();
        {
            RawConnection silent(server->port(), 1024);
            QVERIFY(silent.isOpen());
            QVERIFY(silent.send(request));
            for (int i = 0; i < 3; ++i)
                QCOMPARE(completionStatus(*server, 16), 200);
            const auto [status, seconds] = timedHealth(*server);
            QCOMPARE(status, 200);
            QVERIFY2(seconds < 3.0, qPrintable(QString("GET /health took %1 s").arg(seconds)));
        } // the silent client goes away without reading a byte
        const auto deadline = Clock::now() + std::chrono::seconds(20);
        json health;
        do {
            httplib::Client c("127.0.0.1", server->port());
            c.set_read_timeout(10, 0);
            const auto res = c.Get("/health");
            QVERIFY(res);
            health = json::parse(res->body, nullptr, false);
            if (health.value("running", -1) == 0)
                break;
            QTest::qWait(100);
        } while (Clock::now() < deadline);
        QCOMPARE(health.value("running", -1), 0);
        QCOMPARE(completionStatus(*server, 8), 200);
    }
};

QTEST_GUILESS_MAIN(TestServeLoad)
#include "tst_serveload.moc"
