#pragma once

#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace llmf {
struct AttentionMaps;
struct EmbeddingMap;
struct LogitLens;
enum class EmbeddingTable;
} // namespace llmf

namespace llmf::views {

class SerialWorker;
struct InspectorWeights;

// What a load is for, passed back with its answer: opening a run directory (the page starts over with its checkpoint
// slider and says runOpened), or switching the open run to other weights (a step on the slider, a head chosen on
// the Heads tab), which keeps the slider where the learner put it.
enum class InspectorLoad { OpenRun, SwitchWeights };

// The Inspector's model and everything computed with it, on one worker thread (a `small`-sized run takes seconds to
// load; a probe is a forward pass). The page posts requests and draws what the signals bring back, on the GUI thread.
// A request made stale by a newer one (the learner typed on, dragged the slider further, opened another run) is
// skipped without computing, and its answer never shown. The model is touched only by the worker, so it needs no
// lock, and a probe asked for after a load runs on the loaded weights.
class InspectorSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorSession)

public:
    explicit InspectorSession(QObject *parent = nullptr);
    ~InspectorSession() override;

    // Loads `runDir` (weightsPath empty: its model.safetensors) with the probes that depend only on the weights.
    void load(const QString &runDir, const QString &weightsPath, InspectorLoad purpose);
    // The attention maps of `text` on the weights loaded last; makes every text probe asked for before it stale.
    void probeAttention(const std::string &text);
    void invalidateText();                   // the text was cleared: answers still on their way are dropped
    void probeLens(const std::string &text); // for the current text (call after probeAttention)
    void probeEmbeddings(llmf::EmbeddingTable table);

    bool isBusy() const { return m_outstanding > 0; }

Q_SIGNALS:
    void loaded(const QString &runDir, std::shared_ptr<const llmf::views::InspectorWeights> weights,
                llmf::views::InspectorLoad purpose);
    void loadFailed(const QString &runDir, const QString &why, llmf::views::InspectorLoad purpose);
    // A newer load replaced it before it started.
    void loadSkipped(const QString &runDir, llmf::views::InspectorLoad purpose);
    void attentionReady(std::shared_ptr<const llmf::AttentionMaps> maps);
    void lensReady(std::shared_ptr<const llmf::LogitLens> lens);
    void embeddingsReady(std::shared_ptr<const llmf::EmbeddingMap> map);
    void probeFailed(const QString &why);
    void settled(); // every request so far has been answered

private:
    // Runs `work` on the worker thread; the function it returns (if any) then runs on the GUI thread.
    void post(std::function<std::function<void()>()> work);
    // A probe on the worker's model, skipped unstarted and its answer dropped once `current` has moved past
    // `generation`; `compute` returns what to emit on the GUI thread.
    void postProbe(const std::atomic_int &current, int generation,
                   std::function<std::function<void()>(const InspectorWeights &)> compute);

    std::unique_ptr<SerialWorker> m_worker;
    std::shared_ptr<const InspectorWeights> m_workerModel; // touched only by jobs on m_worker
    std::atomic_int m_loadGeneration{0};                   // per load: older loads still queued are skipped
    std::atomic_int m_textGeneration{0};                   // per text or weights change: older probes are skipped
    int m_outstanding = 0;                                 // requests posted and not yet answered
};

} // namespace llmf::views
