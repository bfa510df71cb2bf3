#include "training/experimentrunner.h"

#include "llmf/common/error.h"
#include "llmf/config/configio.h"
#include "llmf/config/validation.h"
#include "training/trainingcharts.h"
#include "training/trainingdashboard.h"

#include <QTimer>

namespace llmf::views {

namespace {

// The same exponential smoothing as the live "smoothed" curve, so overlays and the live run compare like for like.
void smoothedLoss(const QVector<llmf::StepMetrics> &steps, QVector<double> *x, QVector<double> *y)
{
    double smoothed = -1.0;
    for (const llmf::StepMetrics &m : steps) {
        smoothed = smoothed < 0 ? m.loss : 0.9 * smoothed + 0.1 * m.loss;
        x->push_back(static_cast<double>(m.step));
        y->push_back(smoothed);
    }
}

} // namespace

ExperimentRunner::ExperimentRunner(TrainingDashboard *dashboard, QObject *parent)
    : QObject(parent), m_dashboard(dashboard)
{
    connect(m_dashboard, &TrainingDashboard::runFinished, this, &ExperimentRunner::onRunFinished);
    connect(m_dashboard, &TrainingDashboard::runFailed, this,
            [this](const QString &message) { abort(tr("the run failed: %1").arg(message)); });
}

QString ExperimentRunner::start(const llmf::Config &base, const QString &baseName, const QString &key,
                                const QStringList &values)
{
    if (isRunning() || m_dashboard->isTraining())
        return tr("A training is already running; stop it first.");
    if (values.size() < 2)
        return tr("An experiment needs at least two values to compare.");
    QVector<Arm> arms;
    const QString shortKey = key.section(QLatin1Char('.'), -1);
    for (const QString &value : values) {
        Arm arm{QStringLiteral("%1 = %2").arg(shortKey, value), base};
        try {
            llmf::applyOverride(arm.config, (key + QLatin1Char('=') + value).toStdString());
            llmf::validateOrThrow(arm.config);
        } catch (const llmf::Error &e) {
            return tr("%1 = %2: %3").arg(key, value, QString::fromStdString(e.what()));
        }
        arms.push_back(arm);
    }
    m_arms = arms;
    m_baseName = baseName;
    m_finalLosses.clear();
    m_dashboard->charts()->clearOverlays();
    startArm(0);
    return {};
}

void ExperimentRunner::startArm(int index)
{
    m_current = index;
    const Arm &arm = m_arms[index];
    m_dashboard->setConfig(arm.config, true,
                           QStringLiteral("%1-%2").arg(m_baseName, arm.label).remove(QLatin1Char(' ')));
    m_dashboard->setNote(tr("Experiment, run %1 of %2: %3. Finished runs stay on the loss chart as dashed lines.")
                             .arg(index + 1)
                             .arg(m_arms.size())
                             .arg(arm.label));
    m_dashboard->startTraining();
}

void ExperimentRunner::onRunFinished(const QString &, bool completed)
{
    if (!isRunning())
        return;
    if (!completed) {
        abort(tr("the run was stopped"));
        return;
    }
    QVector<double> x;
    QVector<double> y;
    smoothedLoss(m_dashboard->steps(), &x, &y);
    m_dashboard->charts()->addOverlay(m_arms[m_current].label, x, y);
    m_finalLosses.push_back(y.isEmpty() ? qQNaN() : y.last());
    const int next = m_current + 1;
    if (next < m_arms.size()) {
        // The worker thread reports "finished" just before it is idle again: start the next run from the event
        // loop, not from inside the signal.
        QTimer::singleShot(0, this, [this, next] { startArm(next); });
        return;
    }
    m_current = -1;
    m_dashboard->setNote(tr("Experiment finished. Final smoothed loss: %1.").arg(summary()));
    Q_EMIT finished(true);
}

void ExperimentRunner::abort(const QString &why)
{
    if (!isRunning())
        return;
    m_current = -1;
    m_dashboard->setNote(tr("Experiment ended early: %1.").arg(why));
    Q_EMIT finished(false);
}

QString ExperimentRunner::summary() const
{
    QStringList parts;
    for (int i = 0; i < m_finalLosses.size(); ++i)
        parts << QStringLiteral("%1 → %2").arg(m_arms[i].label).arg(m_finalLosses[i], 0, 'f', 3);
    return parts.join(QStringLiteral("; "));
}

} // namespace llmf::views
