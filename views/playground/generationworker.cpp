#include "playground/generationworker.h"

#include "llmf/common/systeminfo.h"
#include "llmf/common/error.h"
#include "llmf/infer/generator.h"
#include "llmf/run/rundirectory.h"

#include <QElapsedTimer>

#include <optional>

namespace llmf::views {

namespace {

// A token's bytes as a chart label: whitespace made visible (a leading space is what separates " the" from "the"),
// bytes that are not UTF-8 on their own (half a Chinese character) as hex.
QString tokenLabel(const std::string &bytes)
{
    const QString text = QString::fromUtf8(bytes.data(), static_cast<qsizetype>(bytes.size()));
    if (text.contains(QChar::ReplacementCharacter) || (text.isEmpty() && !bytes.empty())) {
        QString hex;
        for (const unsigned char b : bytes)
            hex += QStringLiteral("<0x%1>").arg(QString::number(b, 16).toUpper().rightJustified(2, QLatin1Char('0')));
        return hex;
    }
    QString out;
    for (const QChar c : text) {
        if (c == QLatin1Char(' '))
            out += QChar(0x2423); // ␣
        else if (c == QLatin1Char('\n'))
            out += QChar(0x21B5); // ↵
        else if (c == QLatin1Char('\t'))
            out += QChar(0x21E5); // ⇥
        else
            out += c;
    }
    return out;
}

} // namespace

struct GenerationWorker::Impl
{
    std::optional<Generator> generator;
};

GenerationWorker::GenerationWorker(QObject *parent) : QObject(parent), d(std::make_unique<Impl>())
{
    qRegisterMetaType<llmf::views::GenerationRequest>();
    qRegisterMetaType<llmf::views::GeneratedToken>();
    qRegisterMetaType<QVector<llmf::views::GeneratedToken>>();
    qRegisterMetaType<llmf::views::GenerationSummary>();
    qRegisterMetaType<QVector<qint32>>();
}

GenerationWorker::~GenerationWorker() = default;

bool GenerationWorker::load(const QString &runDir, RunInfo *info, QString *error)
{
    try {
        LoadedRun run = loadRun(runDir.toStdString(), "cpu");
        RunInfo out;
        out.directory = runDir;
        out.step = run.step;
        out.vocabSize = static_cast<int>(run.config.model.vocab_size);
        out.maxSeqLen = static_cast<int>(run.config.model.max_seq_len);
        out.parameters = run.parameterCount();
        out.tokenLabels.reserve(out.vocabSize);
        for (int32_t id = 0; id < out.vocabSize; ++id)
            out.tokenLabels.append(id < run.tokenizer.vocabSize() ? tokenLabel(run.tokenizer.tokenBytes(id))
                                                                  : QStringLiteral("#%1").arg(id));
        d->generator.emplace(run);
        // The next-token view recomputes the stages from the logits row for the current slider values, so the
        // per-token candidate lists the Generator could collect would be thrown away.
        d->generator->setCollectStages(false);
        if (info)
            *info = std::move(out);
        return true;
    } catch (const Error &e) {
        if (error)
            *error = QString::fromStdString(e.fullMessage());
    } catch (const std::exception &e) {
        // LibTorch reading a truncated or foreign file: the page shows it, the app goes on.
        if (error)
            *error = QString::fromStdString(describeException(e));
    }
    return false;
}

void GenerationWorker::generate(const GenerationRequest &request)
{
    const llmf::OpenMPWorkersReleaser releaseWhenDone; // idle workers here would slow a training thread (systeminfo.h)
    GenerationSummary summary;
    summary.requestId = request.id;
    if (request.epoch < m_cancelEpoch.load()) {
        summary.cancelled = true; // stopped before it started: report it so the page is not left waiting
        Q_EMIT finished(summary);
        return;
    }
    if (!d->generator) {
        Q_EMIT failed(request.id, tr("Open a trained run first."));
        return;
    }
    try {
        std::vector<int32_t> promptIds = d->generator->tokenizer().encode(request.prompt.toStdString());
        if (promptIds.empty()) {
            if (const auto eos = d->generator->tokenizer().specialId(Tokenizer::kEndOfText))
                promptIds = {*eos};
        }
        Q_EMIT started(request.id, QVector<qint32>(promptIds.begin(), promptIds.end()));

        QVector<GeneratedToken> pending;
        QElapsedTimer sinceEmit;
        sinceEmit.start();
        const auto flush = [&] {
            if (!pending.isEmpty())
                Q_EMIT tokensReady(request.id, pending);
            pending.clear();
            sinceEmit.restart();
        };
        const auto onToken = [&](const TokenEvent &event) {
            GeneratedToken token;
            token.id = event.id;
            token.piece = QString::fromStdString(event.piece);
            token.probability = event.probability;
            token.position = event.position;
            if (request.withLogits)
                token.logits = QVector<float>(event.logits.begin(), event.logits.end());
            pending.append(std::move(token));
            if (sinceEmit.elapsed() >= 30)
                flush();
            return request.epoch >= m_cancelEpoch.load();
        };
        const GenerationResult result = d->generator->generate(promptIds, request.config, onToken);
        flush();
        summary.text = QString::fromStdString(result.text);
        summary.promptIds = QVector<qint32>(result.promptIds.begin(), result.promptIds.end());
        summary.tokenCount = static_cast<int>(result.generatedIds.size());
        summary.prefillSeconds = result.prefillSeconds;
        summary.decodeSeconds = result.decodeSeconds;
        summary.tokensPerSecond = result.tokensPerSecond;
        summary.stoppedByEos = result.stoppedByEos;
        summary.cancelled = result.cancelled;
        Q_EMIT finished(summary);
    } catch (const Error &e) {
        Q_EMIT failed(request.id, QString::fromStdString(e.fullMessage()));
    } catch (const std::exception &e) {
        Q_EMIT failed(request.id, QString::fromStdString(describeException(e)));
    }
}

} // namespace llmf::views
