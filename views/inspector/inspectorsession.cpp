#include "inspector/inspectorsession.h"

#include "common/serialworker.h"
#include "inspector/inspectorweights.h"
#include "llmf/common/error.h"
#include "llmf/inspect/attentionprobe.h"
#include "llmf/inspect/embeddingmap.h"
#include "llmf/inspect/logitlens.h"

#include <QDir>

#include <algorithm>

namespace llmf::views {

namespace {

// The message of whatever a probe or loader threw: llmf::Error carries a hint worth showing, torch's c10::Error a
// long backtrace whose first line is the useful part.
QString describe(const std::exception &error)
{
    return QString::fromStdString(llmf::describeException(error));
}

} // namespace

InspectorSession::InspectorSession(QObject *parent) : QObject(parent), m_worker(std::make_unique<SerialWorker>()) {}

InspectorSession::~InspectorSession()
{
    m_worker.reset(); // first: a running job uses the members below and may still post its answer here
}

void InspectorSession::post(std::function<std::function<void()>()> work)
{
    ++m_outstanding;
    m_worker->post([this, work = std::move(work)] {
        std::function<void()> answer = work();
        QMetaObject::invokeMethod(
            this,
            [this, answer = std::move(answer)] {
                if (answer)
                    answer();
                if (--m_outstanding == 0)
                    Q_EMIT settled();
            },
            Qt::QueuedConnection);
    });
}

void InspectorSession::load(const QString &runDir, const QString &weightsPath, InspectorLoad purpose)
{
    const int generation = ++m_loadGeneration;
    ++m_textGeneration; // maps probed on the old weights are not shown any more
    const std::string dir = QDir::toNativeSeparators(runDir).toStdString();
    const std::string weights = weightsPath.toStdString();
    post([this, generation, runDir, dir, weights, purpose]() -> std::function<void()> {
        if (generation != m_loadGeneration.load())
            return [this, runDir, purpose] { Q_EMIT loadSkipped(runDir, purpose); };
        auto next = std::make_shared<InspectorWeights>();
        try {
            next->run = llmf::loadRun(dir, "cpu", weights);
            next->weights = llmf::probeWeights(next->run);
            next->tables = llmf::probeRopeTables(next->run);
            // The second start a quarter into the context leaves most offsets room for both curves; beyond ~100
            // offsets the fast pairs make the curve too dense to compare by eye.
            const int startB = std::max(1, next->tables.positions / 4);
            next->relative =
                llmf::probeRopeRelative(next->run, 0, startB, std::min(96, next->tables.positions - startB - 1));
        } catch (const std::exception &error) {
            return [this, runDir, why = describe(error), purpose] { Q_EMIT loadFailed(runDir, why, purpose); };
        }
        m_workerModel = next;
        return [this, runDir, next, purpose] { Q_EMIT loaded(runDir, next, purpose); };
    });
}

void InspectorSession::invalidateText()
{
    ++m_textGeneration;
}

void InspectorSession::postProbe(const std::atomic_int &current, int generation,
                                 std::function<std::function<void()>(const InspectorWeights &)> compute)
{
    post([this, &current, generation, compute = std::move(compute)]() -> std::function<void()> {
        if (generation != current.load() || !m_workerModel)
            return {};
        try {
            std::function<void()> deliver = compute(*m_workerModel);
            return [&current, generation, deliver = std::move(deliver)] {
                if (generation == current.load()) // nothing newer was asked for while it ran
                    deliver();
            };
        } catch (const std::exception &error) {
            return [this, why = describe(error)] { Q_EMIT probeFailed(why); };
        }
    });
}

void InspectorSession::probeAttention(const std::string &text)
{
    const int generation = ++m_textGeneration;
    postProbe(m_textGeneration, generation, [this, text](const InspectorWeights &model) -> std::function<void()> {
        auto maps = std::make_shared<const llmf::AttentionMaps>(llmf::probeAttention(model.run, text));
        return [this, maps] { Q_EMIT attentionReady(maps); };
    });
}

void InspectorSession::probeLens(const std::string &text)
{
    postProbe(m_textGeneration, m_textGeneration.load(),
              [this, text](const InspectorWeights &model) -> std::function<void()> {
                  auto lens = std::make_shared<const llmf::LogitLens>(llmf::probeLogitLens(model.run, text));
                  return [this, lens] { Q_EMIT lensReady(lens); };
              });
}

void InspectorSession::probeEmbeddings(llmf::EmbeddingTable table)
{
    postProbe(m_loadGeneration, m_loadGeneration.load(),
              [this, table](const InspectorWeights &model) -> std::function<void()> {
                  auto map = std::make_shared<const llmf::EmbeddingMap>(llmf::probeEmbeddingMap(model.run, table));
                  return [this, map] { Q_EMIT embeddingsReady(map); };
              });
}

} // namespace llmf::views
