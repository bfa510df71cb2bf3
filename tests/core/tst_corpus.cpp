#include <QtTest>

#include "llmf/common/error.h"
#include "llmf/data/corpus.h"
#include "llmf/data/fallbackcorpus.h"
#include "llmf/data/rdatadecoder.h"
#include "llmf/data/rlazyloaddb.h"

#include <QElapsedTimer>
#include <QStringDecoder>
#include <QTemporaryDir>

#include <zlib.h>

#include <fstream>
#include <string>

namespace {

// The message of the llmf::Error `f` throws, or "" when it throws nothing.
template <typename F> std::string errorOf(F f)
{
    try {
        f();
    } catch (const llmf::Error &e) {
        return e.what();
    }
    return {};
}

bool isUtf8(const std::string &s)
{
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder(QByteArray::fromRawData(s.data(), qsizetype(s.size())));
    return !decoder.hasError();
}

void writeBytes(const QString &path, const std::string &bytes)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << bytes;
}

// Builds XDR streams by hand: big-endian 32-bit words and length-prefixed strings.
struct Xdr
{
    std::string bytes = std::string("X\n") + word(2) + word(0x040202) + word(0x020300); // v2 header, R 4.2.2

    static std::string word(uint32_t v)
    {
        return {char(v >> 24), char((v >> 16) & 0xFF), char((v >> 8) & 0xFF), char(v & 0xFF)};
    }
    Xdr &i(uint32_t v)
    {
        bytes += word(v);
        return *this;
    }
    Xdr &chars(const std::string &s) // an ASCII CHARSXP
    {
        bytes += word(0x00040009) + word(uint32_t(s.size())) + s;
        return *this;
    }
};

} // namespace

