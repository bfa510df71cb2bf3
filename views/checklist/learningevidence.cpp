#include "checklist/learningevidence.h"

#include "checklist/checkliststore.h"
#include "training/metricsfile.h"
#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/presets.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <optional>

namespace llmf::views {

namespace {

std::optional<llmf::Config> runConfig(const QString &runDir)
{
    try {
        return llmf::loadConfig(QDir(runDir).filePath(QStringLiteral("config.yaml")).toStdString());
    } catch (const llmf::Error &) {
        return std::nullopt;
    }
}

// The model and training sections as YAML: what "the same configuration as a preset" compares (data and
// generation settings do not change what is trained).
std::string trainedShape(llmf::Config config)
{
    config.data = llmf::DataConfig();
    config.generation = llmf::GenerationConfig();
    config.training.max_iters = 0; // training longer is not a new configuration
    config.training.device = "auto";
    return llmf::configToYaml(config);
}

struct EvalSpan
{
    qint64 firstStep = -1;
    double firstLoss = 0.0;
    qint64 lastStep = -1;
    double lastLoss = 0.0;
};

// First and last validation loss in metrics.jsonl.
EvalSpan evalSpan(const QString &runDir)
{
    EvalSpan span;
    QFile file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
    if (!file.open(QIODevice::ReadOnly))
        return span;
    while (!file.atEnd()) {
        const QJsonObject o = QJsonDocument::fromJson(file.readLine()).object();
        if (o.value(QStringLiteral("type")).toString() != QLatin1String("eval"))
            continue;
        const qint64 step = o.value(QStringLiteral("step")).toInteger();
        const double loss = o.value(QStringLiteral("val_loss")).toDouble();
        if (span.firstStep < 0)
            span.firstStep = step, span.firstLoss = loss;
        span.lastStep = step;
        span.lastLoss = loss;
    }
    return span;
}

} // namespace

LearningEvidence::LearningEvidence(ChecklistStore *store, QObject *parent) : QObject(parent), m_store(store) {}

void LearningEvidence::onRunStarted(const QString &runDir)
{
    const std::optional<llmf::Config> config = runConfig(runDir);
    if (!config)
        return;
    const std::string shape = trainedShape(*config);
    try {
        for (const std::string &preset : llmf::listPresets())
            if (trainedShape(llmf::loadPreset(preset)) == shape)
                return;
    } catch (const llmf::Error &) {
        return; // presets unreadable: no evidence either way
    }
    m_store->earn(QStringLiteral("adjust-config"),
                  tr("you trained a configuration of your own (run %1)").arg(QFileInfo(runDir).fileName()));
}

void LearningEvidence::onRunFinished(const QString &runDir, bool completed)
{
    if (!completed)
        return;
    if (const int processes = readTrainerState(runDir).worldSize; processes > 1)
        m_store->earn(QStringLiteral("production-deployment"),
                      tr("run %1 trained with %2 processes that averaged their gradients through c10d")
                          .arg(QFileInfo(runDir).fileName())
                          .arg(processes));
    const EvalSpan span = evalSpan(runDir);
    if (span.firstStep < 0 || span.lastStep <= span.firstStep || !(span.lastLoss < span.firstLoss))
        return;
    const QString run = QFileInfo(runDir).fileName();
    const QString losses = tr("validation loss %1 at step %2 → %3 at step %4")
                               .arg(span.firstLoss, 0, 'f', 3)
                               .arg(span.firstStep)
                               .arg(span.lastLoss, 0, 'f', 3)
                               .arg(span.lastStep);
    m_store->earn(QStringLiteral("train-small-model"), tr("run %1 finished, %2").arg(run, losses));
    const std::optional<llmf::Config> config = runConfig(runDir);
    if (config && !config->data.file_path.empty())
        m_store->earn(QStringLiteral("own-data"),
                      tr("run %1 trained on your text %2, %3")
                          .arg(run, QDir::toNativeSeparators(QString::fromStdString(config->data.file_path)), losses));
}

void LearningEvidence::onStrategiesCompared(const QStringList &settings)
{
    m_store->earn(QStringLiteral("sampling-strategies"),
                  tr("you compared %1 in the Playground").arg(settings.join(tr(" with "))));
}

void LearningEvidence::onRequestsServed(int finished)
{
    if (finished >= 5)
        m_store->earn(
            QStringLiteral("production-deployment"),
            tr("you served %1 requests over the OpenAI-compatible API with continuous batching").arg(finished));
}

void LearningEvidence::onParameterQuiz(bool correct, qint64 answer, qint64 truth)
{
    if (correct)
        m_store->earn(QStringLiteral("parameter-count"),
                      tr("you worked out %1 parameters in Config Studio's quiz (exact: %2)")
                          .arg(QLocale().toString(answer), QLocale().toString(truth)));
}

void LearningEvidence::onLogitLensCell(int row, int rows, const QString &token, const QString &prediction)
{
    // The last row is the model's ordinary output; reading an earlier one is reading the residual stream itself.
    if (row >= 0 && row < rows - 1)
        m_store->earn(QStringLiteral("transformer-architecture"),
                      tr("you read the residual stream after %1 in the logit lens: after “%2” it already said “%3”")
                          .arg(row == 0 ? tr("the embeddings") : tr("block %1").arg(row), token, prediction));
}

void LearningEvidence::onHeadOpened(int layer, int head, qint64 step)
{
    m_store->earn(
        QStringLiteral("self-attention"),
        tr("you opened layer %1 head %2's attention map at step %3 from the Heads tab").arg(layer).arg(head).arg(step));
}

} // namespace llmf::views
