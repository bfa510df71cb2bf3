#include "training/metricshistory.h"

#include "training/metricsfile.h"

#include <QDir>
#include <QFile>
#include <QTextStream>

namespace llmf::views {

void MetricsHistory::clear()
{
    m_steps.clear();
    m_evals.clear();
}

bool MetricsHistory::loadRun(const QString &runDir)
{
    const TrainerStateSummary state = readTrainerState(runDir);
    if (!state.found)
        return false;
    QFile file(QDir(runDir).filePath(QStringLiteral("metrics.jsonl")));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    while (!file.atEnd()) {
        const MetricsEvent event = parseMetricsLine(file.readLine());
        if (event.stepNumber > state.step)
            continue; // written after the last checkpoint by a run that crashed: it will be redone
        if (event.kind == MetricsEvent::Kind::Step)
            m_steps.push_back(event.step);
        else if (event.kind == MetricsEvent::Kind::Eval)
            m_evals.push_back(event.eval);
    }
    return true;
}

bool MetricsHistory::writeCsv(const QString &path) const
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    out << "step,loss,lr,grad_norm,tokens_per_s,elapsed_s,eval_train_loss,eval_val_loss\n";
    int e = 0;
    for (const auto &m : m_steps) {
        while (e < m_evals.size() && m_evals[e].step < m.step)
            ++e;
        const bool hasEval = e < m_evals.size() && m_evals[e].step == m.step;
        out << m.step << ',' << m.loss << ',' << m.learningRate << ',' << m.gradNorm << ',' << m.tokensPerSecond << ','
            << m.elapsedSeconds << ',' << (hasEval ? QString::number(m_evals[e].trainLoss) : QString()) << ','
            << (hasEval ? QString::number(m_evals[e].valLoss) : QString()) << '\n';
    }
    return file.flush();
}

} // namespace llmf::views
