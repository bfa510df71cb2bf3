#pragma once

#include <QWidget>

#include <memory>

class QCPGraph;
class QComboBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;

namespace llmf {
struct EmbeddingMap;
} // namespace llmf

namespace llmf::views {

// The Embeddings tab: every token's vector (embed_tokens, or lm_head's rows) on the first two principal components,
// frequent tokens labelled, and a search box for a token's nearest neighbours by cosine similarity. Moving the
// Inspector's step slider redraws the map for that checkpoint, turned/mirrored to match the previous frame
// (orthogonal Procrustes), so the cloud moves instead of flipping. The view computes nothing with the model: the
// Inspector probes on its worker thread and hands the map over.
class EmbeddingMapView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmbeddingMapView)

public:
    explicit EmbeddingMapView(QWidget *parent = nullptr);
    ~EmbeddingMapView() override;

    // Shows a probed map (same run and table as before: aligned to the previous map; otherwise afresh).
    void setMap(const llmf::EmbeddingMap &map, const QString &runDir);
    void clear();
    bool showsOutputTable() const; // lm_head rows rather than embed_tokens
    const llmf::EmbeddingMap *map() const { return m_map.get(); }
    QVector<QPointF> points() const; // what the chart shows, in token-id order

    // Finds a token by its text ("the", "␣the" or " the") and lists its neighbours; false when there is none.
    bool search(const QString &token);
    QStringList neighbourLabels() const;
    void setOutputTable(bool output);
    QWidget *chartArea() const;
    bool exportCsv(const QString &path) const;

Q_SIGNALS:
    void tableChanged(); // the learner picked the other matrix: the Inspector probes it

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void redraw();

    QString m_runDir;
    QString m_searchText; // searched again on every new map, also one searched before the map arrived
    std::unique_ptr<llmf::EmbeddingMap> m_map;
    QVector<int> m_highlighted;
    int m_query = -1;
    QString m_missing; // a searched text that is no token

    QLabel *m_explanation = nullptr;
    QComboBox *m_table = nullptr;
    QLineEdit *m_search = nullptr;
    QLabel *m_status = nullptr;
    QListWidget *m_neighbours = nullptr;
    QCustomPlot *m_chart = nullptr;
    QCPGraph *m_cloud = nullptr;
    QCPGraph *m_marked = nullptr;
};

} // namespace llmf::views
