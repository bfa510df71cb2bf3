#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/data/tokencache.h"
#include "llmf/data/tokendataset.h"

using namespace llmf;

namespace {
std::vector<int32_t> ramp(int n)
{
    std::vector<int32_t> v(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i)
        v[static_cast<size_t>(i)] = i;
    return v;
}
} // namespace

class TestDataset : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void split_isContiguousAtRatio()
    {
        TokenDataset data(ramp(1000), 0.9);
        QCOMPARE(data.train().numel(), 900);
        QCOMPARE(data.val().numel(), 100);
        QCOMPARE(data.val()[0].item<int64_t>(), 900);
        QVERIFY_THROWS_EXCEPTION(Error, TokenDataset(ramp(10), 1.0));
    }

    void batches_areShiftedWindows()
    {
        TokenDataset data(ramp(500), 0.9);
        BatchSampler sampler(data.train(), 4, 16, 7);
        const auto batch = sampler.next();
        QCOMPARE(batch.x.sizes().vec(), (std::vector<int64_t>{4, 16}));
        QCOMPARE(batch.x.scalar_type(), torch::kInt64);
        // In a ramp, y = x + 1 everywhere, and windows are consecutive.
        QVERIFY(torch::equal(batch.y, batch.x + 1));
        QVERIFY(torch::equal(batch.x.select(1, 15) - batch.x.select(1, 0), torch::full({4}, 15, torch::kInt64)));
        QVERIFY(batch.y.max().item<int64_t>() < 450);
    }

    void batches_areDeterministicForASeed()
    {
        TokenDataset data(ramp(5000), 0.9);
        BatchSampler a(data.train(), 8, 32, 123), b(data.train(), 8, 32, 123), c(data.train(), 8, 32, 124);
        for (int i = 0; i < 3; ++i) {
            const auto ba = a.next(), bb = b.next(), bc = c.next();
            QVERIFY(torch::equal(ba.x, bb.x));
            QVERIFY(!torch::equal(ba.x, bc.x));
        }
    }

    void rngState_resumesTheSameStream()
    {
        TokenDataset data(ramp(5000), 0.9);
        BatchSampler a(data.train(), 8, 32, 9);
        a.next();
        const std::string state = a.rngState();
        const auto expected = a.next();
        BatchSampler b(data.train(), 8, 32, 1);
        b.setRngState(state);
        QVERIFY(torch::equal(b.next().x, expected.x));
        QVERIFY_THROWS_EXCEPTION(Error, b.setRngState("garbage"));
    }

    void tooFewTokens_explainsWhy()
    {
        TokenDataset data(ramp(100), 0.9); // val has 10 tokens
        try {
            BatchSampler(data.val(), 2, 32, 1, "validation");
            QFAIL("expected an error");
        } catch (const Error &e) {
            QVERIFY(QString(e.what()).contains("validation split has 10 tokens"));
        }
    }

    void tokenCache_roundTripsAndRejectsCorruption()
    {
        QTemporaryDir dir;
        TokenCache cache(dir.path().toStdString());
        int encodes = 0;
        const auto encode = [&](std::string_view text) {
            ++encodes;
            return std::vector<int32_t>(text.begin(), text.end());
        };
        const auto first = cache.getOrEncode("hello", 1, encode);
        const auto second = cache.getOrEncode("hello", 1, encode);
        QCOMPARE(encodes, 1);
        QCOMPARE(first, second);
        cache.getOrEncode("hello", 2, encode); // another tokenizer: another key
        QCOMPARE(encodes, 2);
        // Truncate the cache file: it is ignored and rebuilt, not trusted.
        const std::string path = cache.pathFor(TokenCache::key("hello", 1));
        QFile::resize(QString::fromStdString(path), 20);
        QVERIFY(!cache.load(TokenCache::key("hello", 1)));
        QCOMPARE(cache.getOrEncode("hello", 1, encode), first);
        QCOMPARE(encodes, 3);
    }

    void contentHash_isStable()
    {
        QCOMPARE(contentHash(""), 14695981039346656037ULL);
        QCOMPARE(contentHash("a"), 0xaf63dc4c8601ec8cULL); // FNV-1a 64 test vector
    }
};

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
