#pragma once

#include "llmf/config/config.h"

#include <QObject>
#include <QStringList>
#include <QVector>

namespace llmf::views {

class TrainingDashboard;

// A lesson's experiment: the same config trained once per value of one key (e.g. training.learning_rate 1e-4 and
// 1e-3), one run after the other on the Training page, each finished run's smoothed loss kept on the loss chart
// so the curves can be compared. Stopping a run ends the experiment.
class ExperimentRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExperimentRunner)

public:
    explicit ExperimentRunner(TrainingDashboard *dashboard, QObject *parent = nullptr);

    // Returns why the experiment cannot start (unknown key, invalid value, a training already running), or empty.
    QString start(const llmf::Config &base, const QString &baseName, const QString &key, const QStringList &values);
    bool isRunning() const { return m_current >= 0; }
    int runCount() const { return static_cast<int>(m_arms.size()); }
    // Final smoothed loss of each finished run, in order.
    QVector<double> finalLosses() const { return m_finalLosses; }

Q_SIGNALS:
    void finished(bool completed);

private:
    struct Arm
    {
        QString label;
        llmf::Config config;
    };
    void startArm(int index);
    void onRunFinished(const QString &runDir, bool completed);
    void abort(const QString &why);
    QString summary() const;

    TrainingDashboard *m_dashboard;
    QString m_baseName;
    QVector<Arm> m_arms;
    QVector<double> m_finalLosses;
    int m_current = -1;
};

} // namespace llmf::views