class TestCorpus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void unserialize_decodesStringVectorWithNa()
    {
        // c("a", NA), the worked example in rdatadecoder.cpp.
        const std::string bytes = Xdr().i(0x10).i(2).chars("a").i(0x09).i(0xFFFFFFFF).bytes;
        const llmf::RObject obj = llmf::unserialize(bytes);
        QCOMPARE(obj.type, llmf::RType::String);
        QCOMPARE(obj.strings.size(), size_t(2));
        QCOMPARE(obj.strings[0].value_or("?"), std::string("a"));
        QVERIFY(!obj.strings[1].has_value());
    }

    void unserialize_decodesNamedListAndSymbolReferences()
    {
        // list(a = 7L, b = 2.5) with its names attribute, then a pairlist whose two tags are the same symbol:
        // the second one is written as REFSXP #1 (flags 0x1ff).
        Xdr x;
        x.i(0x213).i(2);                              // VECSXP with attributes, length 2
        x.i(0x0D).i(1).i(7);                          // 7L
        x.i(0x0E).i(1).i(0x40040000).i(0);            // 2.5 as an IEEE double
        x.i(0x402).i(1).chars("names");               // attribute pairlist: tag = symbol "names"
        x.i(0x10).i(2).chars("a").chars("b").i(0xFE); //   value c("a", "b"), end of pairlist
        const llmf::RObject list = llmf::unserialize(x.bytes);
        QCOMPARE(list.type, llmf::RType::List);
        QCOMPARE(list.names(), (std::vector<std::string>{"a", "b"}));
        QCOMPARE(list.item("a")->ints, std::vector<int32_t>{7});
        QCOMPARE(list.item("b")->reals, std::vector<double>{2.5});

        Xdr p;
        p.i(0x402).i(1).chars("x").i(0x0D).i(1).i(1); // pairlist(x = 1L, x = 2L)
        p.i(0x402).i(0x1FF).i(0x0D).i(1).i(2).i(0xFE);
        const llmf::RObject pairs = llmf::unserialize(p.bytes);
        QCOMPARE(pairs.type, llmf::RType::Pairlist);
        QCOMPARE(pairs.tags, (std::vector<std::string>{"x", "x"}));
        QCOMPARE(pairs.items[1]->ints, std::vector<int32_t>{2});
    }

    void unserialize_truncatedDataThrowsWithOffset()
    {
        const std::string bytes = Xdr().i(0x10).i(2).chars("hello").chars("world").bytes;
        for (size_t n = 0; n < bytes.size(); ++n) {
            const std::string message = errorOf([&] { llmf::unserialize(bytes.substr(0, n), "test data"); });
            QVERIFY2(message.find("test data") != std::string::npos && message.find("offset") != std::string::npos,
                     ("prefix of " + std::to_string(n) + " bytes: '" + message + "'").c_str());
        }
    }

    void unserialize_hostileLengthThrowsInsteadOfAllocating()
    {
        const std::string bytes = Xdr().i(0x10).i(0x7FFFFFFF).chars("a").bytes;
        QVERIFY(errorOf([&] { llmf::unserialize(bytes); }).find("more than the data can hold") != std::string::npos);
        QVERIFY(!errorOf([] { llmf::unserialize("not R data"); }).empty());
    }

    void rdbBlob_zlibRoundTripsAndRejectsBzip2()
    {
        const std::string serialized = Xdr().i(0x10).i(1).chars("It is a truth universally acknowledged").bytes;
        uLongf size = compressBound(uLong(serialized.size()));
        std::string packed(size, '\0');
        QCOMPARE(compress(reinterpret_cast<Bytef *>(packed.data()), &size,
                          reinterpret_cast<const Bytef *>(serialized.data()), uLong(serialized.size())),
                 Z_OK);
        packed.resize(size);
        const std::string blob = Xdr::word(uint32_t(serialized.size())) + packed;
        QCOMPARE(llmf::decompressRdbBlob(blob, 1, "blob"), serialized);
        QCOMPARE(llmf::decompressRdbBlob(Xdr::word(uint32_t(serialized.size())) + "0" + serialized, 3, "blob"),
                 serialized);
        QVERIFY(!errorOf([&] { llmf::decompressRdbBlob(blob.substr(0, blob.size() - 3), 1, "blob"); }).empty());
        QVERIFY(errorOf([&] { llmf::decompressRdbBlob(blob.substr(0, 4) + "2" + packed, 3, "blob"); }).find("bzip2") !=
                std::string::npos);
    }

    void janeAusten_decodesTheSixNovels()
    {
        const llmf::CorpusInfo austen = llmf::listCorpora().front();
        QCOMPARE(austen.id, std::string("janeausten"));
        if (!austen.installed)
            QSKIP("r-cran-janeaustenr is not installed (sudo apt-get install r-cran-janeaustenr)");
        QElapsedTimer timer;
        timer.start();
        const std::string text = llmf::janeAustenText(austen.source);
        qInfo("decoded %zu bytes in %lld ms", text.size(), timer.elapsed());
        QVERIFY(text.find("Emma Woodhouse, handsome, clever, and rich") != std::string::npos);
        QVERIFY(text.find("It is a truth universally acknowledged") != std::string::npos);
        QVERIFY(text.rfind("SENSE AND SENSIBILITY", 0) == 0);
        QVERIFY(text.size() > 3'500'000 && text.size() < 4'500'000);
        QVERIFY(isUtf8(text));
    }

    void fortunes_loadWithoutEscapesOrSeparators()
    {
        const auto corpora = llmf::listCorpora();
        const auto zh = std::find_if(corpora.begin(), corpora.end(), [](auto &c) { return c.id == "fortunes-zh"; });
        QVERIFY(zh != corpora.end());
        if (!zh->installed)
            QSKIP("fortunes-zh is not installed (sudo apt-get install fortunes-zh)");
        const std::string text = llmf::loadCorpus("fortunes-zh");
        QCOMPARE(text.size(), size_t(zh->bytes));
        QVERIFY(text.size() > 100'000);
        QVERIFY(text.find('\x1b') == std::string::npos);
        QVERIFY(text.find("\n%\n") == std::string::npos);
        QVERIFY(text.find("作者") != std::string::npos);
        QVERIFY(isUtf8(text));
    }

    void fortuneEntries_stripAnsiCodesAndSplitAtPercent()
    {
        const auto entries =
            llmf::fortuneEntries("\x1b[32m《静夜思》\x1b[m\n\x1b[1;33m作者：李白\x1b[m\n床前明月光\n%\n\n"
                                 "second\n\nstanza\n%\n%\n");
        QCOMPARE(entries, (std::vector<std::string>{"《静夜思》\n作者：李白\n床前明月光", "second\n\nstanza"}));
    }

    void fallback_isDeterministicPerSeedAndSized()
    {
        const std::string a = llmf::fallbackCorpus(50'000, 7);
        QCOMPARE(llmf::fallbackCorpus(50'000, 7), a);
        QVERIFY(llmf::fallbackCorpus(50'000, 8) != a);
        QVERIFY(a.size() >= 50'000 && a.size() < 52'000);
        QVERIFY(isUtf8(a));
        QVERIFY(a.find(". ") != std::string::npos && a.find("\n\n") != std::string::npos);
        QCOMPARE(llmf::fallbackCorpus().size(), size_t(llmf::listCorpora().back().bytes));
    }

    void readUserText_joinsFolderTxtFilesInSortedOrder()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir("sub"));
        writeBytes(dir.filePath("b.txt"), "second");
        writeBytes(dir.filePath("a.txt"), "\xEF\xBB\xBF"
                                          "first\r\nline");
        writeBytes(dir.filePath("sub/c.TXT"), "third");
        writeBytes(dir.filePath("empty.txt"), "");
        writeBytes(dir.filePath("notes.md"), "ignored");
        QCOMPARE(llmf::readUserText(dir.path().toStdString()), std::string("first\nline\n\nsecond\n\nthird"));
        QCOMPARE(llmf::readUserText(dir.filePath("b.txt").toStdString()), std::string("second"));
    }

    void readUserText_badInputsGiveErrorsNamingTheFile()
    {
        QTemporaryDir dir;
        const std::string empty = dir.filePath("x.txt").toStdString(), binary = dir.filePath("x.bin").toStdString();
        const std::string latin1 = dir.filePath("latin1.txt").toStdString();
        writeBytes(QString::fromStdString(empty), "");
        writeBytes(QString::fromStdString(binary), std::string("PK\x03\x04\0\0data", 10));
        writeBytes(QString::fromStdString(latin1), "caf\xE9 au lait");

        QCOMPARE(errorOf([&] { llmf::readUserText(empty); }), "'" + empty + "' is empty.");
        QVERIFY(errorOf([&] {
                    llmf::readUserText(binary);
                }).rfind("'" + binary + "' looks like a binary file, not UTF-8 text", 0) == 0);
        const std::string bad = errorOf([&] { llmf::readUserText(latin1); });
        QVERIFY2(bad.find(latin1) != std::string::npos && bad.find("offset 3") != std::string::npos, bad.c_str());
        const std::string missing = dir.filePath("nope.txt").toStdString();
        QCOMPARE(errorOf([&] { llmf::readUserText(missing); }), "'" + missing + "' does not exist.");

        QTemporaryDir noText;
        writeBytes(noText.filePath("readme.md"), "# hi");
        QVERIFY(errorOf([&] { llmf::readUserText(noText.path().toStdString()); }).find("no .txt files") !=
                std::string::npos);
    }

    void listCorpora_alwaysOffersInstalledFallback()
    {
        const auto corpora = llmf::listCorpora();
        QCOMPARE(corpora.size(), size_t(3));
        QCOMPARE(corpora.back().id, std::string("fallback"));
        QVERIFY(corpora.back().installed);
        QCOMPARE(corpora.back().source, std::string("generated"));
        for (const auto &c : corpora)
            QVERIFY(c.installed == (c.bytes > 0));
        std::string chosen;
        QVERIFY(!llmf::defaultCorpusText(&chosen).empty());
        QCOMPARE(chosen, std::string(corpora.front().installed ? "janeausten" : "fallback"));
    }

    void loadCorpus_unknownIdListsValidIds()
    {
        const std::string message = errorOf([] { llmf::loadCorpus("shakespeare"); });
        QVERIFY(message.find("janeausten, fortunes-zh, fallback") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
