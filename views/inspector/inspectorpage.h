#pragma once

#include <QWidget>

#include <QPoint>

#include <memory>

class QLabel;
class QPushButton;
class QTabWidget;

namespace llmf::views {

class CheckpointSlider;

class AnatomyView;
class AttentionView;
class EmbeddingMapView;
class HeadsView;
class LogitLensView;
class MessageBanner;
class RopeView;
class InspectorSession;
struct InspectorWeights;
enum class InspectorLoad; // inspectorsession.h

// The Inspector: opens a trained run directory and shows what is inside the model. Attention (every head's map for
// a text the learner types), RoPE (the position encoding's tables, taken from the model's own module) and Anatomy
// (where the parameters are and what training did to them), Logit lens (what each layer would predict for the
// Attention tab's text), Embeddings (the token vectors on two principal components, aligned across checkpoints) and
// Heads (four metrics per head over every checkpoint). Loading weights and every probe run on one worker thread (a
// `small`-sized run takes seconds to load; a probe is a forward pass): the GUI thread only posts requests and draws
// the results that come back. Requests made stale by newer ones (a text typed on, a slider dragged further) are
// skipped, not computed.
class InspectorPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InspectorPage)

public:
    explicit InspectorPage(QWidget *parent = nullptr);
    ~InspectorPage() override;

    // Loads config, tokenizer and weights of `runDir` in the background, then refreshes every tab and emits
    // runOpened(). On failure shows why in the banner, keeps the previously open run (if any) and emits loadFailed().
    void openRun(const QString &runDir);
    // Shows the weights of another snapshot of the open run (path empty = its model.safetensors); weightsShown().
    void showWeights(const QString &weightsPath);
    bool isBusy() const; // a load or probe is still on its way
    // Runs the event loop until every request so far has been answered (true) or `timeoutMs` passed (false). For the
    // screenshots, tests and benchmarks; the GUI itself never waits.
    bool waitUntilSettled(int timeoutMs = 60000);
    CheckpointSlider *checkpointSlider() const { return m_history; }
    qint64 weightsStep() const; // the training step of the weights on screen
    // "Live model" is offered while a training runs; the window answers liveModelRequested() with a snapshot.
    void setLiveAvailable(bool available);
    QString runDirectory() const { return m_runDir; }
    bool hasRun() const; // a run is open or being opened

    void showAttention(int layer, int head);
    void setText(const QString &text); // probes at once

    // For tests and the lessons.
    double attentionValue(int query, int key) const;
    int gridThumbnailCount() const;
    QString bannerText() const;
    AttentionView *attentionView() const { return m_attention; }
    RopeView *ropeView() const { return m_rope; }
    AnatomyView *anatomyView() const { return m_anatomy; }
    LogitLensView *logitLensView() const { return m_lens; }
    EmbeddingMapView *embeddingMapView() const { return m_embeddings; }
    HeadsView *headsView() const { return m_heads; }
    QTabWidget *tabs() const { return m_tabs; }

    // The current tab's charts as PNG / its numbers as CSV. False (with a banner) on failure.
    bool exportPng(int tab, const QString &path);
    bool exportCsv(int tab, const QString &path);

Q_SIGNALS:
    void runOpened(const QString &runDir);
    void weightsShown(qint64 step);
    void loadFailed(const QString &message);
    void settled(); // every request so far has been answered
    void liveModelRequested();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildUi();
    QWidget *wrapTab(QWidget *view, int tab);
    void retranslate();
    void updateSummary();
    void probeText(const QString &text);
    void refreshTab(int tab); // computes the logit lens / embedding map if that tab is stale
    void chooseRun();
    void chooseExport(int tab, bool png);
    void showLoaded(const QString &runDir, const InspectorWeights &loaded, InspectorLoad purpose);
    void showLoadError(const QString &runDir, const QString &why);

    InspectorSession *m_session = nullptr;           // the model, on its worker thread
    std::shared_ptr<const InspectorWeights> m_model; // the weights on screen (immutable)
    QString m_loadingRunDir;                         // a run being opened (none open yet, or replacing the open one)
    QPoint m_requestedHead{-1, -1};                  // showAttention() before the maps arrived: applied when they do
    QString m_runDir;
    QLabel *m_title = nullptr;
    QLabel *m_summary = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_live = nullptr;
    CheckpointSlider *m_history = nullptr;
    QTabWidget *m_tabs = nullptr;
    AttentionView *m_attention = nullptr;
    RopeView *m_rope = nullptr;
    AnatomyView *m_anatomy = nullptr;
    LogitLensView *m_lens = nullptr;
    bool m_lensStale = true;       // the text or the weights changed since the lens was computed
    bool m_embeddingsStale = true; // the weights changed since the map was computed
    EmbeddingMapView *m_embeddings = nullptr;
    HeadsView *m_heads = nullptr;
    QList<QPushButton *> m_pngButtons;
    QList<QPushButton *> m_csvButtons;
};

} // namespace llmf::views
