#include "training/metricsfile.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace llmf::views {

MetricsEvent parseMetricsLine(const QByteArray &line)
{
    MetricsEvent event;
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString type = o.value(QStringLiteral("type")).toString();
    event.stepNumber = o.value(QStringLiteral("step")).toInteger();
    if (type == QLatin1String("step")) {
        event.kind = MetricsEvent::Kind::Step;
        llmf::StepMetrics &m = event.step;
        m.step = event.stepNumber;
        m.loss = o.value(QStringLiteral("loss")).toDouble();
        m.learningRate = o.value(QStringLiteral("lr")).toDouble();
        m.gradNorm = o.value(QStringLiteral("grad_norm")).toDouble();
        m.tokensPerSecond = o.value(QStringLiteral("tokens_per_s")).toDouble();
        m.elapsedSeconds = o.value(QStringLiteral("elapsed_s")).toDouble();
        m.threads = o.value(QStringLiteral("threads")).toInt();
        m.worldSize = std::max(1, o.value(QStringLiteral("world_size")).toInt(1));
        for (const QJsonValue &v : o.value(QStringLiteral("rank_tokens_per_s")).toArray())
            m.rankTokensPerSecond.push_back(v.toDouble());
        m.allReduceSeconds = o.value(QStringLiteral("allreduce_s")).toDouble();
        m.stepSeconds = o.value(QStringLiteral("step_s")).toDouble();
    } else if (type == QLatin1String("eval")) {
        event.kind = MetricsEvent::Kind::Eval;
        event.eval.step = event.stepNumber;
        event.eval.trainLoss = o.value(QStringLiteral("train_loss")).toDouble();
        event.eval.valLoss = o.value(QStringLiteral("val_loss")).toDouble();
    } else if (type == QLatin1String("checkpoint")) {
        event.kind = MetricsEvent::Kind::Checkpoint;
    }
    return event;
}

TrainerStateSummary readTrainerState(const QString &runDir)
{
    TrainerStateSummary summary;
    QFile file(QDir(runDir).filePath(QStringLiteral("trainer_state.json")));
    if (!file.open(QIODevice::ReadOnly))
        return summary;
    const QJsonObject state = QJsonDocument::fromJson(file.readAll()).object();
    summary.found = !state.isEmpty();
    summary.step = state.value(QStringLiteral("step")).toInteger();
    summary.worldSize = std::max(1, state.value(QStringLiteral("world_size")).toInt(1));
    return summary;
}

QVector<MetricsEvent> MetricsFollower::poll()
{
    QVector<MetricsEvent> events;
    QFile file(m_path);
    if (!file.open(QIODevice::ReadOnly))
        return events;
    if (file.size() < m_offset) { // truncated (a resume rewinds the file to its checkpoint): start over
        m_offset = 0;
        m_partial.clear();
    }
    if (!file.seek(m_offset))
        return events;
    const QByteArray bytes = file.readAll();
    m_offset += bytes.size();
    m_partial += bytes;
    qsizetype start = 0;
    for (qsizetype end = m_partial.indexOf('\n'); end >= 0; end = m_partial.indexOf('\n', start)) {
        const MetricsEvent event = parseMetricsLine(m_partial.mid(start, end - start));
        if (event.kind != MetricsEvent::Kind::None)
            events.push_back(event);
        start = end + 1;
    }
    m_partial.remove(0, start);
    return events;
}

} // namespace llmf::views
