#include "training/metricsfile.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace llmf::views {

MetricsEvent parseMetricsLine(const QByteArray &line)
{
    return llmf::parseMetricsLine(std::string_view(line.constData(), static_cast<size_t>(line.size())));
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

} // namespace llmf::views
