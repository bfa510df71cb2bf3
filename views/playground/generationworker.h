#pragma once

#include "playground/generationtypes.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace llmf::views {

// Owns a loaded run and runs the engine's Generator on the generation thread (docs/architecture.md §7). Requests arrive
// as queued calls and run one after another; tokens leave in batches (at most one signal every ~30 ms) so a fast model
// cannot flood the GUI's event queue. Cancelling is an epoch counter the GUI thread bumps: every request submitted
// before the bump stops at its next token, or is skipped if it has not started yet.
class GenerationWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GenerationWorker)

public:
    explicit GenerationWorker(QObject *parent = nullptr);
    ~GenerationWorker() override;

    // Runs on the worker's thread (the controller calls it through a blocking queued call). Replaces the current
    // run only on success; false + a readable message otherwise.
    bool load(const QString &runDir, RunInfo *info, QString *error);

    // Thread-safe.
    void cancelAll() { m_cancelEpoch.fetch_add(1); }
    quint64 cancelEpoch() const { return m_cancelEpoch.load(); }

public Q_SLOTS:
    void generate(const llmf::views::GenerationRequest &request);

Q_SIGNALS:
    void started(int requestId, const QVector<qint32> &promptIds);
    void tokensReady(int requestId, const QVector<llmf::views::GeneratedToken> &tokens);
    void finished(const llmf::views::GenerationSummary &summary);
    void failed(int requestId, const QString &message);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
    std::atomic<quint64> m_cancelEpoch{0};
};

} // namespace llmf::views
